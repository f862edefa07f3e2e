import { ArgumentTypeError, describe, requireInteger, requireNumber } from '../check/index.js';

const MIN_MS = 0.001;
const MAX_MS = 3_600_000;
/** Bucket growth: every value is reported within ±2.5 % (sqrt(1.05) − 1). */
const GAMMA = 1.05;
const LOG_GAMMA = Math.log(GAMMA);
const BUCKETS = Math.ceil(Math.log(MAX_MS / MIN_MS) / LOG_GAMMA) + 1;

/** A latency sketch summed up for `stats()`. */
export interface LatencyStats {
  count: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * Latency quantiles in bounded memory: a log-bucketed histogram (DDSketch-style) over
 * [1 µs, 1 h] with ±2.5 % relative error, plus exact min/max/sum. 447 buckets, allocated on the
 * first sample, whatever the number of samples.
 */
export class QuantileSketch {
  private counts: Uint32Array | undefined;
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;

  record(ms: number): void {
    if (typeof ms !== 'number') throw new ArgumentTypeError('QuantileSketch.record', 'ms', `must be a number, got ${describe(ms)}`);
    if (!(ms >= 0)) return; // NaN or negative durations (clock stepped back) carry no information
    const counts = (this.counts ??= new Uint32Array(BUCKETS));
    const i = ms <= MIN_MS ? 0 : Math.min(BUCKETS - 1, Math.ceil(Math.log(ms / MIN_MS) / LOG_GAMMA));
    counts[i]++;
    this.count++;
    this.sum += ms;
    if (ms < this.min) this.min = ms;
    if (ms > this.max) this.max = ms;
  }

  /** The q-quantile (q in [0, 1]); NaN when empty. */
  quantile(q: number): number {
    return quantileOf([this], requireNumber(q, 'QuantileSketch.quantile', 'q', 0, 1));
  }

  clear(): void {
    this.counts?.fill(0);
    this.count = 0;
    this.sum = 0;
    this.min = Infinity;
    this.max = -Infinity;
  }

  /** Count, mean, p50, p90, p99 and max; undefined before the first sample. */
  summary(): LatencyStats | undefined {
    if (this.count === 0) return undefined;
    return { count: this.count, meanMs: this.sum / this.count, p50Ms: this.quantile(0.5), p90Ms: this.quantile(0.9), p99Ms: this.quantile(0.99), maxMs: this.max };
  }

  /** Bucket counts, for reading several sketches as one. */
  get buckets(): Uint32Array | undefined {
    return this.counts;
  }
}

/** The q-quantile (q in [0, 1], checked by the caller) of the union of `sketches`. */
function quantileOf(sketches: QuantileSketch[], q: number): number {
  let total = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const s of sketches) {
    total += s.count;
    min = Math.min(min, s.min);
    max = Math.max(max, s.max);
  }
  if (total === 0) return NaN;
  if (q === 0) return min;
  if (q === 1) return max;
  const rank = q * (total - 1);
  let seen = 0;
  for (let i = 0; i < BUCKETS; i++) {
    for (const s of sketches) seen += s.buckets ? s.buckets[i] : 0;
    if (seen > rank) {
      const mid = i === 0 ? MIN_MS : MIN_MS * GAMMA ** (i - 0.5);
      return Math.min(max, Math.max(min, mid));
    }
  }
  return max;
}

/**
 * Quantiles over the most recent samples only: two sketches take turns, the older one dropped
 * each time the newer one has seen `windowSamples` samples. Quantiles cover the last
 * windowSamples … 2·windowSamples samples.
 */
export class SlidingQuantiles {
  private current = new QuantileSketch();
  private previous = new QuantileSketch();
  readonly windowSamples: number;

  constructor(windowSamples = 1000) {
    this.windowSamples = requireInteger(windowSamples, 'new SlidingQuantiles', 'windowSamples', 1);
  }

  get count(): number {
    return this.current.count + this.previous.count;
  }

  record(ms: number): void {
    if (typeof ms !== 'number') throw new ArgumentTypeError('SlidingQuantiles.record', 'ms', `must be a number, got ${describe(ms)}`);
    if (this.current.count >= this.windowSamples) {
      const old = this.previous;
      old.clear();
      this.previous = this.current;
      this.current = old;
    }
    this.current.record(ms);
  }

  quantile(q: number): number {
    return quantileOf([this.previous, this.current], requireNumber(q, 'SlidingQuantiles.quantile', 'q', 0, 1));
  }
}
