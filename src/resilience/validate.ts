import type { Clock } from './clock.js';

// Option checks shared by every policy: wrong types are TypeErrors, values out of range are
// RangeErrors, both naming the option so a bad config is found from the message alone.

function requireNumber(value: unknown, name: string): number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number, got ${typeof value}`);
  if (Number.isNaN(value)) throw new RangeError(`${name} must not be NaN`);
  return value;
}

/** A finite number ≥ min (inclusive). */
export function atLeast(value: unknown, name: string, min: number): number {
  const v = requireNumber(value, name);
  if (!Number.isFinite(v) || v < min) throw new RangeError(`${name} must be a finite number >= ${min}, got ${v}`);
  return v;
}

/** A finite number > 0. */
export function positive(value: unknown, name: string): number {
  const v = requireNumber(value, name);
  if (!Number.isFinite(v) || v <= 0) throw new RangeError(`${name} must be a finite number > 0, got ${v}`);
  return v;
}

/** An integer in [min, max]. */
export function integer(value: unknown, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const v = requireNumber(value, name);
  if (!Number.isInteger(v) || v < min || v > max) throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${v}`);
  return v;
}

/** A rate in (0, 1]. */
export function rate(value: unknown, name: string): number {
  const v = requireNumber(value, name);
  if (!(v > 0 && v <= 1)) throw new RangeError(`${name} must be in (0, 1], got ${v}`);
  return v;
}

/** A probability strictly inside (0, 1). */
export function probability(value: unknown, name: string): number {
  const v = requireNumber(value, name);
  if (!(v > 0 && v < 1)) throw new RangeError(`${name} must be in (0, 1), got ${v}`);
  return v;
}

/** Returns `value` as an options object; TypeError naming `name` otherwise. */
export function objectOption<T extends object>(value: T, name = 'options'): T {
  if (value === null || typeof value !== 'object') throw new TypeError(`${name} must be an object, got ${value === null ? 'null' : typeof value}`);
  return value;
}

/** A policy's `name` option (labels its errors, events and metrics), or `fallback` when absent. */
export function nameOption(value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string') throw new TypeError(`name must be a string, got ${typeof value}`);
  return value;
}

export function clockOption(value: unknown, fallback: Clock): Clock {
  if (value === undefined) return fallback;
  if (typeof value !== 'function') throw new TypeError(`clock must be a function returning milliseconds, got ${typeof value}`);
  return value as Clock;
}

export function functionOption<F>(value: unknown, name: string): F | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') throw new TypeError(`${name} must be a function, got ${typeof value}`);
  return value as F;
}

export function signalOption(value: unknown, name = 'signal'): AbortSignal | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || typeof (value as AbortSignal).aborted !== 'boolean') {
    throw new TypeError(`${name} must be an AbortSignal`);
  }
  return value as AbortSignal;
}

export function taskOption(value: unknown, name = 'fn'): void {
  if (typeof value !== 'function') throw new TypeError(`${name} must be a function, got ${typeof value}`);
}

/**
 * The rejection an `execute(fn, signal)` returns for a non-function `fn` or a non-signal
 * `signal`, or undefined when both are fine. A rejected promise rather than a throw, so a
 * caller handles one failure channel; the try block is only entered when a check fails,
 * keeping the hot path free of it.
 */
export function rejectInvalidCall(fn: unknown, signal: unknown): Promise<never> | undefined {
  if (typeof fn === 'function' && (signal === undefined || typeof (signal as AbortSignal | null)?.aborted === 'boolean')) return undefined;
  try {
    taskOption(fn);
    signalOption(signal);
  } catch (err) {
    return Promise.reject(err);
  }
  return undefined;
}
