import { SwarmguardError } from '../errors/index.js';

/** A worker thread died (crashed, ran out of memory, was terminated) while running a task; the pool replaces it. */
export class WorkerCrashedError extends SwarmguardError {
  override readonly name: string = 'WorkerCrashedError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_WORKER_CRASHED', message, options);
  }
}

/** The task was cancelled through its AbortSignal (named `AbortError`, as DOM and Node aborts are). */
export class TaskAbortedError extends SwarmguardError {
  constructor(options?: { cause?: unknown }) {
    super('ERR_TASK_ABORTED', 'the pool task was aborted', options);
    this.name = 'AbortError';
  }
}

/** A task failed inside a worker for a reason other than its arguments (which are checked before dispatch). */
export class PoolTaskError extends SwarmguardError {
  override readonly name: string = 'PoolTaskError';
  constructor(message: string) {
    super('ERR_POOL_TASK', message);
  }
}

/** The compiled worker file is missing (running from TypeScript sources without `tsc` output in dist/). */
export class PoolWorkerMissingError extends SwarmguardError {
  override readonly name: string = 'PoolWorkerMissingError';
  constructor(message: string) {
    super('ERR_POOL_WORKER_MISSING', message);
  }
}

/** Work was submitted after `close()`. */
export class PoolClosedError extends SwarmguardError {
  override readonly name: string = 'PoolClosedError';
  constructor() {
    super('ERR_POOL_CLOSED', 'the pool is closed');
  }
}
