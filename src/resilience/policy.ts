import { requireFunction, requireSignal } from '../check/index.js';

/**
 * The work a policy runs: receives the caller's abort signal, or one the policy derived from it;
 * none when there is neither (a breaker, retry or bulkhead passes on what it was given).
 */
export type PolicyTask<T> = (signal?: AbortSignal) => T | PromiseLike<T>;

/**
 * The work a timeout runs: it always receives a signal (the timeout's own, linked to the caller's),
 * so `timeout((signal) => fetch(url, { signal }), 500)` needs no `signal?.` or `!`. Any
 * `PolicyTask` is one too, so a timeout still composes with the other policies.
 */
export type TimedTask<T> = (signal: AbortSignal) => T | PromiseLike<T>;

/** What every policy offers, so `wrap` can compose any of them. */
export interface Policy {
  execute<T>(fn: PolicyTask<T>, signal?: AbortSignal): Promise<T>;
}

/**
 * Something that reports its counters as a plain object (JSON-safe, no metrics library's
 * types): every policy does; `ResilienceManager.stats()` gathers them for JSON and `metrics/`.
 */
export interface StatsSource<S extends object = object> {
  stats(): S;
}

/**
 * The rejection an `execute(fn, signal)` returns for a non-function `fn` or a non-signal
 * `signal`, or undefined when both are fine. A rejected promise rather than a throw, so a
 * caller handles one failure channel; the checks that build the error run only when the
 * first test fails, keeping the hot path to two `typeof`s.
 */
export function rejectInvalidCall(fn: unknown, signal: unknown, where: string, signalArgument = 'signal'): Promise<never> | undefined {
  if (typeof fn === 'function' && (signal === undefined || typeof (signal as AbortSignal | null)?.aborted === 'boolean')) return undefined;
  try {
    requireFunction(fn, where, 'fn');
    requireSignal(signal, where, signalArgument);
  } catch (err) {
    return Promise.reject(err);
  }
  return undefined;
}

/** Returned by `fastEnter` when the call needs the policy's normal, asynchronous path. */
export const SLOW: unique symbol = Symbol('swarmguard.slow');

/**
 * Synchronous admission, so `wrap` can run a stack of policies around one promise instead of
 * one promise per layer. `fastEnter` either admits the call now (returning a token for
 * `fastExit`) or returns SLOW having changed nothing; `fastExit` reports how the call ended;
 * `fastCancel` undoes an admission when a later layer sent the call down the slow path.
 */
export interface FastPolicy extends Policy {
  fastEnter(): unknown;
  fastExit(token: unknown, ok: boolean, error: unknown, signal: AbortSignal | undefined): void;
  fastCancel(token: unknown): void;
}

export function isFastPolicy(p: Policy): p is FastPolicy {
  const f = p as FastPolicy;
  return typeof f.fastEnter === 'function' && typeof f.fastExit === 'function' && typeof f.fastCancel === 'function';
}

/**
 * A policy that can take over after a first attempt made outside it failed (a retry runs `fn`
 * again), so `wrap` can run that first attempt on its single-promise path and hand the failure
 * over: `continueAfter` then behaves as `execute` would have after that failure.
 */
export interface RecoveringPolicy extends Policy {
  continueAfter<T>(error: unknown, fn: PolicyTask<T>, signal: AbortSignal | undefined): Promise<T>;
}

export function isRecoveringPolicy(p: Policy): p is RecoveringPolicy {
  return typeof (p as RecoveringPolicy).continueAfter === 'function';
}
