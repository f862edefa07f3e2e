export { MERKLE_HASHES, type MerkleHash } from './kernels.js';
export { type MerkleOptions, type MerkleVerifyOptions } from './options.js';
export { type ConsistencyProof, type InclusionProof } from './proof.js';
export { joinSubtreeRoots, merkleRoot, rootOfPackedBatch } from './root.js';
export { MAX_TREE_LEAVES, MerkleTree } from './tree.js';
export { verifyConsistency, verifyInclusion, verifyInclusionOfHash } from './verify.js';
