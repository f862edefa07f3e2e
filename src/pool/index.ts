export { MAX_POOL_BATCH_BYTES, PoolClosedError, PoolTaskError, PoolWorkerMissingError, TaskAbortedError, WorkerCrashedError } from '../shards/index.js';
export type { MlDsaPoolOptions, PoolBuffers, PoolOperation, PoolOperationName, PoolOperationParams, PoolOptions, RunOptions } from '../shards/index.js';
export { createPool, Pool } from './pool.js';
