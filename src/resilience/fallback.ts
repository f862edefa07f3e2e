import type { Policy, Task } from './policy.js';
import { functionOption, taskOption } from './validate.js';

export interface FallbackOptions {
  /** Which errors fall back; default every error except the caller's own abort. */
  when?: (error: unknown) => boolean;
}

/**
 * Returns `alternative(error)` when the task fails. Inside `wrap` the alternative stands in for
 * the task's result, so it should return the same type.
 */
export class FallbackPolicy<A = unknown> implements Policy {
  private readonly alternative: (error: unknown) => A | PromiseLike<A>;
  private readonly when: ((error: unknown) => boolean) | undefined;
  fallbacks = 0;

  constructor(alternative: (error: unknown) => A | PromiseLike<A>, options: FallbackOptions = {}) {
    taskOption(alternative, 'alternative');
    this.alternative = alternative;
    this.when = functionOption(options.when, 'when');
  }

  async execute<T>(fn: Task<T>, signal?: AbortSignal): Promise<T> {
    if (typeof fn !== 'function') taskOption(fn);
    try {
      return await fn(signal);
    } catch (err) {
      if (signal?.aborted && err === signal.reason) throw err;
      if (this.when !== undefined && !this.when(err)) throw err;
      this.fallbacks++;
      return (await this.alternative(err)) as T;
    }
  }
}

/** Runs `fn`; on failure returns `alternative(error)`. */
export function fallback<T, A>(fn: Task<T>, alternative: (error: unknown) => A | PromiseLike<A>, signal?: AbortSignal): Promise<T | A> {
  return new FallbackPolicy<A>(alternative).execute<T | A>(fn, signal);
}
