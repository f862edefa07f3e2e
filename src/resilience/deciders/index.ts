// What opens a circuit breaker: one decider per file, chosen by `kind` in the breaker's options.
export { type ConsecutiveDeciderOptions } from './consecutive.js';
export { createDecider, type DeciderOptions } from './createDecider.js';
export { type Decider } from './decider.js';
export { type WindowDeciderOptions } from './failureRate.js';
export { type StatisticalDeciderOptions } from './statistical.js';
