import type { Listener, Unsubscribe } from './events.js';
import { type Policy, type PolicyTask, rejectInvalidCall, type StatsSource } from './policy.js';
import {
  type AcquireOptions,
  RATE_LIMITER_OPTIONS,
  type RateLimiterEvent,
  type RateLimiterOptions,
  TokenBucket,
  TokenBucketLimiter,
  waitLimits,
} from './tokenBucketLimiter.js';

export interface RateLimiterStats {
  acquired: number;
  rejections: number;
  /** Tokens available now (negative while waiters hold reservations). */
  tokens: number;
}

/** A token-bucket rate limiter; as a `Policy` it rejects calls over the rate with `RateLimitedError`. */
export class RateLimiter extends TokenBucketLimiter implements Policy, StatsSource<RateLimiterStats> {
  private readonly bucket: TokenBucket;

  constructor(options: RateLimiterOptions) {
    super(options, 'new RateLimiter', RATE_LIMITER_OPTIONS);
    this.bucket = new TokenBucket(this.capacity, this.clock());
  }

  /** Tokens available now (negative while waiters hold reservations). */
  get tokens(): number {
    this.bucket.refill(this.clock(), this.capacity, this.perMs);
    return this.bucket.tokens;
  }

  stats(): RateLimiterStats {
    return { acquired: this.acquired, rejections: this.rejections, tokens: this.tokens };
  }

  onEvent(listener: Listener<RateLimiterEvent>): Unsubscribe {
    return this.subscribe(listener, 'RateLimiter.onEvent');
  }

  /** Takes `n` tokens if they are there now. */
  tryAcquire(n = 1): boolean {
    if (n !== 1) this.checkCount(n, 'RateLimiter.tryAcquire');
    return this.take(this.bucket, n, undefined);
  }

  /** Waits until `n` tokens are available (reserving them in arrival order). */
  acquire(n = 1, options: AcquireOptions = {}): Promise<void> {
    try {
      this.checkCount(n, 'RateLimiter.acquire');
      return this.wait(this.bucket, n, waitLimits(options, 'RateLimiter.acquire'), undefined);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  execute<T>(fn: PolicyTask<T>, signal?: AbortSignal): Promise<T> {
    return rejectInvalidCall(fn, signal, 'RateLimiter.execute') ?? this.run(this.bucket, undefined, fn, signal);
  }
}
