import { optionKeys, requireInteger, requireNumber, requireOptions } from '../check/index.js';
import { type Clock, systemClock } from './clock.js';
import { HeartbeatHistory } from './heartbeatHistory.js';
import { clockOption } from './options.js';

/**
 * φ for a heartbeat `timeDiffMs` late given inter-arrival mean and standard deviation:
 * −log10 of the probability that a heartbeat arrives even later, with the normal tail taken
 * from the logistic approximation used by Akka/Pekko (Hayashibara et al., "The φ accrual
 * failure detector"). +Infinity once the tail underflows; exactly 0 for very early arrivals.
 */
export function phiAccrual(timeDiffMs: number, meanMs: number, stdDeviationMs: number): number {
  requireNumber(timeDiffMs, 'phiAccrual', 'timeDiffMs');
  requireNumber(meanMs, 'phiAccrual', 'meanMs');
  requireNumber(stdDeviationMs, 'phiAccrual', 'stdDeviationMs', 0, Infinity, '()');
  return phi(timeDiffMs, meanMs, stdDeviationMs);
}

function phi(timeDiffMs: number, meanMs: number, stdDeviationMs: number): number {
  const y = (timeDiffMs - meanMs) / stdDeviationMs;
  const e = Math.exp(-y * (1.5976 + 0.070566 * y * y));
  const value = timeDiffMs > meanMs ? -Math.log10(e / (1 + e)) : -Math.log10(1 - 1 / (1 + e));
  return value + 0; // turns -0 into 0
}

export interface PhiAccrualOptions {
  /** φ at or above which the node is considered down; default 8. */
  threshold?: number;
  /** Intervals kept; default 1000. */
  maxSampleSize?: number;
  /** Floor on the standard deviation, so very regular heartbeats do not make φ jumpy; default 100 ms. */
  minStdDeviationMs?: number;
  /** Added to the mean: pauses this long are tolerated (GC, network blips); default 0. */
  acceptableHeartbeatPauseMs?: number;
  /** Interval assumed before any has been seen; default 1000 ms. */
  firstHeartbeatEstimateMs?: number;
  clock?: Clock;
}

const PHI_ACCRUAL_OPTIONS = /* @__PURE__ */ optionKeys<PhiAccrualOptions>({
  threshold: true,
  maxSampleSize: true,
  minStdDeviationMs: true,
  acceptableHeartbeatPauseMs: true,
  firstHeartbeatEstimateMs: true,
  clock: true,
});

/**
 * Phi-accrual failure detector, in the Akka/Pekko formulation: instead of a yes/no timeout it
 * reports how suspicious the silence since the last heartbeat is, on a log scale.
 */
export class PhiAccrualDetector {
  readonly threshold: number;
  readonly minStdDeviationMs: number;
  readonly acceptableHeartbeatPauseMs: number;
  readonly firstHeartbeatEstimateMs: number;
  readonly history: HeartbeatHistory;
  private readonly clock: Clock;
  private last: number | undefined;

  constructor(options: PhiAccrualOptions = {}) {
    const where = 'new PhiAccrualDetector';
    requireOptions(options, where, 'options', PHI_ACCRUAL_OPTIONS);
    this.threshold = requireNumber(options.threshold ?? 8, where, 'options.threshold', 0, Infinity, '()');
    this.history = new HeartbeatHistory(requireInteger(options.maxSampleSize ?? 1000, where, 'options.maxSampleSize', 1));
    this.minStdDeviationMs = requireNumber(options.minStdDeviationMs ?? 100, where, 'options.minStdDeviationMs', 0, Infinity, '()');
    this.acceptableHeartbeatPauseMs = requireNumber(options.acceptableHeartbeatPauseMs ?? 0, where, 'options.acceptableHeartbeatPauseMs', 0);
    this.firstHeartbeatEstimateMs = requireNumber(options.firstHeartbeatEstimateMs ?? 1000, where, 'options.firstHeartbeatEstimateMs', 0, Infinity, '()');
    this.clock = clockOption(options.clock, where, systemClock);
  }

  /** True once a heartbeat has been recorded. */
  get isMonitoring(): boolean {
    return this.last !== undefined;
  }

  /** Records a heartbeat arriving at `now`. */
  heartbeat(now: number = this.clock()): void {
    requireNumber(now, 'PhiAccrualDetector.heartbeat', 'now');
    if (this.last === undefined) {
      // Bootstrap with two intervals around the estimate so φ is defined from the first beat.
      const e = this.firstHeartbeatEstimateMs;
      const spread = Math.floor(e / 4);
      this.history.clear();
      this.history.add(e - spread);
      this.history.add(e + spread);
    } else if (this.phiAt(now) < this.threshold) {
      // A beat after a detected failure is not a sample of normal intervals.
      this.history.add(now - this.last);
    }
    this.last = now;
  }

  /** Suspicion level at `now`; 0 before the first heartbeat. */
  phi(now: number = this.clock()): number {
    return this.phiAt(requireNumber(now, 'PhiAccrualDetector.phi', 'now'));
  }

  isAvailable(now: number = this.clock()): boolean {
    return this.phiAt(requireNumber(now, 'PhiAccrualDetector.isAvailable', 'now')) < this.threshold;
  }

  private phiAt(now: number): number {
    if (this.last === undefined) return 0;
    const h = this.history;
    return phi(now - this.last, h.mean + this.acceptableHeartbeatPauseMs, Math.max(h.stdDeviation, this.minStdDeviationMs));
  }
}
