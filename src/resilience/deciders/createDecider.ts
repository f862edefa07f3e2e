import { requireObject, requireOneOf, requireOptions } from '../../check/index.js';
import { CONSECUTIVE_DECIDER_OPTIONS, type ConsecutiveDeciderOptions, ConsecutiveDecider } from './consecutive.js';
import type { Decider } from './decider.js';
import { FailureRateDecider, WINDOW_DECIDER_OPTIONS, type WindowDeciderOptions } from './failureRate.js';
import { STATISTICAL_DECIDER_OPTIONS, StatisticalDecider, type StatisticalDeciderOptions } from './statistical.js';

/** What opens a breaker, chosen by `kind`. */
export type DeciderOptions = WindowDeciderOptions | ConsecutiveDeciderOptions | StatisticalDeciderOptions;

const KINDS: readonly DeciderOptions['kind'][] = ['window', 'consecutive', 'statistical'];

/** The option names of each kind (a window decider's `alpha` is a mistake, not an extra). */
const KEYS: Record<DeciderOptions['kind'], readonly string[]> = {
  window: WINDOW_DECIDER_OPTIONS,
  consecutive: CONSECUTIVE_DECIDER_OPTIONS,
  statistical: STATISTICAL_DECIDER_OPTIONS,
};

/** The decider `options.decider` describes; `where` names the caller in argument errors. */
export function createDecider(options: DeciderOptions, where: string): Decider {
  requireObject(options, where, 'options.decider');
  requireOptions(options, where, 'options.decider', KEYS[requireOneOf(options.kind, where, 'options.decider.kind', KINDS)]);
  switch (options.kind) {
    case 'window':
      return new FailureRateDecider(options, where) as Decider;
    case 'consecutive':
      return new ConsecutiveDecider(options, where) as Decider;
    case 'statistical':
      return new StatisticalDecider(options, where) as Decider;
  }
}
