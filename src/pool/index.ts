export { PoolClosedError, PoolTaskError, PoolWorkerMissingError, TaskAbortedError, WorkerCrashedError } from './errors.js';
export type { PoolOperation, PoolOperationName, PoolOperationParams } from './operations.js';
export { createPool, MAX_POOL_BATCH_BYTES, Pool, type PoolOptions, type RunOptions } from './pool.js';
