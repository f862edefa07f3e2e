export { createBackend, type Backend } from './backend.js';
export { bytesToHex, hexToBytes, type Input } from './bytes/index.js';
export * from './consensus/index.js';
export { NotInitializedError, SwarmguardError, UnsupportedBackendError } from './errors/index.js';
export * from './hash/index.js';
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
export * from './pool/index.js';
export { features, init, type Features, type InitOptions } from './init.js';
export * from './resilience/index.js';
export * from './sig/index.js';
export {
  BYZANTINE_FAULTS,
  type CommitLogLine,
  FAULTS,
  type Fault,
  KeyValueStore,
  kvSet,
  NETWORK_FAULTS,
  Prng,
  type SimOptions,
  type SimResult,
  simulate,
} from './sim/index.js';
export type { BackendName } from './wasm/index.js';
