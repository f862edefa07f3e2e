import { type Clock, systemClock } from './clock.js';
import { RateLimitedError } from './errors.js';
import { Emitter, type Listener, type Unsubscribe } from './events.js';
import type { PolicyTask } from './policy.js';
import { atLeast, clockOption, integer, nameOption, objectOption, positive, rejectInvalidCall, signalOption } from './validate.js';

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

  constructor(options: RateLimiterOptions) {
    objectOption(options);
    this.name = nameOption(options.name, 'rate-limiter');
    this.capacity = positive(options.capacity, 'capacity');
    this.refillPerSecond = positive(options.refillPerSecond, 'refillPerSecond');
    this.perMs = this.refillPerSecond / 1000;
    this.clock = clockOption(options.clock, systemClock);
    if (options.onEvent) this.onEvent(options.onEvent);
  }

  onEvent(listener: Listener<RateLimiterEvent>): Unsubscribe {
    return (this.emitter ??= new Emitter()).on(listener);
  }

  /** Runs `fn` if `bucket` has a token now, else rejects with RateLimitedError. */
  protected run<T>(bucket: TokenBucket, key: string | undefined, fn: PolicyTask<T>, signal: AbortSignal | undefined): Promise<T> {
    const invalid = rejectInvalidCall(fn, signal);
    if (invalid) return invalid;
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

  protected take(bucket: TokenBucket, n: number, key: string | undefined): boolean {
    if (n !== 1) this.checkCount(n);
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

  protected wait(bucket: TokenBucket, n: number, options: AcquireOptions, key: string | undefined): Promise<void> {
    try {
      this.checkCount(n);
      const signal = signalOption(options.signal);
      const timeoutMs = options.timeoutMs === undefined ? Infinity : atLeast(options.timeoutMs, 'timeoutMs', 0);
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
    } catch (err) {
      return Promise.reject(err);
    }
  }

  protected checkCount(n: number): void {
    integer(n, 'n', 1);
    if (n > this.capacity) throw new RangeError(`n must be <= capacity (${this.capacity}), got ${n}`);
  }

  private rejected(bucket: TokenBucket, key: string | undefined): void {
    this.rejections++;
    if (this.emitter?.active) this.emitter.emit({ type: 'rejected', policy: this.name, key, tokens: bucket.tokens });
  }
}
