import { type ConsecutiveDeciderOptions, ConsecutiveDecider } from './consecutive.js';
import type { Decider } from './decider.js';
import { FailureRateDecider, type WindowDeciderOptions } from './failureRate.js';
import { StatisticalDecider, type StatisticalDeciderOptions } from './statistical.js';

/** What opens a breaker, chosen by `kind`. */
export type DeciderOptions = WindowDeciderOptions | ConsecutiveDeciderOptions | StatisticalDeciderOptions;

export function createDecider(options: DeciderOptions): Decider {
  if (options === null || typeof options !== 'object') throw new TypeError('decider must be an object with a kind');
  switch (options.kind) {
    case 'window':
      return new FailureRateDecider(options) as Decider;
    case 'consecutive':
      return new ConsecutiveDecider(options) as Decider;
    case 'statistical':
      return new StatisticalDecider(options) as Decider;
    default:
      throw new RangeError(`decider.kind must be 'window', 'consecutive' or 'statistical', got ${String((options as { kind: unknown }).kind)}`);
  }
}
