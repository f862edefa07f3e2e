// The package root, `swarmguard`: the everyday names, the same on Node and in browsers. Everything
// else is a subpath that says what it is (`swarmguard/hash`, `/merkle`, `/sig`, `/resilience`,
// `/consensus`, `/consensus/wire`, `/sim`, `/storage`, `/tx`, and on Node only `/pool`, `/metrics`,
// `/node`), each an entry in src/entries/. On a browser main thread call `await init()` first.
export { type Backend, createBackend, type Features, features, init, type InitOptions } from './backend/index.js';
export { bytesToHex, hexToBytes, type Input } from './bytes/index.js';
export { ConsensusConfigError, CorruptStateError, DecodeError, type Application, Replica, type ReplicaConfig, type Ready } from './consensus/index.js';
export { NotInitializedError, SwarmguardError, UnsupportedBackendError } from './errors/index.js';
export {
  blake3,
  blake3Many,
  type Blake3Options,
  blake3Pairs,
  HashFinalizedError,
  hkdf,
  hmac,
  sha256,
  sha256Many,
  sha256Pairs,
  sha512,
} from './hash/index.js';
export {
  type ConsistencyProof,
  type InclusionProof,
  type MerkleHash,
  type MerkleOptions,
  merkleRoot,
  MerkleTree,
  verifyConsistency,
  verifyInclusion,
} from './merkle/index.js';
// The policy classes only: the one-shot helpers `retry(fn)`, `timeout(fn, ms)` and `fallback(fn, …)`
// read as what they are under `swarmguard/resilience`, not bare at the root.
export {
  AdaptiveTimeout,
  BrokenCircuitError,
  Bulkhead,
  BulkheadRejectedError,
  CircuitBreaker,
  type CircuitBreakerOptions,
  FallbackPolicy,
  IsolatedCircuitError,
  KeyedRateLimiter,
  PhiAccrualDetector,
  type Policy,
  RateLimitedError,
  RateLimiter,
  ResilienceManager,
  RetryPolicy,
  type RetryOptions,
  TimeoutError,
  TimeoutPolicy,
  wrap,
} from './resilience/index.js';
export { type BatchItem, ed25519, type Ed25519KeyPair, MalformedSecretKeyError, mldsa44, mldsa65, mldsa87, type MlDsaKeyPair, vrf } from './sig/index.js';
export { type SimOptions, type SimResult, simulate } from './sim/index.js';
export {
  decodeTransaction,
  MalformedTransactionError,
  signTransaction,
  type Transaction,
  TransactionError,
  TransactionSignatureError,
  TransactionTooLargeError,
  transactionId,
  verifyTransactions,
  WrongChainError,
} from './tx/index.js';
export type { BackendName } from './wasm/index.js';
