import type { Policy, StatsSource } from './policy.js';
import { type AcquireOptions, TokenBucket, TokenBucketLimiter, type RateLimiterOptions } from './tokenBucketLimiter.js';
import { integer } from './validate.js';

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
    super(options);
    this.maxKeys = integer(options.maxKeys, 'maxKeys', 1);
  }

  /** Keys currently remembered. */
  get size(): number {
    return this.buckets.size;
  }

  stats(): KeyedRateLimiterStats {
    return { acquired: this.acquired, rejections: this.rejections, keys: this.buckets.size, evictions: this.evictions };
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
