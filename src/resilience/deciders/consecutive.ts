import { optionKeys, requireInteger, requireObject } from '../../check/index.js';
import type { Decider } from './decider.js';

export interface ConsecutiveDeciderOptions {
  kind: 'consecutive';
  /** Opens after this many failures in a row. */
  failures: number;
}

export const CONSECUTIVE_DECIDER_OPTIONS = /* @__PURE__ */ optionKeys<ConsecutiveDeciderOptions>({ kind: true, failures: true });

/** Failures in a row so far. */
export interface ConsecutiveCount {
  count: number;
}

/** Opens after `failures` failures in a row; any success starts the count again. */
export class ConsecutiveDecider implements Decider<ConsecutiveCount> {
  readonly usesClock = false;
  readonly usesDuration = false;
  readonly failures: number;

  constructor(options: ConsecutiveDeciderOptions, where: string) {
    this.failures = requireInteger(options.failures, where, 'options.decider.failures', 1);
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

  load(state: ConsecutiveCount, snapshot: unknown, where: string, argument: string): void {
    const s = requireObject<{ count?: unknown }>(snapshot, where, argument);
    state.count = requireInteger(s.count, where, `${argument}.count`, 0);
  }
}
