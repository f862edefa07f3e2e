// `swarmguard/merkle`: RFC 9162 Merkle trees, roots and proof verification.
export {
  joinSubtreeRoots,
  MAX_TREE_LEAVES,
  MERKLE_HASHES,
  type MerkleHash,
  type MerkleOptions,
  merkleRoot,
  MerkleTree,
  verifyConsistency,
  verifyInclusion,
  verifyInclusionOfHash,
} from '../merkle/index.js';
