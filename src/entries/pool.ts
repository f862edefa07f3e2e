// `swarmguard/pool` (Node only; the exports map refuses it to browser bundles): batch hashing,
// Merkle roots and signature verification on worker threads.
export {
  createPool,
  MAX_POOL_BATCH_BYTES,
  Pool,
  PoolClosedError,
  type PoolOperation,
  type PoolOperationName,
  type PoolOperationParams,
  type PoolOptions,
  PoolTaskError,
  PoolWorkerMissingError,
  type RunOptions,
  TaskAbortedError,
  WorkerCrashedError,
} from '../pool/index.js';
