/**
 * What a circuit breaker asks while closed: "given this outcome, should I open?".
 * `now` is only read when `usesClock` is true, so count-based deciders skip the clock read.
 */
export interface Decider {
  readonly usesClock: boolean;
  /** Whether `durationMs` matters (slow-call tracking); the breaker then times each call. */
  readonly usesDuration: boolean;
  success(now: number, durationMs: number): boolean;
  failure(now: number, durationMs: number): boolean;
  /** Forgets all outcomes (on closing and on `reset()`). */
  reset(): void;
  /** Plain JSON of the counters, for `CircuitBreaker.toJSON()`. */
  snapshot(): unknown;
  /** Loads counters from `snapshot()`; throws on malformed input. */
  load(snapshot: unknown): void;
}
