import { optionKeys, requireNumber, requireOneOf, requireOptions } from '../check/index.js';
import { type Clock, systemClock } from './clock.js';
import { TimeoutError } from './errors.js';
import { Emitter, type Listener, type Unsubscribe } from './events.js';
import { clockOption, functionOption } from './options.js';
import { type Policy, rejectInvalidCall, type StatsSource, type TimedTask } from './policy.js';

export type TimeoutMode = 'cooperative' | 'aggressive';

export const TIMEOUT_MODES: readonly TimeoutMode[] = ['cooperative', 'aggressive'];

export interface TimeoutOptions {
  /**
   * `cooperative` (default): the task's signal is aborted at the deadline and the task decides
   * how to stop; its own result or error is returned (an abort error becomes TimeoutError).
   * `aggressive`: the caller gets TimeoutError at the deadline even if the task keeps running.
   */
  mode?: TimeoutMode;
  /**
   * Calls starting within the same `resolutionMs` share one AbortSignal and one timer, so a
   * call costs a clock read instead of a signal and a timer. Each call is aborted between
   * `ms` and `ms + resolutionMs` after it started — never early. Default 1 ms.
   */
  resolutionMs?: number;
  clock?: Clock;
  onEvent?: Listener<TimeoutEvent>;
}

export const TIMEOUT_OPTIONS = /* @__PURE__ */ optionKeys<TimeoutOptions>({ mode: true, resolutionMs: true, clock: true, onEvent: true });

export type TimeoutEvent = { type: 'timeout'; timeoutMs: number; mode: TimeoutMode };

export interface TimeoutStats {
  /** Calls that ran past the deadline. */
  timeouts: number;
  timeoutMs: number;
}

interface Waiter {
  reject: (err: unknown) => void;
  settled: boolean;
}

/** Calls that started in one resolution slice: they share a deadline, a signal and a timer. */
class Slice {
  readonly controller = new AbortController();
  readonly signal = this.controller.signal;
  readonly startedAt: number;
  live = 0;
  timer: ReturnType<typeof setTimeout> | undefined;
  waiters: Waiter[] | undefined;

  constructor(now: number) {
    this.startedAt = now;
  }
}

/** Deadline for calls; see `TimeoutOptions` for the two modes. */
export class TimeoutPolicy implements Policy, StatsSource<TimeoutStats> {
  readonly ms: number;
  readonly mode: TimeoutMode;
  readonly resolutionMs: number;
  private readonly clock: Clock;
  private current: Slice | undefined;
  private emitter: Emitter<TimeoutEvent> | undefined;
  timeouts = 0;

  constructor(ms: number, options?: TimeoutOptions);
  /** @internal `where` names the caller in argument errors (`timeout()` makes shared policies). */
  constructor(ms: number, options: TimeoutOptions | undefined, where: string);
  constructor(ms: number, options: TimeoutOptions = {}, where = 'new TimeoutPolicy') {
    requireOptions(options, where, 'options', TIMEOUT_OPTIONS);
    this.ms = requireNumber(ms, where, 'ms', 0);
    this.mode = requireOneOf(options.mode ?? 'cooperative', where, 'options.mode', TIMEOUT_MODES);
    this.resolutionMs = requireNumber(options.resolutionMs ?? 1, where, 'options.resolutionMs', 0, Infinity, '()');
    this.clock = clockOption(options.clock, where, systemClock);
    const onEvent = functionOption<Listener<TimeoutEvent>>(options.onEvent, where, 'options.onEvent');
    if (onEvent !== undefined) this.onEvent(onEvent);
  }

  onEvent(listener: Listener<TimeoutEvent>): Unsubscribe {
    return (this.emitter ??= new Emitter()).on(listener, 'TimeoutPolicy.onEvent');
  }

  stats(): TimeoutStats {
    return { timeouts: this.timeouts, timeoutMs: this.ms };
  }

  /** Runs `fn` under the deadline; `fn` always receives a signal, aborted at the deadline (and when `signal` aborts). */
  execute<T>(fn: TimedTask<T>, signal?: AbortSignal): Promise<T> {
    const invalid = rejectInvalidCall(fn, signal, 'TimeoutPolicy.execute');
    if (invalid) return invalid;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const slice = this.join();
    const taskSignal = signal === undefined ? slice.signal : AbortSignal.any([signal, slice.signal]);
    return this.mode === 'cooperative' ? this.cooperative(fn, slice, taskSignal) : this.aggressive(fn, slice, taskSignal);
  }

