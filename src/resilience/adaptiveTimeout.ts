import { optionKeys, requireInteger, requireNumber, requireObject, requireOneOf, requireOptions } from '../check/index.js';
import { type Clock, systemClock } from './clock.js';
import { TimeoutError } from './errors.js';
import { clockOption } from './options.js';
import { type Policy, rejectInvalidCall, type StatsSource, type TimedTask } from './policy.js';
import { SlidingQuantiles } from './sketch.js';
import { TIMEOUT_MODES, type TimeoutMode, TimeoutPolicy } from './timeout.js';

export interface AdaptiveTimeoutOptions {
  /** Quantile of recent latencies the timeout follows; default 0.99. */
  quantile?: number;
  minMs: number;
  maxMs: number;
  /** Timeout before any latency was seen; default maxMs. */
  initialMs?: number;
  /** Recent samples the quantile covers (between this and twice this); default 1000. */
  windowSamples?: number;
  mode?: TimeoutMode;
  clock?: Clock;
}

export const ADAPTIVE_TIMEOUT_OPTIONS = /* @__PURE__ */ optionKeys<AdaptiveTimeoutOptions>({
  quantile: true,
  minMs: true,
  maxMs: true,
  initialMs: true,
  windowSamples: true,
  mode: true,
  clock: true,
});

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
  private readonly mode: TimeoutMode;
  private readonly clock: Clock;
  private policy: TimeoutPolicy | undefined;

  constructor(options: AdaptiveTimeoutOptions) {
    const where = 'new AdaptiveTimeout';
    requireOptions(requireObject(options, where, 'options'), where, 'options', ADAPTIVE_TIMEOUT_OPTIONS);
    this.quantile = requireNumber(options.quantile ?? 0.99, where, 'options.quantile', 0, 1, '(]');
    this.minMs = requireNumber(options.minMs, where, 'options.minMs', 0);
    this.maxMs = requireNumber(options.maxMs, where, 'options.maxMs', this.minMs);
    this.initialMs = requireNumber(options.initialMs ?? this.maxMs, where, 'options.initialMs', 0);
    this.samples = new SlidingQuantiles(requireInteger(options.windowSamples ?? 1000, where, 'options.windowSamples', 1));
    this.mode = requireOneOf(options.mode ?? 'cooperative', where, 'options.mode', TIMEOUT_MODES);
    this.clock = clockOption(options.clock, where, systemClock);
  }

  /** Feeds one observed latency. */
  record(latencyMs: number): void {
    requireNumber(latencyMs, 'AdaptiveTimeout.record', 'latencyMs', 0);
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

  /** Runs `fn` under the current timeout and learns from its latency; `fn` always receives a signal. */
  async execute<T>(fn: TimedTask<T>, signal?: AbortSignal): Promise<T> {
    const invalid = rejectInvalidCall(fn, signal, 'AdaptiveTimeout.execute');
    if (invalid) return invalid;
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
