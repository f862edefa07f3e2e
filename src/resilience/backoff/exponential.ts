import { atLeast } from '../validate.js';

/** Grows `initialMs · factor^(attempt-1)`, capped at `maxMs`. */
export interface ExponentialBackoffOptions {
  initialMs: number;
  maxMs: number;
  /** Growth per attempt; default 2. */
  factor?: number;
}

/** The delay before `attempt` (1 for the first), validating `options` once; `name` is the option's name. */
export function exponentialBackoff(options: ExponentialBackoffOptions, name = 'backoff'): (attempt: number) => number {
  const initialMs = atLeast(options.initialMs, `${name}.initialMs`, 0);
  const maxMs = atLeast(options.maxMs, `${name}.maxMs`, initialMs);
  const factor = atLeast(options.factor ?? 2, `${name}.factor`, 1);
  return (attempt) => Math.min(maxMs, initialMs * factor ** Math.max(0, attempt - 1));
}
