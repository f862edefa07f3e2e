export { PoolClosedError, PoolTaskError, PoolWorkerMissingError, TaskAbortedError, WorkerCrashedError } from './errors.js';
export type { PoolOperation, PoolOperationName, PoolOperationParams } from './operations.js';
export { runShard, type ShardRequest, type ShardResult } from './shard.js';
export {
  abortError,
  checkPoolOptions,
  MAX_POOL_BATCH_BYTES,
  type MlDsaPoolOptions,
  type PoolBuffers,
  type PoolOptions,
  type RunOptions,
  ShardedPool,
} from './shardedPool.js';
