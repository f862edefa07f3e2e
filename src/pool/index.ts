export { PoolClosedError, PoolTaskError, PoolWorkerMissingError, TaskAbortedError, WorkerCrashedError } from './errors.js';
export { createPool, Pool, type PoolOptions, type RunOptions } from './pool.js';
export type { PoolTask, TaskName, TaskParams } from './tasks.js';
