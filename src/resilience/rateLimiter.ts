import { type Clock, systemClock } from './clock.js';
import { RateLimitedError } from './errors.js';
import { Emitter, type Listener, type Unsubscribe } from './events.js';
import type { Policy, PolicyTask } from './policy.js';
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

/** A token-bucket rate limiter; as a `Policy` it rejects calls over the rate with `RateLimitedError`. */
export class RateLimiter extends TokenBucketLimiter implements Policy {
  private readonly bucket: TokenBucket;

  constructor(options: RateLimiterOptions) {
    super(options);
    this.bucket = new TokenBucket(this.capacity, this.clock());
  }

  /** Tokens available now (negative while waiters hold reservations). */
  get tokens(): number {
    this.bucket.refill(this.clock(), this.capacity, this.perMs);
    return this.bucket.tokens;
  }

  /** Takes `n` tokens if they are there now. */
  tryAcquire(n = 1): boolean {
    return this.take(this.bucket, n, undefined);
  }

  /** Waits until `n` tokens are available (reserving them in arrival order). */
  acquire(n = 1, options: AcquireOptions = {}): Promise<void> {
    return this.wait(this.bucket, n, options, undefined);
  }

  execute<T>(fn: PolicyTask<T>, signal?: AbortSignal): Promise<T> {
    return this.run(this.bucket, undefined, fn, signal);
  }
}

export interface KeyedRateLimiterOptions extends RateLimiterOptions {
  /** Keys remembered at once; the least recently used key is forgotten beyond this. */
  maxKeys: number;
}

/**
 * One token bucket per key (client, peer, IP…), at most `maxKeys` of them: the least recently
 * used key is evicted, so memory stays bounded whatever the number of distinct keys. An
 * evicted key comes back with a full bucket — size `maxKeys` above the number of keys active
 * within one refill period so eviction never grants extra bursts in practice.
 */
export class KeyedRateLimiter extends TokenBucketLimiter {
  readonly maxKeys: number;
  private readonly buckets = new Map<string, TokenBucket>();
  evictions = 0;

  constructor(options: KeyedRateLimiterOptions) {
    super(options);
    this.maxKeys = integer(options.maxKeys, 'maxKeys', 1);
  }

  /** Keys currently remembered. */
  get size(): number {
    return this.buckets.size;
  }

  has(key: string): boolean {
    return this.buckets.has(key);
  }

  /** Tokens `key` has now (a full bucket for a key not remembered). */
  tokensFor(key: string): number {
    const bucket = this.buckets.get(key);
    if (bucket === undefined) return this.capacity;
    bucket.refill(this.clock(), this.capacity, this.perMs);
    return bucket.tokens;
  }

  tryAcquireFor(key: string, n = 1): boolean {
    return this.take(this.bucketFor(key), n, key);
  }

  acquireFor(key: string, n = 1, options: AcquireOptions = {}): Promise<void> {
    try {
      return this.wait(this.bucketFor(key), n, options, key);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** A policy that charges `key`'s bucket: `limiter.policyFor(peer).execute(fn)`, e.g. inside `wrap`. */
  policyFor(key: string): Policy {
    if (typeof key !== 'string') throw new TypeError(`key must be a string, got ${typeof key}`);
    return { execute: (fn, signal) => this.run(this.bucketFor(key), key, fn, signal) };
  }

  private bucketFor(key: string): TokenBucket {
    if (typeof key !== 'string') throw new TypeError(`key must be a string, got ${typeof key}`);
    const map = this.buckets;
    let bucket = map.get(key);
    if (bucket !== undefined) {
      map.delete(key); // re-insert: Map order is recency order
    } else {
      bucket = new TokenBucket(this.capacity, this.clock());
      if (map.size >= this.maxKeys) {
        map.delete(map.keys().next().value as string);
        this.evictions++;
      }
    }
    map.set(key, bucket);
    return bucket;
  }
}
