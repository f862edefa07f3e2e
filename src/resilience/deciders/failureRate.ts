import { ArgumentRangeError, optionKeys, requireInteger, requireNumber } from '../../check/index.js';
import { isAbsent } from '../options.js';
import type { Decider } from './decider.js';
import { MAX_BUCKETS, type RollingWindow, WindowShape } from './rollingWindow.js';
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

export const WINDOW_DECIDER_OPTIONS = /* @__PURE__ */ optionKeys<WindowDeciderOptions>({
  kind: true,
  windowMs: true,
  buckets: true,
  failureRateThreshold: true,
  minimumCalls: true,
  slowCallMs: true,
  slowCallRateThreshold: true,
});

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

  constructor(options: WindowDeciderOptions, where: string) {
    super();
    const windowMs = requireNumber(options.windowMs, where, 'options.decider.windowMs', 0, Infinity, '()');
    const buckets = requireInteger(options.buckets, where, 'options.decider.buckets', 1, MAX_BUCKETS);
    const trackSlow = !isAbsent(options.slowCallMs);
    this.shape = new WindowShape(windowMs, buckets, trackSlow);
    this.failureRateThreshold = requireNumber(options.failureRateThreshold, where, 'options.decider.failureRateThreshold', 0, 1, '(]');
    this.minimumCalls = requireInteger(options.minimumCalls, where, 'options.decider.minimumCalls', 1);
    this.slowCallMs = trackSlow ? requireNumber(options.slowCallMs, where, 'options.decider.slowCallMs', 0, Infinity, '()') : Infinity;
    if (!isAbsent(options.slowCallRateThreshold) && !trackSlow) {
      throw new ArgumentRangeError(where, 'options.decider.slowCallRateThreshold', 'needs options.decider.slowCallMs');
    }
    this.slowCallRateThreshold = requireNumber(options.slowCallRateThreshold ?? 1, where, 'options.decider.slowCallRateThreshold', 0, 1, '(]');
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
