import { Emitter, type Listener, type Unsubscribe } from './events.js';
import type { Policy, PolicyTask, StatsSource } from './policy.js';
import { functionOption, objectOption, rejectInvalidCall, taskOption } from './validate.js';

export interface FallbackOptions {
  /** Which errors fall back; default every error except the caller's own abort. */
  when?: (error: unknown) => boolean;
  onEvent?: Listener<FallbackEvent>;
}

export type FallbackEvent = { type: 'fallback'; error: unknown };

export interface FallbackStats {
  /** Failures answered by the alternative. */
  fallbacks: number;
}

/**
 * Returns `alternative(error)` when the task fails. Inside `wrap` the alternative stands in for
 * the task's result, so it should return the same type.
 */
export class FallbackPolicy<A = unknown> implements Policy, StatsSource<FallbackStats> {
  private readonly alternative: (error: unknown) => A | PromiseLike<A>;
  private readonly when: ((error: unknown) => boolean) | undefined;
  private emitter: Emitter<FallbackEvent> | undefined;
  fallbacks = 0;

  constructor(alternative: (error: unknown) => A | PromiseLike<A>, options: FallbackOptions = {}) {
    taskOption(alternative, 'alternative');
    objectOption(options);
    this.alternative = alternative;
    this.when = functionOption(options.when, 'when');
    if (options.onEvent) this.onEvent(options.onEvent);
  }

  onEvent(listener: Listener<FallbackEvent>): Unsubscribe {
    return (this.emitter ??= new Emitter()).on(listener);
  }

  stats(): FallbackStats {
    return { fallbacks: this.fallbacks };
  }

  async execute<T>(fn: PolicyTask<T>, signal?: AbortSignal): Promise<T> {
    const invalid = rejectInvalidCall(fn, signal);
    if (invalid) return invalid;
    try {
      return await fn(signal);
    } catch (err) {
      if (signal?.aborted && err === signal.reason) throw err;
      if (this.when !== undefined && !this.when(err)) throw err;
      this.fallbacks++;
      if (this.emitter?.active) this.emitter.emit({ type: 'fallback', error: err });
      return (await this.alternative(err)) as T;
    }
  }
}

/** Runs `fn`; on failure returns `alternative(error)`. */
export function fallback<T, A>(fn: PolicyTask<T>, alternative: (error: unknown) => A | PromiseLike<A>, signal?: AbortSignal): Promise<T | A> {
  return new FallbackPolicy<A>(alternative).execute<T | A>(fn, signal);
}
