import { ArgumentRangeError, ArgumentTypeError, describe, requireInteger, requireNumber, requireObject, requireOneOf, requireOptions } from '../check/index.js';
import type { ExponentialBackoffOptions } from './backoff/index.js';
import { BREAKER_OPTIONS, type BreakerConfig, type BreakerEvent, type CircuitBreakerOptions, type CircuitState, configFor, MAX_PROBES } from './breakerOptions.js';
import { type Clock, systemClock } from './clock.js';
import { recentClock } from './coarseClock.js';
import type { DeciderOptions } from './deciders/index.js';
import { BrokenCircuitError, IsolatedCircuitError } from './errors.js';
import { Emitter, type Listener, type Unsubscribe } from './events.js';
import { clockOption, functionOption, nameOption } from './options.js';
import { type FastPolicy, rejectInvalidCall, SLOW, type StatsSource } from './policy.js';
import { type LatencyStats, QuantileSketch } from './sketch.js';

const CLOSED = 0;
const OPEN = 1;
const HALF_OPEN = 2;
const ISOLATED = 3;
const STATE_NAMES: readonly CircuitState[] = ['closed', 'open', 'half-open', 'isolated'];

interface ProbeRound {
  /** Probes this round may admit (grows by probeGrowth after each fully successful round). */
  budget: number;
  admitted: number;
  roundSuccesses: number;
  /** Successful probes since half-open began. */
  successes: number;
}

/** Persisted breaker, from `toJSON()`. */
export interface CircuitBreakerJSON {
  version: 1;
  name: string;
  state: CircuitState;
  /** Clock time the current open period ends (meaningful when open). */
  openUntil: number;
  /** Open periods since the circuit last closed (drives the `openMs` backoff). */
  openCount: number;
  decider: DeciderOptions;
  deciderState: unknown;
  openMs?: number | ExponentialBackoffOptions;
  halfOpenProbes: number;
  probeGrowth: number;
  successThreshold: number;
}

export interface BreakerStats {
  state: CircuitState;
  successes: number;
  failures: number;
  rejections: number;
  /** With `trackLatency`, once a call has been timed. */
  latency?: LatencyStats;
}

/**
 * Circuit breaker with no timers: every transition is computed from the clock when the breaker
 * is used, so `state` is exact whenever it is read and an idle breaker costs nothing.
 */
export class CircuitBreaker implements FastPolicy, StatsSource<BreakerStats> {
  readonly name: string;
  private s = CLOSED;
  private openUntil = 0;
  private openCount = 0;
  /** Bumped on every transition: results of calls admitted under an older one are stale. */
  private generation = 0;
  /** Probe bookkeeping, present only while half-open (keeps closed breakers small). */
  private round: ProbeRound | undefined = undefined;
  private readonly config: BreakerConfig;
  /** The decider's counters for this breaker. */
  private readonly window: unknown;
  private readonly clock: Clock;
  private emitter: Emitter<BreakerEvent> | undefined;
  /** Outcomes since creation, for stats and metrics. */
  successes = 0;
  failures = 0;
  rejections = 0;
  readonly latency: QuantileSketch | undefined;

  constructor(options: CircuitBreakerOptions = {}) {
    requireOptions(options, 'new CircuitBreaker', 'options', BREAKER_OPTIONS);
    this.name = nameOption(options.name, 'new CircuitBreaker', 'breaker');
    this.config = configFor(options, 'new CircuitBreaker');
    this.window = this.config.decider.createState();
    this.clock = clockOption(options.clock, 'new CircuitBreaker', systemClock);
    this.latency = this.config.trackLatency ? new QuantileSketch() : undefined;
    const onEvent = functionOption<Listener<BreakerEvent>>(options.onEvent, 'new CircuitBreaker', 'options.onEvent');
    if (onEvent !== undefined) this.onEvent(onEvent);
  }

  get halfOpenProbes(): number {
    return this.config.halfOpenProbes;
  }

  get probeGrowth(): number {
    return this.config.probeGrowth;
  }

  get successThreshold(): number {
    return this.config.successThreshold;
  }

  /** Exact current state; an elapsed open period is turned into half-open here. */
  get state(): CircuitState {
    if (this.s === OPEN) {
      const now = this.clock();
      if (now >= this.openUntil) this.toHalfOpen(now);
    }
    return STATE_NAMES[this.s];
  }

  /** Subscribes to state changes and rejections. */
  onEvent(listener: Listener<BreakerEvent>): Unsubscribe {
    return (this.emitter ??= new Emitter()).on(listener, 'CircuitBreaker.onEvent');
  }

  /**
   * Synchronous admission for hot paths: true if a call may go ahead now (in half-open it
   * takes a probe slot). Report its outcome with `record`.
   */
  allow(): boolean {
    return this.s === CLOSED || this.admitSlow(this.clock());
  }

