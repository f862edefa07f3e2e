import { optionKeys, requireInteger, requireNumber } from '../../check/index.js';
import { type CriticalValues, criticalValues } from './binomial.js';
import type { Decider } from './decider.js';
import { MAX_BUCKETS, type RollingWindow, WindowShape } from './rollingWindow.js';
import { WindowedDecider } from './windowed.js';

export interface StatisticalDeciderOptions {
  kind: 'statistical';
  /** Failure rate the dependency has when healthy, in (0, 1). */
  baselineFailureRate: number;
  /** Significance level of each test, in (0, 1). */
  alpha: number;
  /** No test on fewer calls than this. */
  minimumCalls: number;
  /** Rolling window; default 1000 ms. */
  windowMs?: number;
  /** Buckets of the window; default 20 (50 ms each by default). */
  buckets?: number;
}

export const STATISTICAL_DECIDER_OPTIONS = /* @__PURE__ */ optionKeys<StatisticalDeciderOptions>({
  kind: true,
  baselineFailureRate: true,
  alpha: true,
  minimumCalls: true,
  windowMs: true,
  buckets: true,
});

/**
 * Opens when the failures seen are significantly above the baseline rate: an exact one-sided
 * binomial test, H0 "failure rate <= baselineFailureRate", rejected at level `alpha`.
 *
 * The test runs on every failure, over each bucket-aligned suffix of the window (newest
 * bucket, newest two, …, whole window). Short suffixes react within a few calls when
 * everything fails; the whole window catches a moderate rise. Each test is a table lookup
 * (`CriticalValues`), so a failure costs O(buckets) whatever the number of calls — usually
 * O(1): the scan stops as soon as even all the window's failures could not be significant
 * over a longer suffix (critical(n) never decreases as n grows). Testing
 * `buckets` suffixes bounds the false-open rate per failure by buckets · alpha (Bonferroni).
 */
export class StatisticalDecider extends WindowedDecider implements Decider<RollingWindow> {
  readonly usesDuration = false;
  readonly shape: WindowShape;
  readonly baselineFailureRate: number;
  readonly alpha: number;
  readonly minimumCalls: number;
  private readonly critical: CriticalValues;

  constructor(options: StatisticalDeciderOptions, where: string) {
    super();
    this.baselineFailureRate = requireNumber(options.baselineFailureRate, where, 'options.decider.baselineFailureRate', 0, 1, '()');
    this.alpha = requireNumber(options.alpha, where, 'options.decider.alpha', 0, 1, '()');
    this.minimumCalls = requireInteger(options.minimumCalls, where, 'options.decider.minimumCalls', 1);
    const windowMs = requireNumber(options.windowMs ?? 1000, where, 'options.decider.windowMs', 0, Infinity, '()');
    const buckets = requireInteger(options.buckets ?? 20, where, 'options.decider.buckets', 1, MAX_BUCKETS);
    this.shape = new WindowShape(windowMs, buckets, false);
    this.critical = criticalValues(this.baselineFailureRate, this.alpha);
  }

  success(w: RollingWindow, now: number): boolean {
    w.add(now, false, false);
    return false;
  }

  failure(w: RollingWindow, now: number): boolean {
    w.add(now, true, false);
    const min = this.minimumCalls;
    if (w.calls < min) return false;
    const c = w.counts;
    const b = this.shape.buckets;
    let h = w.head;
    let n = 0;
    let k = 0;
    for (let i = 0; i < b; i++) {
      const at = 2 * h;
      n += c[at];
      k += c[at + 1];
      if (n >= min) {
        const critical = this.critical.get(n);
        if (k >= critical) return true;
        // critical(n) only grows with n and no suffix holds more than the window's failures
        if (w.failures < critical) return false;
      }
      h = h === 0 ? b - 1 : h - 1;
    }
    return false;
  }
}
