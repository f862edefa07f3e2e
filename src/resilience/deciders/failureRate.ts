import { integer, positive, rate } from '../validate.js';
import type { Decider } from './decider.js';
import { type RollingWindow, WindowShape } from './rollingWindow.js';
import { WindowedDecider } from './windowed.js';

export interface WindowDeciderOptions {
  kind: 'window';
  /** Length of the rolling window. */
  windowMs: number;
  /** Buckets the window is cut into (its time resolution is windowMs / buckets). */
  buckets: number;
  /** Opens when failures / calls in the window reach this rate, in (0, 1]. */
  failureRateThreshold: number;
  /** No decision before the window holds this many calls. */
  minimumCalls: number;
  /** A call taking at least this long counts as slow. */
  slowCallMs?: number;
  /** Opens when slow calls / calls reach this rate, in (0, 1]; needs `slowCallMs`. */
  slowCallRateThreshold?: number;
}

/**
 * Failure (and slow-call) rate over a time-bucketed rolling window: `kind: 'window'` in a
 * breaker's options (the name saved breakers carry).
 */
export class FailureRateDecider extends WindowedDecider implements Decider<RollingWindow> {
  readonly usesDuration: boolean;
  readonly shape: WindowShape;
  readonly failureRateThreshold: number;
  readonly minimumCalls: number;
  readonly slowCallMs: number;
  readonly slowCallRateThreshold: number;

  constructor(options: WindowDeciderOptions) {
    super();
    this.shape = new WindowShape(options.windowMs, options.buckets, options.slowCallMs !== undefined, {
      windowMs: 'decider.windowMs',
      buckets: 'decider.buckets',
    });
    this.failureRateThreshold = rate(options.failureRateThreshold, 'decider.failureRateThreshold');
    this.minimumCalls = integer(options.minimumCalls, 'decider.minimumCalls', 1);
    this.slowCallMs = options.slowCallMs === undefined ? Infinity : positive(options.slowCallMs, 'decider.slowCallMs');
    if (options.slowCallRateThreshold !== undefined && options.slowCallMs === undefined) {
      throw new RangeError('decider.slowCallRateThreshold needs decider.slowCallMs');
    }
    this.slowCallRateThreshold =
      options.slowCallRateThreshold === undefined ? 1 : rate(options.slowCallRateThreshold, 'decider.slowCallRateThreshold');
    this.usesDuration = this.slowCallMs !== Infinity;
  }

  success(w: RollingWindow, now: number, durationMs: number): boolean {
    const slow = durationMs >= this.slowCallMs;
    w.add(now, false, slow);
    return slow && this.tripped(w);
  }

  failure(w: RollingWindow, now: number, durationMs: number): boolean {
    w.add(now, true, durationMs >= this.slowCallMs);
    return this.tripped(w);
  }

  private tripped(w: RollingWindow): boolean {
    if (w.calls < this.minimumCalls) return false;
    return w.failures >= this.failureRateThreshold * w.calls || (this.usesDuration && w.slow >= this.slowCallRateThreshold * w.calls);
  }
}
