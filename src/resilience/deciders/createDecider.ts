import { requireObject, requireOneOf } from '../../check/index.js';
import { type ConsecutiveDeciderOptions, ConsecutiveDecider } from './consecutive.js';
import type { Decider } from './decider.js';
import { FailureRateDecider, type WindowDeciderOptions } from './failureRate.js';
import { StatisticalDecider, type StatisticalDeciderOptions } from './statistical.js';

/** What opens a breaker, chosen by `kind`. */
export type DeciderOptions = WindowDeciderOptions | ConsecutiveDeciderOptions | StatisticalDeciderOptions;

const KINDS: readonly DeciderOptions['kind'][] = ['window', 'consecutive', 'statistical'];

/** The decider `options.decider` describes; `where` names the caller in argument errors. */
export function createDecider(options: DeciderOptions, where: string): Decider {
  requireObject(options, where, 'options.decider');
  requireOneOf(options.kind, where, 'options.decider.kind', KINDS);
  switch (options.kind) {
    case 'window':
      return new FailureRateDecider(options, where) as Decider;
    case 'consecutive':
      return new ConsecutiveDecider(options, where) as Decider;
    case 'statistical':
      return new StatisticalDecider(options, where) as Decider;
  }
}
