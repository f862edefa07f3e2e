import { optionKeys, requireFunction, requireOptions } from '../check/index.js';
import { Emitter, type Listener, type Unsubscribe } from './events.js';
import { functionOption } from './options.js';
import { type Policy, type PolicyTask, rejectInvalidCall, type StatsSource } from './policy.js';

export interface FallbackOptions {
  /** Which errors fall back; default every error except the caller's own abort. */
  when?: (error: unknown) => boolean;
  onEvent?: Listener<FallbackEvent>;
}

const FALLBACK_OPTIONS = /* @__PURE__ */ optionKeys<FallbackOptions>({ when: true, onEvent: true });

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

  constructor(alternative: (error: unknown) => A | PromiseLike<A>, options?: FallbackOptions);
  /** @internal `where` names the caller in argument errors (`fallback()` makes one-off policies). */
  constructor(alternative: (error: unknown) => A | PromiseLike<A>, options: FallbackOptions | undefined, where: string);
  constructor(alternative: (error: unknown) => A | PromiseLike<A>, options: FallbackOptions = {}, where = 'new FallbackPolicy') {
    this.alternative = requireFunction(alternative, where, 'alternative');
    requireOptions(options, where, 'options', FALLBACK_OPTIONS);
    this.when = functionOption(options.when, where, 'options.when');
    const onEvent = functionOption<Listener<FallbackEvent>>(options.onEvent, where, 'options.onEvent');
    if (onEvent !== undefined) this.onEvent(onEvent);
  }

  onEvent(listener: Listener<FallbackEvent>): Unsubscribe {
    return (this.emitter ??= new Emitter()).on(listener, 'FallbackPolicy.onEvent');
  }

  stats(): FallbackStats {
    return { fallbacks: this.fallbacks };
  }

  async execute<T>(fn: PolicyTask<T>, signal?: AbortSignal): Promise<T> {
    const invalid = rejectInvalidCall(fn, signal, 'FallbackPolicy.execute');
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
  const policy = new FallbackPolicy<A>(alternative, undefined, 'fallback');
  return rejectInvalidCall(fn, signal, 'fallback') ?? policy.execute<T | A>(fn, signal);
}
