import { ArgumentRangeError, optionKeys, requireInteger, requireNumber, requireObject, requireOptions, requireSignal } from '../check/index.js';
import { type Clock, systemClock } from './clock.js';
import { RateLimitedError } from './errors.js';
import { Emitter, type Listener, type Unsubscribe } from './events.js';
import { clockOption, functionOption, isAbsent, nameOption } from './options.js';
import type { PolicyTask } from './policy.js';

export interface RateLimiterOptions {
  name?: string;
  /** Largest burst: the bucket holds at most this many tokens (and starts full). */
  capacity: number;
  /** Tokens added per second. */
  refillPerSecond: number;
  clock?: Clock;
  onEvent?: Listener<RateLimiterEvent>;
}

export interface AcquireOptions {
  signal?: AbortSignal;
  /** Give up (RateLimitedError) at once if the tokens would take longer than this; default no limit. */
  timeoutMs?: number;
}

export const RATE_LIMITER_OPTIONS = /* @__PURE__ */ optionKeys<RateLimiterOptions>({ name: true, capacity: true, refillPerSecond: true, clock: true, onEvent: true });

/** `acquire`'s options, checked. */
export interface WaitLimits {
  signal: AbortSignal | undefined;
  timeoutMs: number;
}

/** Reads `acquire`'s options; `where` names the method in argument errors. */
export function waitLimits(options: unknown, where: string): WaitLimits {
  const o = requireOptions(requireObject<AcquireOptions>(options, where, 'options'), where, 'options', ['signal', 'timeoutMs']);
  return {
    signal: requireSignal(o.signal, where, 'options.signal'),
    timeoutMs: isAbsent(o.timeoutMs) ? Infinity : requireNumber(o.timeoutMs, where, 'options.timeoutMs', 0),
  };
}

export type RateLimiterEvent = { type: 'rejected'; policy: string; key?: string; tokens: number };

/**
 * Token bucket state, refilled lazily from the clock (no timers). `tokens` may go negative:
 * `acquire` reserves tokens up front and waits until the debt is refilled, so waiters are
 * served in arrival order and a later `tryAcquire` cannot overtake them.
 */
export class TokenBucket {
  tokens: number;
  last: number;

  constructor(capacity: number, now: number) {
    this.tokens = capacity;
    this.last = now;
  }

  refill(now: number, capacity: number, perMs: number): void {
    if (now > this.last) {
      this.tokens = Math.min(capacity, this.tokens + (now - this.last) * perMs);
      this.last = now;
    }
  }
}

/** What `RateLimiter` and `KeyedRateLimiter` share: options, counters, taking and waiting. */
export abstract class TokenBucketLimiter {
  readonly name: string;
  readonly capacity: number;
  readonly refillPerSecond: number;
  protected readonly perMs: number;
  protected readonly clock: Clock;
  protected emitter: Emitter<RateLimiterEvent> | undefined;
  acquired = 0;
  rejections = 0;

  /** `where` names the subclass's constructor in argument errors, `known` its option names. */
  constructor(options: RateLimiterOptions, where: string, known: readonly string[]) {
    requireOptions(requireObject(options, where, 'options'), where, 'options', known);
    this.name = nameOption(options.name, where, 'rate-limiter');
    this.capacity = requireNumber(options.capacity, where, 'options.capacity', 0, Infinity, '()');
    this.refillPerSecond = requireNumber(options.refillPerSecond, where, 'options.refillPerSecond', 0, Infinity, '()');
    this.perMs = this.refillPerSecond / 1000;
    this.clock = clockOption(options.clock, where, systemClock);
    const onEvent = functionOption<Listener<RateLimiterEvent>>(options.onEvent, where, 'options.onEvent');
    if (onEvent !== undefined) this.onEvent(onEvent);
  }

  /** Subscribes to rejections. */
  abstract onEvent(listener: Listener<RateLimiterEvent>): Unsubscribe;

  protected subscribe(listener: Listener<RateLimiterEvent>, where: string): Unsubscribe {
    return (this.emitter ??= new Emitter()).on(listener, where);
  }

  /** Runs `fn` (checked by the caller) if `bucket` has a token now, else rejects with RateLimitedError. */
  protected run<T>(bucket: TokenBucket, key: string | undefined, fn: PolicyTask<T>, signal: AbortSignal | undefined): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (!this.take(bucket, 1, key)) {
      return Promise.reject(new RateLimitedError(`rate limiter ${this.name}${key === undefined ? '' : ` (${key})`}: no token`, this.waitMs(bucket, 1)));
    }
    try {
      return Promise.resolve(fn(signal));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Takes `n` tokens (checked by the caller) if `bucket` has them now. */
  protected take(bucket: TokenBucket, n: number, key: string | undefined): boolean {
    bucket.refill(this.clock(), this.capacity, this.perMs);
    if (bucket.tokens >= n) {
      bucket.tokens -= n;
      this.acquired++;
      return true;
    }
    this.rejected(bucket, key);
    return false;
  }

  protected waitMs(bucket: TokenBucket, n: number): number {
    return Math.max(0, (n - bucket.tokens) / this.perMs);
  }

  /** Reserves `n` tokens of `bucket` and waits until they are refilled (arguments checked by the caller). */
  protected wait(bucket: TokenBucket, n: number, { signal, timeoutMs }: WaitLimits, key: string | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    bucket.refill(this.clock(), this.capacity, this.perMs);
    const waitMs = this.waitMs(bucket, n);
    if (waitMs > timeoutMs) {
      this.rejected(bucket, key);
      return Promise.reject(new RateLimitedError(`rate limiter ${this.name}: ${n} tokens need ${Math.ceil(waitMs)} ms`, waitMs));
    }
    bucket.tokens -= n; // reserve now: later callers queue behind this one
    this.acquired++;
    if (waitMs === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(timer);
        bucket.tokens += n; // hand the reservation back
        this.acquired--;
        reject(signal!.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, waitMs);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** A token count: an integer in [1, capacity]. */
  protected checkCount(n: unknown, where: string): number {
    requireInteger(n, where, 'n', 1);
    if ((n as number) > this.capacity) throw new ArgumentRangeError(where, 'n', `must be <= capacity (${this.capacity}), got ${n}`);
    return n as number;
  }

  private rejected(bucket: TokenBucket, key: string | undefined): void {
    this.rejections++;
    if (this.emitter?.active) this.emitter.emit({ type: 'rejected', policy: this.name, key, tokens: bucket.tokens });
  }
}
