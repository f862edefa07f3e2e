import { describe, expect, it } from 'vitest';
import { Bulkhead, BrokenCircuitError, CircuitBreaker, fallback, FallbackPolicy, type Policy, RetryPolicy, wrap } from '../../src/index.js';

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

  it('passes the signal through every layer', async () => {
    const ac = new AbortController();
    let seen: AbortSignal | undefined;
    await wrap(new RetryPolicy(), new Bulkhead({ maxConcurrent: 1 })).execute(async (s) => (seen = s), ac.signal);
    expect(seen).toBe(ac.signal);
  });

  it('rejects things that are not policies', () => {
    expect(() => wrap({} as never)).toThrow(TypeError);
  });
});

describe('fallback', () => {
  it('returns the alternative on failure, the value otherwise', async () => {
    await expect(fallback(async () => 1, () => 2)).resolves.toBe(1);
    await expect(fallback(async () => Promise.reject(new Error('x')), (e) => `fb: ${(e as Error).message}`)).resolves.toBe('fb: x');
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
