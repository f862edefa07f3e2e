import type { Decider } from './decider.js';
import { integer } from './validate.js';

export interface ConsecutiveDeciderOptions {
  kind: 'consecutive';
  /** Opens after this many failures in a row. */
  failures: number;
}

/** Opens after `failures` failures in a row; any success starts the count again. */
export class ConsecutiveDecider implements Decider {
  readonly usesClock = false;
  readonly usesDuration = false;
  readonly failures: number;
  private count = 0;

  constructor(options: ConsecutiveDeciderOptions) {
    this.failures = integer(options.failures, 'decider.failures', 1);
  }

  success(): boolean {
    this.count = 0;
    return false;
  }

  failure(): boolean {
    return ++this.count >= this.failures;
  }

  reset(): void {
    this.count = 0;
  }

  snapshot(): { count: number } {
    return { count: this.count };
  }

  load(snapshot: unknown): void {
    const s = snapshot as { count?: unknown } | null;
    this.count = integer(s?.count, 'decider.count', 0);
  }
}
