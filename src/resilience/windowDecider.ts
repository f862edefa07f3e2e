import type { Decider } from './decider.js';
import { integer, positive, rate } from './validate.js';
import { RollingWindow } from './window.js';

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

/** Failure (and slow-call) rate over a time-bucketed rolling window. */
export class WindowDecider implements Decider {
  readonly usesClock = true;
  readonly usesDuration: boolean;
  readonly window: RollingWindow;
  readonly failureRateThreshold: number;
  readonly minimumCalls: number;
  readonly slowCallMs: number;
  readonly slowCallRateThreshold: number;

  constructor(options: WindowDeciderOptions) {
    this.window = new RollingWindow(options.windowMs, options.buckets, options.slowCallMs !== undefined, {
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

  success(now: number, durationMs: number): boolean {
    const slow = durationMs >= this.slowCallMs;
    this.window.add(now, false, slow);
    return slow && this.tripped();
  }

  failure(now: number, durationMs: number): boolean {
    this.window.add(now, true, durationMs >= this.slowCallMs);
    return this.tripped();
  }

  private tripped(): boolean {
    const w = this.window;
    if (w.calls < this.minimumCalls) return false;
    return w.failures >= this.failureRateThreshold * w.calls || (this.usesDuration && w.slow >= this.slowCallRateThreshold * w.calls);
  }

  reset(): void {
    this.window.clear();
  }

  snapshot(): unknown {
    return this.window.snapshot();
  }

  load(snapshot: unknown): void {
    this.window.load(checkWindowSnapshot(snapshot));
  }
}

export function checkWindowSnapshot(snapshot: unknown): { headEpoch: number; buckets: number[][] } {
  const s = snapshot as { headEpoch?: unknown; buckets?: unknown } | null;
  if (!s || typeof s.headEpoch !== 'number' || !Array.isArray(s.buckets) || !s.buckets.every((b) => Array.isArray(b) && b.length === 3)) {
    throw new TypeError('decider snapshot must be { headEpoch, buckets: [calls, failures, slow][] }');
  }
  return s as { headEpoch: number; buckets: number[][] };
}
