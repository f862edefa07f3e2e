// Delays between attempts: the breaker's open periods and the retry's waits.
export { type BackoffFn, type BackoffOption, delayOf, toBackoff } from './backoff.js';
export { type ExponentialBackoffOptions } from './exponential.js';
export { decorrelatedJitter, fullJitter, type Jitter, JITTERS } from './jitter.js';
