import { ArgumentTypeError, describe, requireFunction, requireString } from '../check/index.js';
import type { Clock } from './clock.js';

// The optional options every policy shares, read with the checks of `check/`: an absent option
// (undefined or null, as `??` reads it) takes its default; a present one of the wrong type is an
// ArgumentTypeError naming the caller.

/** Whether an option was left out: undefined or null. */
export function isAbsent(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}

/** `options.clock`: a function returning milliseconds, or `fallback` when absent. */
export function clockOption(value: unknown, where: string, fallback: Clock): Clock {
  if (isAbsent(value)) return fallback;
  if (typeof value !== 'function') throw new ArgumentTypeError(where, 'options.clock', `must be a function returning milliseconds, got ${describe(value)}`);
  return value as Clock;
}

/** `options.name`, which labels a policy's errors, events and metrics; `fallback` when absent. */
export function nameOption(value: unknown, where: string, fallback: string): string {
  return isAbsent(value) ? fallback : requireString(value, where, 'options.name');
}

/** A function option (`options.isFailure`, `options.onEvent`…), or undefined when absent. */
export function functionOption<F extends (...args: never[]) => unknown>(value: unknown, where: string, argument: string): F | undefined {
  return isAbsent(value) ? undefined : requireFunction<F>(value, where, argument);
}
