import { describe, expect, it } from 'vitest';
import { BrokenCircuitError, Bulkhead, CircuitBreaker, fallback, FallbackPolicy, type Policy, RetryPolicy, wrap } from '../../src/resilience/index.js';

describe('wrap', () => {
  it('runs policies outermost first', async () => {
    const order: string[] = [];
    const tag = (name: string): Policy => ({
      async execute(fn, signal) {
        order.push(`${name}>`);
        try {
          return await fn(signal);
        } finally {
          order.push(`<${name}`);
        }
      },
    });
    await wrap(tag('a'), tag('b'), tag('c')).execute(async () => order.push('fn'));
    expect(order).toEqual(['a>', 'b>', 'c>', 'fn', '<c', '<b', '<a']);
  });

  it('retry outside a breaker stops at BrokenCircuitError', async () => {
    let now = 0;
    const breaker = new CircuitBreaker({ decider: { kind: 'consecutive', failures: 2 }, clock: () => now });
    let calls = 0;
    const policy = wrap(new RetryPolicy({ maxAttempts: 10, sleep: async () => undefined }), breaker, new Bulkhead({ maxConcurrent: 2 }));
    const err = await policy
      .execute(async () => {
        calls++;
        throw new Error('down');
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BrokenCircuitError);
    expect(calls).toBe(2);
  });

  it('a full bulkhead under a breaker: one failure recorded, not two (fused path falls back cleanly)', async () => {
    const breaker = new CircuitBreaker({ decider: { kind: 'consecutive', failures: 5 } });
    const bulkhead = new Bulkhead({ maxConcurrent: 1 });
    const policy = wrap(breaker, bulkhead);
    let release!: () => void;
    const running = policy.execute(() => new Promise<void>((r) => (release = r)));
    await expect(policy.execute(async () => 1)).rejects.toThrow(/full/);
    expect(breaker.failures).toBe(1);
    expect(bulkhead.executed).toBe(1);
    release();
    await running;
    expect(bulkhead.active).toBe(0);
    expect(breaker.successes).toBe(1);
  });

  it('fused and layer-by-layer paths agree on a retried success', async () => {
    let calls = 0;
    const flaky = async () => {
      if (++calls < 3) throw new Error('flaky');
      return 'ok';
    };
    const breaker = new CircuitBreaker({ decider: { kind: 'consecutive', failures: 10 } });
    const bulkhead = new Bulkhead({ maxConcurrent: 1 });
    await expect(wrap(new RetryPolicy({ maxAttempts: 5, sleep: async () => undefined }), breaker, bulkhead).execute(flaky)).resolves.toBe('ok');
    expect([breaker.failures, breaker.successes, bulkhead.executed, bulkhead.active]).toEqual([2, 1, 3, 0]);
  });

  it('a synchronous throw inside the fused path is a failure of the call', async () => {
    const breaker = new CircuitBreaker({ decider: { kind: 'consecutive', failures: 10 } });
    await expect(
      wrap(breaker, new Bulkhead({ maxConcurrent: 1 })).execute(() => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    expect(breaker.failures).toBe(1);
  });

  it('passes the signal through every layer', async () => {
    const ac = new AbortController();
    let seen: AbortSignal | undefined;
    await wrap(new RetryPolicy(), new Bulkhead({ maxConcurrent: 1 })).execute(async (s) => (seen = s), ac.signal);
    expect(seen).toBe(ac.signal);
  });

  it('fuses any policy with continueAfter (not only RetryPolicy): the first attempt runs once, a failure is handed over', async () => {
    const handedOver: unknown[] = [];
    const recovering = {
      execute: () => Promise.reject(new Error('the fused path never calls execute')),
      continueAfter<T>(error: unknown, fn: (signal?: AbortSignal) => T | PromiseLike<T>) {
        handedOver.push(error);
        return Promise.resolve(fn());
      },
    };
    const breaker = new CircuitBreaker({ decider: { kind: 'consecutive', failures: 5 } });
    const down = new Error('down');
    let calls = 0;
    const value = await wrap(recovering, breaker).execute(async () => {
      if (++calls === 1) throw down;
      return 'second';
    });
    expect(value).toBe('second');
    expect(handedOver).toEqual([down]);
    expect(breaker.stats()).toMatchObject({ successes: 1, failures: 1 });
  });

  it('with no layers runs the task', async () => {
    expect(await wrap().execute(() => 7)).toBe(7);
  });
});

describe('fallback', () => {
  it('returns the alternative on failure, the value otherwise', async () => {
    await expect(fallback(async () => 1, () => 2)).resolves.toBe(1);
    await expect(fallback(async () => Promise.reject(new Error('x')), (e) => `fb: ${(e as Error).message}`)).resolves.toBe('fb: x');
  });

  it('emits a fallback event', async () => {
    const events: unknown[] = [];
    const err = new Error('x');
    await new FallbackPolicy(() => 0, { onEvent: (e) => events.push(e) }).execute(async () => Promise.reject(err));
    expect(events).toEqual([{ type: 'fallback', error: err }]);
  });

  it('`when` narrows the errors and caller aborts are never swallowed', async () => {
    const p = new FallbackPolicy(() => 'fb', { when: (e) => e instanceof RangeError });
    await expect(p.execute(async () => Promise.reject(new TypeError('t')))).rejects.toThrow(TypeError);
    await expect(p.execute(async () => Promise.reject(new RangeError('r')))).resolves.toBe('fb');
    const ac = new AbortController();
    ac.abort(new Error('mine'));
    await expect(new FallbackPolicy(() => 'fb').execute(async (s) => Promise.reject(s!.reason), ac.signal)).rejects.toThrow('mine');
  });
});

describe('wrap with a latency-tracking breaker', () => {
  it('the fused path times the call too', async () => {
    let now = 0;
    const breaker = new CircuitBreaker({ trackLatency: true, clock: () => now });
    await wrap(breaker, new Bulkhead({ maxConcurrent: 1 })).execute(async () => {
      now += 25;
    });
    expect(breaker.latency!.count).toBe(1);
    expect(breaker.latency!.max).toBe(25);
    expect(breaker.successes).toBe(1);
  });
});
