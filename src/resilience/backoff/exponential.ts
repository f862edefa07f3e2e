import { optionKeys, requireNumber, requireOptions } from '../../check/index.js';

/** Grows `initialMs · factor^(attempt-1)`, capped at `maxMs`. */
export interface ExponentialBackoffOptions {
  initialMs: number;
  maxMs: number;
  /** Growth per attempt; default 2. */
  factor?: number;
}

const EXPONENTIAL_BACKOFF_OPTIONS = /* @__PURE__ */ optionKeys<ExponentialBackoffOptions>({ initialMs: true, maxMs: true, factor: true });

/**
 * The delay before `attempt` (1 for the first), validating `options` once; `where` and
 * `argument` name the caller and the option in argument errors.
 */
export function exponentialBackoff(options: ExponentialBackoffOptions, where: string, argument: string): (attempt: number) => number {
  requireOptions(options, where, argument, EXPONENTIAL_BACKOFF_OPTIONS);
  const initialMs = requireNumber(options.initialMs, where, `${argument}.initialMs`, 0);
  const maxMs = requireNumber(options.maxMs, where, `${argument}.maxMs`, initialMs);
  const factor = requireNumber(options.factor ?? 2, where, `${argument}.factor`, 1);
  return (attempt) => Math.min(maxMs, initialMs * factor ** Math.max(0, attempt - 1));
}
