/**
 * What a circuit breaker asks while closed: "given this outcome, should I open?".
 * A decider is immutable and shared by every breaker built from the same options; the
 * per-breaker counters live in the state object it creates (`S`). `now` is only read when
 * `usesClock` is true, so count-based deciders skip the clock read.
 */
export interface Decider<S = unknown> {
  readonly usesClock: boolean;
  /** Whether `durationMs` matters (slow-call tracking); the breaker then times each call. */
  readonly usesDuration: boolean;
  createState(): S;
  success(state: S, now: number, durationMs: number): boolean;
  failure(state: S, now: number, durationMs: number): boolean;
  /** Forgets all outcomes (on opening and on `reset()`). */
  reset(state: S): void;
  /** Plain JSON of the counters, for `CircuitBreaker.toJSON()`. */
  snapshot(state: S): unknown;
  /**
   * Loads counters from `snapshot()`, refusing malformed input with an argument error naming
   * `where` and `argument` (the caller and the path of the snapshot in its arguments).
   */
  load(state: S, snapshot: unknown, where: string, argument: string): void;
}
