import { type Clock, systemClock } from './clock.js';
import { TimeoutError } from './errors.js';
import type { Policy, PolicyTask, StatsSource } from './policy.js';
import { SlidingQuantiles } from './sketch.js';
import { TimeoutPolicy } from './timeout.js';
import { atLeast, clockOption, objectOption, positive } from './validate.js';

export interface AdaptiveTimeoutOptions {
  /** Quantile of recent latencies the timeout follows; default 0.99. */
  quantile?: number;
  minMs: number;
  maxMs: number;
  /** Timeout before any latency was seen; default maxMs. */
  initialMs?: number;
  /** Recent samples the quantile covers (between this and twice this); default 1000. */
  windowSamples?: number;
  mode?: 'cooperative' | 'aggressive';
  clock?: Clock;
}

export interface AdaptiveTimeoutStats {
  /** The timeout a call starting now would get. */
  timeoutMs: number;
}

/**
 * A timeout that follows a high quantile of observed latencies (bounded-memory sketch over a
 * sliding window of samples), clamped to [minMs, maxMs]. A call that times out is recorded as
 * taking the timeout, so a slowing dependency pushes the quantile — and the timeout — up.
 */
export class AdaptiveTimeout implements Policy, StatsSource<AdaptiveTimeoutStats> {
  readonly quantile: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly initialMs: number;
  private readonly samples: SlidingQuantiles;
  private readonly mode: 'cooperative' | 'aggressive';
  private readonly clock: Clock;
  private policy: TimeoutPolicy | undefined;

  constructor(options: AdaptiveTimeoutOptions) {
    objectOption(options);
    this.quantile = positive(options.quantile ?? 0.99, 'quantile');
    if (this.quantile > 1) throw new RangeError(`quantile must be in (0, 1], got ${this.quantile}`);
    this.minMs = atLeast(options.minMs, 'minMs', 0);
    this.maxMs = atLeast(options.maxMs, 'maxMs', this.minMs);
    this.initialMs = options.initialMs === undefined ? this.maxMs : atLeast(options.initialMs, 'initialMs', 0);
    this.samples = new SlidingQuantiles(options.windowSamples ?? 1000);
    this.mode = options.mode ?? 'cooperative';
    this.clock = clockOption(options.clock, systemClock);
  }

  /** Feeds one observed latency. */
  record(latencyMs: number): void {
    atLeast(latencyMs, 'latencyMs', 0);
    this.samples.record(latencyMs);
  }

  /** The timeout to use now. */
  get timeoutMs(): number {
    if (this.samples.count === 0) return Math.min(this.maxMs, Math.max(this.minMs, this.initialMs));
    return Math.min(this.maxMs, Math.max(this.minMs, this.samples.quantile(this.quantile)));
  }

  stats(): AdaptiveTimeoutStats {
    return { timeoutMs: this.timeoutMs };
  }

  /** Runs `fn` under the current timeout and learns from its latency. */
  async execute<T>(fn: PolicyTask<T>, signal?: AbortSignal): Promise<T> {
    const ms = Math.ceil(this.timeoutMs);
    if (this.policy?.ms !== ms) this.policy = new TimeoutPolicy(ms, { mode: this.mode, clock: this.clock });
    const start = this.clock();
    try {
      const value = await this.policy.execute(fn, signal);
      this.samples.record(this.clock() - start);
      return value;
    } catch (err) {
      if (err instanceof TimeoutError) this.samples.record(ms);
      throw err;
    }
  }
}
