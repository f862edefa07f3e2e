import { ArgumentRangeError, ArgumentTypeError, describe, optionKeys, requireInteger, requireNumber, requireOneOf, requireOptions, requireSignal } from '../check/index.js';
import { type BackoffFn, decorrelatedJitter, delayOf, fullJitter, type Jitter, JITTERS } from './backoff/index.js';
import { BrokenCircuitError, BulkheadRejectedError, IsolatedCircuitError } from './errors.js';
import { Emitter, type Listener, type Unsubscribe } from './events.js';
import { functionOption } from './options.js';
import { type PolicyTask, type RecoveringPolicy, rejectInvalidCall, type StatsSource } from './policy.js';

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

export const RETRY_OPTIONS = /* @__PURE__ */ optionKeys<RetryOptions>({
  maxAttempts: true,
  backoff: true,
  baseMs: true,
  maxDelayMs: true,
  jitter: true,
  retryIf: true,
  signal: true,
  random: true,
  sleep: true,
  onEvent: true,
});

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

/**
 * Waits on a real timer; rejects with the signal's reason on abort. `background`: the timer does
 * not keep a Node process alive (reconnect loops that must not outlive `close()`).
 */
export function sleep(ms: number, signal?: AbortSignal, background = false): Promise<void> {
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
    if (background) (timer as { unref?: () => void }).unref?.();
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

  constructor(options?: RetryOptions);
  /** @internal `where` names the caller in argument errors (`retry()` makes one-off policies). */
  constructor(options: RetryOptions | undefined, where: string);
  constructor(options: RetryOptions = {}, where = 'new RetryPolicy') {
    requireOptions(options, where, 'options', RETRY_OPTIONS);
    this.maxAttempts = requireInteger(options.maxAttempts ?? 3, where, 'options.maxAttempts', 1);
    this.baseMs = requireNumber(options.baseMs ?? 100, where, 'options.baseMs', 0);
    this.maxDelayMs = requireNumber(options.maxDelayMs ?? 30_000, where, 'options.maxDelayMs', 0);
    this.delay = schedule(options.backoff ?? 'exponential', this.baseMs, where);
    this.jitter = requireOneOf(options.jitter ?? 'full', where, 'options.jitter', JITTERS);
    this.retryIf = functionOption(options.retryIf, where, 'options.retryIf');
    this.random = functionOption<() => number>(options.random, where, 'options.random') ?? Math.random;
    this.wait = functionOption<(ms: number, signal?: AbortSignal) => Promise<void>>(options.sleep, where, 'options.sleep') ?? sleep;
    this.signal = requireSignal(options.signal, where, 'options.signal');
    const onEvent = functionOption<Listener<RetryEvent>>(options.onEvent, where, 'options.onEvent');
    if (onEvent !== undefined) this.onEvent(onEvent);
  }

  onEvent(listener: Listener<RetryEvent>): Unsubscribe {
    return (this.emitter ??= new Emitter()).on(listener, 'RetryPolicy.onEvent');
  }

  stats(): RetryStats {
    return { retries: this.retries };
  }

  execute<T>(fn: PolicyTask<T>, signal: AbortSignal | undefined = this.signal): Promise<T> {
    const invalid = rejectInvalidCall(fn, signal, 'RetryPolicy.execute');
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
    const d = Math.min(this.maxDelayMs, this.delay(attempt));
    return this.jitter === 'full' ? fullJitter(d, this.random) : d;
  }
}

/**
 * The delay before retry `n` (uncapped; the policy caps it at maxDelayMs): the named schedules
 * over `baseMs`, or the caller's function, whose delays are checked as they are made. 2^(n−1)
 * overflows to Infinity past n = 1024, which the cap turns into maxDelayMs.
 */
function schedule(backoff: unknown, baseMs: number, where: string): BackoffFn {
  if (typeof backoff === 'function') return (n) => delayOf(backoff as BackoffFn, n, where, 'options.backoff');
  if (backoff === 'exponential') return baseMs === 0 ? () => 0 : (n) => baseMs * 2 ** (n - 1);
  if (backoff === 'constant') return () => baseMs;
  const requirement = `must be 'exponential', 'constant' or a function, got ${typeof backoff === 'string' ? `'${backoff}'` : describe(backoff)}`;
  throw typeof backoff === 'string' ? new ArgumentRangeError(where, 'options.backoff', requirement) : new ArgumentTypeError(where, 'options.backoff', requirement);
}

/** Runs `fn` with a one-off `RetryPolicy`. */
export function retry<T>(fn: PolicyTask<T>, options: RetryOptions = {}): Promise<T> {
  const policy = new RetryPolicy(options, 'retry');
  return rejectInvalidCall(fn, undefined, 'retry') ?? policy.execute(fn, options.signal);
}