  /**
   * Reports the outcome of a call admitted by `allow()`. `durationMs` feeds slow-call
   * tracking; `now` saves a clock read when the caller already has the time.
   */
  record(ok: boolean, durationMs = 0, now?: number): void {
    if (this.s === CLOSED) {
      const d = this.config.decider;
      if (ok) {
        this.successes++;
        if (d.success(this.window, d.usesClock ? (now ?? this.successTime()) : 0, durationMs)) this.trip(now ?? this.clock());
      } else {
        this.failures++;
        const t = d.usesClock ? (now ?? this.clock()) : 0;
        if (d.failure(this.window, t, durationMs)) this.trip(d.usesClock ? t : (now ?? this.clock()));
      }
      return;
    }
    this.recordSlow(ok, now);
  }

  /**
   * Runs `fn` if the circuit admits it, rejecting at once with `BrokenCircuitError` (or
   * `IsolatedCircuitError`) otherwise. `signal` is passed to `fn`; an abort is not counted as
   * a failure of the dependency.
   */
  execute<T>(fn: (signal?: AbortSignal) => T | PromiseLike<T>, signal?: AbortSignal): Promise<T> {
    const invalid = rejectInvalidCall(fn, signal, 'CircuitBreaker.execute');
    if (invalid) return invalid;
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.s !== CLOSED && !this.admitSlow(this.clock())) return Promise.reject(this.rejection());
    const generation = this.generation;
    const start = this.config.timed ? this.clock() : 0;
    let result: T | PromiseLike<T>;
    try {
      result = fn(signal);
    } catch (err) {
      this.settleError(generation, err, start, signal);
      return Promise.reject(err);
    }
    // .then with two small closures is cheaper than an async wrapper (one promise, no await)
    return Promise.resolve(result).then(
      (value) => {
        this.settle(generation, true, start);
        return value;
      },
      (err: unknown) => {
        this.settleError(generation, err, start, signal);
        throw err;
      },
    );
  }

  /** For `wrap`: admits a call synchronously while closed; anything else takes `execute`. */
  fastEnter(): unknown {
    if (this.s !== CLOSED) return SLOW;
    // a timed breaker needs the start time back in fastExit: [generation, start]
    return this.config.timed ? [this.generation, this.clock()] : this.generation;
  }

  fastExit(token: unknown, ok: boolean, error: unknown, signal: AbortSignal | undefined): void {
    const generation = typeof token === 'number' ? token : (token as [number, number])[0];
    const start = typeof token === 'number' ? 0 : (token as [number, number])[1];
    if (ok) this.settle(generation, true, start);
    else this.settleError(generation, error, start, signal);
  }

  fastCancel(): void {
    // admission in the closed state changed nothing
  }

  stats(): BreakerStats {
    const stats: BreakerStats = { state: this.state, successes: this.successes, failures: this.failures, rejections: this.rejections };
    const latency = this.latency?.summary();
    if (latency !== undefined) stats.latency = latency;
    return stats;
  }

  /** Holds the circuit open until `reset()`; calls fail with `IsolatedCircuitError`. */
  isolate(): void {
    this.transition(ISOLATED, this.clock());
  }

  /** Closes the circuit and forgets all outcomes and backoff. */
  reset(): void {
    this.openCount = 0;
    this.config.decider.reset(this.window);
    this.transition(CLOSED, this.clock());
  }

  toJSON(): CircuitBreakerJSON {
    const state = this.state;
    return {
      version: 1,
      name: this.name,
      state,
      openUntil: this.openUntil,
      openCount: this.openCount,
      decider: this.config.deciderOptions,
      deciderState: this.config.decider.snapshot(this.window),
      openMs: typeof this.config.openMs === 'function' ? undefined : this.config.openMs,
      halfOpenProbes: this.config.halfOpenProbes,
      probeGrowth: this.config.probeGrowth,
      successThreshold: this.config.successThreshold,
    };
  }

  /**
   * Rebuilds a breaker from `toJSON()` output (e.g. after a restart). `options` supplies what
   * JSON cannot hold (clock, listeners, isFailure, a function `openMs`) and may override the rest.
   * A breaker saved half-open comes back open with its period elapsed, so the next call probes.
   */
  static restore(json: CircuitBreakerJSON, options: CircuitBreakerOptions = {}): CircuitBreaker {
    const where = 'CircuitBreaker.restore';
    requireObject(json, where, 'json');
    requireOptions(options, where, 'options', BREAKER_OPTIONS);
    if (json.version !== 1) {
      const requirement = `must be 1 (from CircuitBreaker.toJSON()), got ${describe(json.version)}`;
      throw typeof json.version === 'number' ? new ArgumentRangeError(where, 'json.version', requirement) : new ArgumentTypeError(where, 'json.version', requirement);
    }
    const state = STATE_NAMES.indexOf(requireOneOf(json.state, where, 'json.state', STATE_NAMES));
    const breaker = new CircuitBreaker({
      name: json.name,
      decider: json.decider,
      openMs: json.openMs,
      halfOpenProbes: json.halfOpenProbes,
      probeGrowth: json.probeGrowth,
      successThreshold: json.successThreshold,
      ...options,
    });
    const openUntil = requireNumber(json.openUntil, where, 'json.openUntil');
    breaker.openCount = requireInteger(json.openCount, where, 'json.openCount', 0);
    breaker.config.decider.load(breaker.window, json.deciderState, where, 'json.deciderState');
    breaker.s = state === HALF_OPEN ? OPEN : state;
    breaker.openUntil = openUntil;
    return breaker;
  }

  private admitSlow(now: number): boolean {
    if (this.s === OPEN && now >= this.openUntil) this.toHalfOpen(now);
    if (this.s === HALF_OPEN && this.round!.admitted < this.round!.budget) {
      this.round!.admitted++;
      return true;
    }
    if (this.s === CLOSED) return true;
    this.rejections++;
    if (this.emitter?.active) this.emitter.emit({ type: 'rejected', policy: this.name, state: STATE_NAMES[this.s], at: now });
    return false;
  }

  /**
   * When a success happened, for the decider's window. On the default clock a recent shared
   * reading (a tick or at most sixteen reads old) saves the `Date.now()` that was half of
   * `execute`'s cost; failures, transitions and `state` still read the clock itself.
   */
  private successTime(): number {
    return this.clock === systemClock ? recentClock() : this.clock();
  }

  private rejection(): Error {
    if (this.s === ISOLATED) return new IsolatedCircuitError(`circuit ${this.name} is isolated`);
    const wait = this.s === OPEN ? Math.max(0, this.openUntil - this.clock()) : 0;
    return new BrokenCircuitError(`circuit ${this.name} is ${STATE_NAMES[this.s]}`, wait);
  }

  private recordSlow(ok: boolean, now: number | undefined): void {
    if (ok) this.successes++;
    else this.failures++;
    if (this.s !== HALF_OPEN) return; // open or isolated: a late result of an earlier call
    if (!ok) {
      this.trip(now ?? this.clock());
      return;
    }
    const round = this.round!;
    round.successes++;
    round.roundSuccesses++;
    if (round.successes >= this.config.successThreshold) {
      this.openCount = 0;
      this.config.decider.reset(this.window);
      this.transition(CLOSED, now ?? this.clock());
    } else if (round.roundSuccesses >= round.budget) {
      round.budget = Math.min(MAX_PROBES, Math.ceil(round.budget * this.config.probeGrowth));
      round.admitted = 0;
      round.roundSuccesses = 0;
    }
  }

  private settle(generation: number, ok: boolean, start: number): void {
    const now = this.config.timed ? this.clock() : undefined;
    const duration = now === undefined ? 0 : now - start;
    this.latency?.record(duration);
    if (generation !== this.generation && this.s === HALF_OPEN) {
      // admitted before this half-open period began: not one of its probes
      if (ok) this.successes++;
      else this.failures++;
      return;
    }
    this.record(ok, duration, now);
  }

  private settleError(generation: number, err: unknown, start: number, signal: AbortSignal | undefined): void {
    const aborted = signal !== undefined && signal.aborted && err === signal.reason;
    const isFailure = this.config.isFailure;
    if (aborted || (isFailure !== undefined && !isFailure(err))) {
      // not the dependency's fault: give the probe slot back, count nothing
      if (this.s === HALF_OPEN && generation === this.generation && this.round!.admitted > 0) this.round!.admitted--;
      return;
    }
    this.settle(generation, false, start);
  }

  private trip(now: number): void {
    this.openCount++;
    this.openUntil = now + this.config.backoff(this.openCount);
    this.config.decider.reset(this.window);
    this.transition(OPEN, now);
  }

  private toHalfOpen(now: number): void {
    this.round = { budget: this.config.halfOpenProbes, admitted: 0, roundSuccesses: 0, successes: 0 };
    this.transition(HALF_OPEN, now);
  }

  private transition(to: number, now: number): void {
    const from = this.s;
    this.s = to;
    if (to !== HALF_OPEN) this.round = undefined;
    this.generation++;
    if (from !== to && this.emitter?.active) {
      this.emitter.emit({ type: 'state', policy: this.name, from: STATE_NAMES[from], to: STATE_NAMES[to], at: now });
    }
  }
}
