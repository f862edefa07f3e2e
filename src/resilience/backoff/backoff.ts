import { ArgumentTypeError, describe, requireNumber } from '../../check/index.js';
import { exponentialBackoff, type ExponentialBackoffOptions } from './exponential.js';

/** Delay in ms before attempt `attempt` (1 for the first retry or the first open period). */
export type BackoffFn = (attempt: number) => number;

/** A fixed delay, an exponential schedule, or any function of the attempt number. */
export type BackoffOption = number | ExponentialBackoffOptions | BackoffFn;

/**
 * Normalises a `BackoffOption` to a function, validating it; `where` and `argument` name the
 * caller and the option in argument errors. A function's delays are checked as they are made.
 */
export function toBackoff(option: BackoffOption, where: string, argument: string): BackoffFn {
  if (typeof option === 'number') {
    const ms = requireNumber(option, where, argument, 0);
    return () => ms;
  }
  if (typeof option === 'function') return (attempt) => delayOf(option, attempt, where, argument);
  if (option !== null && typeof option === 'object') return exponentialBackoff(option, where, argument);
  throw new ArgumentTypeError(where, argument, `must be a number, a backoff object or a function, got ${describe(option)}`);
}

/** `backoff(attempt)`, which must be a finite delay >= 0. */
export function delayOf(backoff: BackoffFn, attempt: number, where: string, argument: string): number {
  const ms = backoff(attempt);
  return typeof ms === 'number' && ms >= 0 && ms < Infinity ? ms : requireNumber(ms, where, `${argument}(${attempt})`, 0);
}
