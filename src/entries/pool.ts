// `swarmguard/pool` on Node: batch hashing, Merkle roots and signature verification on worker
// threads. Browsers get poolBrowser.ts instead (the exports map's `browser` condition): the same
// API on Web Workers.
export {
  createPool,
  MAX_POOL_BATCH_BYTES,
  type MlDsaPoolOptions,
  Pool,
  PoolClosedError,
  type PoolBuffers,
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
