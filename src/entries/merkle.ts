// `swarmguard/merkle`: RFC 9162 Merkle trees, roots and proof verification.
// `init` and `features` too: a page that imports only this entry must be able to compile the WASM
// without blocking (`await init()`) and see which backend it got.
export { type Features, features, init, type InitOptions } from '../backend/index.js';
export {
  type ConsistencyProof,
  type InclusionProof,
  joinSubtreeRoots,
  MAX_TREE_LEAVES,
  MERKLE_HASHES,
  type MerkleHash,
  type MerkleOptions,
  merkleRoot,
  MerkleTree,
  type MerkleVerifyOptions,
  verifyConsistency,
  verifyInclusion,
  verifyInclusionOfHash,
} from '../merkle/index.js';