  private cooperative<T>(fn: TimedTask<T>, slice: Slice, signal: AbortSignal): Promise<T> {
    let result: T | PromiseLike<T>;
    try {
      result = fn(signal);
    } catch (err) {
      this.leave(slice);
      return Promise.reject(err);
    }
    return Promise.resolve(result).then(
      (value) => {
        this.leave(slice);
        return value;
      },
      (err: unknown) => {
        this.leave(slice);
        // the task gave up because of our abort: report it as the timeout it is
        if (slice.signal.aborted && (err === slice.signal.reason || signal.reason === slice.signal.reason)) throw this.timedOut();
        throw err;
      },
    );
  }

  private aggressive<T>(fn: TimedTask<T>, slice: Slice, signal: AbortSignal): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = { reject, settled: false };
      (slice.waiters ??= []).push(waiter);
      const settle = () => {
        waiter.settled = true;
        this.leave(slice);
      };
      let result: T | PromiseLike<T>;
      try {
        result = fn(signal);
      } catch (err) {
        settle();
        reject(err);
        return;
      }
      Promise.resolve(result).then(
        (value) => {
          if (waiter.settled) return;
          settle();
          resolve(value);
        },
        (err: unknown) => {
          if (waiter.settled) return;
          settle();
          reject(err);
        },
      );
    });
  }

  private join(): Slice {
    const now = this.clock();
    let slice = this.current;
    if (slice === undefined || now - slice.startedAt >= this.resolutionMs || slice.signal.aborted || now < slice.startedAt) {
      if (slice !== undefined && slice.live === 0) this.disarm(slice);
      slice = this.current = new Slice(now);
      const armed = slice;
      slice.timer = setTimeout(() => this.fire(armed), this.ms + this.resolutionMs);
    }
    slice.live++;
    return slice;
  }

  private leave(slice: Slice): void {
    if (--slice.live === 0 && slice !== this.current) this.disarm(slice);
  }

  private disarm(slice: Slice): void {
    if (slice.timer !== undefined) clearTimeout(slice.timer);
    slice.timer = undefined;
  }

  private fire(slice: Slice): void {
    slice.timer = undefined;
    if (this.current === slice) this.current = undefined;
    if (slice.live === 0) return;
    slice.controller.abort(new TimeoutError(`timed out after ${this.ms} ms`, this.ms));
    const waiters = slice.waiters;
    if (waiters === undefined) return;
    for (const w of waiters) {
      if (w.settled) continue;
      w.settled = true;
      slice.live--;
      w.reject(this.timedOut());
    }
    slice.waiters = undefined;
  }

  private timedOut(): TimeoutError {
    this.timeouts++;
    if (this.emitter?.active) this.emitter.emit({ type: 'timeout', timeoutMs: this.ms, mode: this.mode });
    return new TimeoutError(`timed out after ${this.ms} ms`, this.ms);
  }
}

const shared = new Map<string, TimeoutPolicy>();

/**
 * Runs `fn` under a deadline of `ms`. Calls with the same `ms` and mode share one policy, so
 * they also share slices (see `TimeoutOptions.resolutionMs`).
 */
export function timeout<T>(fn: TimedTask<T>, ms: number, options: TimeoutOptions & { signal?: AbortSignal } = {}): Promise<T> {
  const { signal, ...rest } = requireOptions(options, 'timeout', 'options', [...TIMEOUT_OPTIONS, 'signal']);
  // only plain numbers share a policy, so a wrong type never meets a cached policy made from a right one
  const shareable = typeof ms === 'number' && typeof (rest.resolutionMs ?? 1) === 'number' && rest.onEvent === undefined && rest.clock === undefined;
  let policy: TimeoutPolicy | undefined;
  if (!shareable || shared.size >= 64) {
    policy = new TimeoutPolicy(ms, rest, 'timeout');
  } else {
    const key = `${ms}|${rest.mode ?? 'cooperative'}|${rest.resolutionMs ?? 1}`;
    policy = shared.get(key);
    if (!policy) shared.set(key, (policy = new TimeoutPolicy(ms, rest, 'timeout')));
  }
  return rejectInvalidCall(fn, signal, 'timeout', 'options.signal') ?? policy.execute(fn, signal);
}
