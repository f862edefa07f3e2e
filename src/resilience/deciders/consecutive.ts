import type { Decider } from './decider.js';
import { integer } from '../validate.js';

export interface ConsecutiveDeciderOptions {
  kind: 'consecutive';
  /** Opens after this many failures in a row. */
  failures: number;
}

/** Failures in a row so far. */
export interface ConsecutiveCount {
  count: number;
}

/** Opens after `failures` failures in a row; any success starts the count again. */
export class ConsecutiveDecider implements Decider<ConsecutiveCount> {
  readonly usesClock = false;
  readonly usesDuration = false;
  readonly failures: number;

  constructor(options: ConsecutiveDeciderOptions) {
    this.failures = integer(options.failures, 'decider.failures', 1);
  }

  createState(): ConsecutiveCount {
    return { count: 0 };
  }

  success(state: ConsecutiveCount): boolean {
    state.count = 0;
    return false;
  }

  failure(state: ConsecutiveCount): boolean {
    return ++state.count >= this.failures;
  }

  reset(state: ConsecutiveCount): void {
    state.count = 0;
  }

  snapshot(state: ConsecutiveCount): { count: number } {
    return { count: state.count };
  }

  load(state: ConsecutiveCount, snapshot: unknown): void {
    const s = snapshot as { count?: unknown } | null;
    state.count = integer(s?.count, 'decider.count', 0);
  }
}
