import { type BackoffFn, decorrelatedJitter, fullJitter, type Jitter, JITTERS } from './backoff/index.js';
import { BrokenCircuitError, BulkheadRejectedError, IsolatedCircuitError } from './errors.js';
import { Emitter, type Listener, type Unsubscribe } from './events.js';
import type { PolicyTask, RecoveringPolicy, StatsSource } from './policy.js';
import { atLeast, functionOption, integer, objectOption, rejectInvalidCall, signalOption } from './validate.js';

export interface RetryOptions {
  /** Attempts in total, the first included; default 3. */
  maxAttempts?: number;
  /** Delay schedule before attempt n+1: `exponential` (baseMs·2^(n-1)), `constant` (baseMs), or a function of n. Default exponential. */
  backoff?: 'exponential' | 'constant' | BackoffFn;
  /** Default 100 ms. */
  baseMs?: number;
  /** Cap on any delay; default 30 s. */
  maxDelayMs?: number;
  /** `full`: uniform in [0, delay]; `decorrelated`: uniform in [baseMs, 3·previous] (capped); `none`. Default full. */
  jitter?: Jitter;
  /** Whether an error is worth another attempt; default every error except the never-retried ones. */
  retryIf?: (error: unknown, attempt: number) => boolean;
  signal?: AbortSignal;
  /** Source of [0, 1) numbers for jitter; default Math.random (inject for determinism). */
  random?: () => number;
  /** Waits `ms` or rejects when `signal` aborts; default a timer (inject for virtual time). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  onEvent?: Listener<RetryEvent>;
}

export type RetryEvent =
  | { type: 'retry'; attempt: number; delayMs: number; error: unknown }
  | { type: 'give-up'; attempts: number; error: unknown };

export interface RetryStats {
  /** Attempts made after a failure (the first attempts are not counted). */
  retries: number;
}

/** Errors that mean "do not call again now": retrying them would defeat the policy that threw. */
export function isNeverRetried(error: unknown): boolean {
  return error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError || error instanceof BulkheadRejectedError;
}

/** Waits on a real timer; rejects with the signal's reason on abort. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Runs a task again on failure, with backoff and jitter. */
export class RetryPolicy implements RecoveringPolicy, StatsSource<RetryStats> {
  readonly maxAttempts: number;
  private readonly delay: BackoffFn;
  private readonly baseMs: number;
  private readonly maxDelayMs: number;
  private readonly jitter: Jitter;
  private readonly retryIf: ((error: unknown, attempt: number) => boolean) | undefined;
  private readonly random: () => number;
  private readonly wait: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly signal: AbortSignal | undefined;
  private emitter: Emitter<RetryEvent> | undefined;
  retries = 0;

  constructor(options: RetryOptions = {}) {
    objectOption(options);
    this.maxAttempts = integer(options.maxAttempts ?? 3, 'maxAttempts', 1);
    this.baseMs = atLeast(options.baseMs ?? 100, 'baseMs', 0);
    this.maxDelayMs = atLeast(options.maxDelayMs ?? 30_000, 'maxDelayMs', 0);
    const backoff = options.backoff ?? 'exponential';
    if (backoff === 'exponential') this.delay = (n) => this.baseMs * 2 ** (n - 1);
    else if (backoff === 'constant') this.delay = () => this.baseMs;
    else if (typeof backoff === 'function') this.delay = backoff;
    else throw new RangeError(`backoff must be 'exponential', 'constant' or a function, got ${String(backoff)}`);
    const jitter = options.jitter ?? 'full';
    if (!JITTERS.includes(jitter)) {
      throw new RangeError(`jitter must be 'full', 'decorrelated' or 'none', got ${String(jitter)}`);
    }
    this.jitter = jitter;
    this.retryIf = functionOption(options.retryIf, 'retryIf');
    this.random = functionOption<() => number>(options.random, 'random') ?? Math.random;
    this.wait = functionOption<(ms: number, signal?: AbortSignal) => Promise<void>>(options.sleep, 'sleep') ?? sleep;
    this.signal = signalOption(options.signal, 'signal');
    if (options.onEvent) this.onEvent(options.onEvent);
  }

  onEvent(listener: Listener<RetryEvent>): Unsubscribe {
    return (this.emitter ??= new Emitter()).on(listener);
  }

  stats(): RetryStats {
    return { retries: this.retries };
  }

  execute<T>(fn: PolicyTask<T>, signal: AbortSignal | undefined = this.signal): Promise<T> {
    const invalid = rejectInvalidCall(fn, signal);
    if (invalid) return invalid;
    return this.attempt(fn, signal, 1, this.baseMs);
  }

  /**
   * For `wrap`: carries on after the first attempt of `fn` failed with `error` (made outside
   * this policy), as `execute` would have.
   */
  continueAfter<T>(error: unknown, fn: PolicyTask<T>, signal: AbortSignal | undefined): Promise<T> {
    return this.again(fn, signal, 1, this.baseMs, error);
  }

  private attempt<T>(fn: PolicyTask<T>, signal: AbortSignal | undefined, attempt: number, previous: number): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    let result: T | PromiseLike<T>;
    try {
      result = fn(signal);
    } catch (err) {
      return this.again(fn, signal, attempt, previous, err);
    }
    // the success path adds one derived promise and nothing else
    return Promise.resolve(result).then(undefined, (err: unknown) => this.again(fn, signal, attempt, previous, err));
  }

  private async again<T>(fn: PolicyTask<T>, signal: AbortSignal | undefined, attempt: number, previous: number, err: unknown): Promise<T> {
    if (!this.shouldRetry(err, attempt, signal)) {
      if (this.emitter?.active) this.emitter.emit({ type: 'give-up', attempts: attempt, error: err });
      throw err;
    }
    const delayMs = this.nextDelay(attempt, previous);
    this.retries++;
    if (this.emitter?.active) this.emitter.emit({ type: 'retry', attempt, delayMs, error: err });
    await this.wait(delayMs, signal);
    return this.attempt(fn, signal, attempt + 1, delayMs);
  }

  private shouldRetry(err: unknown, attempt: number, signal: AbortSignal | undefined): boolean {
    if (attempt >= this.maxAttempts || isNeverRetried(err)) return false;
    if (signal?.aborted) return false;
    return this.retryIf === undefined || this.retryIf(err, attempt);
  }

  private nextDelay(attempt: number, previous: number): number {
    if (this.jitter === 'decorrelated') return decorrelatedJitter(this.baseMs, previous, this.maxDelayMs, this.random);
    const d = Math.min(this.maxDelayMs, atLeast(this.delay(attempt), 'backoff(attempt)', 0));
    return this.jitter === 'full' ? fullJitter(d, this.random) : d;
  }
}

/** Runs `fn` with a one-off `RetryPolicy`. */
export function retry<T>(fn: PolicyTask<T>, options: RetryOptions = {}): Promise<T> {
  return new RetryPolicy(options).execute(fn, options.signal);
}
