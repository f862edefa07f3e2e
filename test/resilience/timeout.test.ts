import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import {
  AdaptiveTimeout,
  CircuitBreaker,
  type Policy,
  type PolicyTask,
  type TimedTask,
  timeout,
  TimeoutError,
  TimeoutPolicy,
  wrap,
} from '../../src/resilience/index.js';

function abortable(signal: AbortSignal | undefined, ms = Infinity): Promise<string> {
  return new Promise((resolve, reject) => {
    if (ms !== Infinity) setTimeout(() => resolve('done'), ms);
    signal?.addEventListener('abort', () => reject(signal.reason));
  });
}

describe('timeout (fake timers)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('cooperative: aborts the task signal at the deadline and throws TimeoutError', async () => {
    const policy = new TimeoutPolicy(100);
    let signal: AbortSignal | undefined;
    const p = policy.execute((s) => {
      signal = s;
      return abortable(s);
    });
    const check = expect(p).rejects.toBeInstanceOf(TimeoutError);
    await vi.advanceTimersByTimeAsync(100);
    expect(signal!.aborted).toBe(false); // never early…
    await vi.advanceTimersByTimeAsync(1); // …and at most resolutionMs late
    await check;
    expect(signal!.aborted).toBe(true);
    expect(policy.timeouts).toBe(1);
  });

  it('cooperative: a task that finishes in time returns its value and leaves no timer', async () => {
    const policy = new TimeoutPolicy(100);
    await expect(policy.execute(async () => 'fast')).resolves.toBe('fast');
    // the slice timer is dropped once its calls are done and a new slice starts
    await vi.advanceTimersByTimeAsync(5);
    await policy.execute(async () => 'again');
    await vi.advanceTimersByTimeAsync(5);
    await policy.execute(async () => 'third');
    expect(vi.getTimerCount()).toBe(1); // only the current slice
  });

  it('cooperative: a task that ignores the abort still returns its own result', async () => {
    const p = timeout(() => abortable(undefined, 300), 100);
    await vi.advanceTimersByTimeAsync(300);
    await expect(p).resolves.toBe('done');
  });

  it('aggressive: rejects at the deadline even if the task keeps running', async () => {
    let signal: AbortSignal | undefined;
    const p = timeout(
      (s) => {
        signal = s;
        return abortable(undefined, 10_000);
      },
      50,
      { mode: 'aggressive' },
    );
    const check = expect(p).rejects.toBeInstanceOf(TimeoutError);
    await vi.advanceTimersByTimeAsync(51);
    await check;
    expect(signal!.aborted).toBe(true);
  });

  it('aggressive: passes through results and errors that come in time', async () => {
    await expect(timeout(async () => 7, 50, { mode: 'aggressive' })).resolves.toBe(7);
    await expect(timeout(async () => Promise.reject(new Error('own')), 50, { mode: 'aggressive' })).rejects.toThrow('own');
  });

  it('the caller signal propagates to the task and is not turned into TimeoutError', async () => {
    const ac = new AbortController();
    let signal: AbortSignal | undefined;
    const p = timeout(
      (s) => {
        signal = s;
        return abortable(s);
      },
      1000,
      { signal: ac.signal },
    );
    ac.abort(new Error('caller'));
    await expect(p).rejects.toThrow('caller');
    expect(signal!.aborted).toBe(true);
    await expect(timeout(async () => 1, 10, { signal: AbortSignal.abort(new Error('pre')) })).rejects.toThrow('pre');
  });
});

describe('timeout events', () => {
  it('emits a timeout event', async () => {
    vi.useFakeTimers();
    try {
      const events: unknown[] = [];
      const policy = new TimeoutPolicy(10, { mode: 'aggressive', onEvent: (e) => events.push(e) });
      const p = policy.execute(() => new Promise(() => undefined));
      const check = expect(p).rejects.toBeInstanceOf(TimeoutError);
      await vi.advanceTimersByTimeAsync(11);
      await check;
      expect(events).toEqual([{ type: 'timeout', timeoutMs: 10, mode: 'aggressive' }]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('a timed task always receives its signal', () => {
  it('is typed AbortSignal (not optional) for timeout(), TimeoutPolicy and AdaptiveTimeout, and any PolicyTask still fits', () => {
    expectTypeOf<Parameters<Parameters<typeof timeout>[0]>[0]>().toEqualTypeOf<AbortSignal>();
    expectTypeOf<Parameters<Parameters<TimeoutPolicy['execute']>[0]>[0]>().toEqualTypeOf<AbortSignal>();
    expectTypeOf<Parameters<Parameters<AdaptiveTimeout['execute']>[0]>[0]>().toEqualTypeOf<AbortSignal>();
    expectTypeOf<PolicyTask<number>>().toMatchTypeOf<TimedTask<number>>();
    expectTypeOf<TimeoutPolicy>().toMatchTypeOf<Policy>();
  });

  it('is present on every path: cooperative, aggressive, with and without a caller signal, adaptive, inside wrap', async () => {
    const seen: unknown[] = [];
    const task = (signal: AbortSignal) => {
      seen.push(signal);
      return signal.aborted ? 'aborted' : 'ran';
    };
    const caller = new AbortController().signal;
    await timeout(task, 1000);
    await timeout(task, 1000, { signal: caller });
    await timeout(task, 1000, { mode: 'aggressive' });
    await new TimeoutPolicy(1000).execute(task, caller);
    await new AdaptiveTimeout({ minMs: 10, maxMs: 1000 }).execute(task);
    await wrap(new TimeoutPolicy(1000), new CircuitBreaker()).execute((signal) => task(signal as AbortSignal));
    expect(seen).toHaveLength(6);
    for (const signal of seen) expect(signal).toBeInstanceOf(AbortSignal);
  });
});
