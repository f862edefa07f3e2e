// Browser entry: the same API minus the Node-only parts (consensus on node:crypto with its
// simulator, the Piscina worker pool, the CLI).
// On a main thread call `await init()` before the first hash.
export { createBackend, type Backend } from './backend/index.js';
export { bytesToHex, hexToBytes, type Input } from './bytes/index.js';
export { NotInitializedError, SwarmguardError, UnsupportedBackendError } from './errors/index.js';
export {
  blake3,
  type Blake3Api,
  type Blake3Function,
  type Blake3Hasher,
  blake3Many,
  type Blake3Options,
  blake3Pairs,
  type HashApi,
  type HashPairsOptions,
  sha256,
  sha256Many,
  sha256Pairs,
  type Sha2Api,
  type Sha2Function,
  type Sha2Hasher,
  sha512,
} from './hash/index.js';
export {
  joinSubtreeRoots,
  MAX_TREE_LEAVES,
  type MerkleHash,
  type MerkleOptions,
  merkleRoot,
  MerkleTree,
  verifyConsistency,
  verifyInclusion,
  verifyInclusionOfHash,
} from './merkle/index.js';
export { features, init, type Features, type InitOptions } from './backend/index.js';
export * from './resilience/index.js';
export {
  type BatchItem,
  ed25519,
  type Ed25519Api,
  type Ed25519KeyPair,
  packEd25519BatchItem,
  type SigApi,
  type VerifyBatchOptions,
  type VerifyOptions,
  verifyEd25519Packed,
  vrf,
  type VrfApi,
  type VrfOptions,
  type VrfSuite,
} from './sig/index.js';
export type { BackendName } from './wasm/index.js';
