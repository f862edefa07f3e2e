import { atLeast, integer } from '../validate.js';
import { exponentialBackoff, type ExponentialBackoffOptions } from './exponential.js';

/** Delay in ms before attempt `attempt` (1 for the first retry or the first open period). */
export type BackoffFn = (attempt: number) => number;

/** A fixed delay, an exponential schedule, or any function of the attempt number. */
export type BackoffOption = number | ExponentialBackoffOptions | BackoffFn;

/** Normalises a `BackoffOption` to a function, validating it; `name` is the option's name. */
export function toBackoff(option: BackoffOption, name: string): BackoffFn {
  if (typeof option === 'number') {
    const ms = atLeast(option, name, 0);
    return () => ms;
  }
  if (typeof option === 'function') {
    return (attempt) => {
      const ms = option(attempt);
      return atLeast(ms, `${name}(${integer(attempt, 'attempt', 0)})`, 0);
    };
  }
  if (option !== null && typeof option === 'object') return exponentialBackoff(option, name);
  throw new TypeError(`${name} must be a number, a backoff object or a function`);
}
