import { requireInteger, requireString } from '../check/index.js';
import type { Listener, Unsubscribe } from './events.js';
import { type Policy, rejectInvalidCall, type StatsSource } from './policy.js';
import {
  type AcquireOptions,
  RATE_LIMITER_OPTIONS,
  type RateLimiterEvent,
  type RateLimiterOptions,
  TokenBucket,
  TokenBucketLimiter,
  waitLimits,
} from './tokenBucketLimiter.js';

export interface KeyedRateLimiterOptions extends RateLimiterOptions {
  /** Keys remembered at once; the least recently used key is forgotten beyond this. */
  maxKeys: number;
}

export interface KeyedRateLimiterStats {
  acquired: number;
  rejections: number;
  /** Keys remembered now. */
  keys: number;
  /** Keys forgotten to stay within `maxKeys`. */
  evictions: number;
}

export const KEYED_RATE_LIMITER_OPTIONS = /* @__PURE__ */ RATE_LIMITER_OPTIONS.concat('maxKeys');

/**
 * One token bucket per key (client, peer, IP…), at most `maxKeys` of them: the least recently
 * used key is evicted, so memory stays bounded whatever the number of distinct keys. An
 * evicted key comes back with a full bucket — size `maxKeys` above the number of keys active
 * within one refill period so eviction never grants extra bursts in practice.
 */
export class KeyedRateLimiter extends TokenBucketLimiter implements StatsSource<KeyedRateLimiterStats> {
  readonly maxKeys: number;
  private readonly buckets = new Map<string, TokenBucket>();
  evictions = 0;

  constructor(options: KeyedRateLimiterOptions) {
    super(options, 'new KeyedRateLimiter', KEYED_RATE_LIMITER_OPTIONS);
    this.maxKeys = requireInteger(options.maxKeys, 'new KeyedRateLimiter', 'options.maxKeys', 1);
  }

  /** Keys currently remembered. */
  get size(): number {
    return this.buckets.size;
  }

  stats(): KeyedRateLimiterStats {
    return { acquired: this.acquired, rejections: this.rejections, keys: this.buckets.size, evictions: this.evictions };
  }

  onEvent(listener: Listener<RateLimiterEvent>): Unsubscribe {
    return this.subscribe(listener, 'KeyedRateLimiter.onEvent');
  }

  has(key: string): boolean {
    return this.buckets.has(key);
  }

  /** Tokens `key` has now (a full bucket for a key not remembered). */
  tokensFor(key: string): number {
    requireString(key, 'KeyedRateLimiter.tokensFor', 'key');
    const bucket = this.buckets.get(key);
    if (bucket === undefined) return this.capacity;
    bucket.refill(this.clock(), this.capacity, this.perMs);
    return bucket.tokens;
  }

  tryAcquireFor(key: string, n = 1): boolean {
    requireString(key, 'KeyedRateLimiter.tryAcquireFor', 'key');
    if (n !== 1) this.checkCount(n, 'KeyedRateLimiter.tryAcquireFor');
    return this.take(this.bucketFor(key), n, key);
  }

  acquireFor(key: string, n = 1, options: AcquireOptions = {}): Promise<void> {
    try {
      requireString(key, 'KeyedRateLimiter.acquireFor', 'key');
      this.checkCount(n, 'KeyedRateLimiter.acquireFor');
      return this.wait(this.bucketFor(key), n, waitLimits(options, 'KeyedRateLimiter.acquireFor'), key);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** A policy that charges `key`'s bucket: `limiter.policyFor(peer).execute(fn)`, e.g. inside `wrap`. */
  policyFor(key: string): Policy {
    requireString(key, 'KeyedRateLimiter.policyFor', 'key');
    return {
      execute: (fn, signal) => rejectInvalidCall(fn, signal, 'KeyedRateLimiter.policyFor(key).execute') ?? this.run(this.bucketFor(key), key, fn, signal),
    };
  }

  /** `key`'s bucket, now the most recently used (arguments checked by the caller). */
  private bucketFor(key: string): TokenBucket {
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
