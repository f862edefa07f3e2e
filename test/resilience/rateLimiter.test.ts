import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KeyedRateLimiter, RateLimitedError, RateLimiter } from '../../src/index.js';

describe('RateLimiter (token bucket, virtual clock)', () => {
  it('starts full, refills at refillPerSecond, never above capacity', () => {
    let now = 0;
    const rl = new RateLimiter({ capacity: 3, refillPerSecond: 10, clock: () => now });
    expect([rl.tryAcquire(), rl.tryAcquire(), rl.tryAcquire(), rl.tryAcquire()]).toEqual([true, true, true, false]);
    now += 99;
    expect(rl.tryAcquire()).toBe(false);
    now += 1; // 100 ms = one token
    expect(rl.tryAcquire()).toBe(true);
    now += 10_000;
    expect(rl.tokens).toBe(3);
    expect(rl.tryAcquire(3)).toBe(true);
    expect(rl.rejections).toBe(2);
  });

  it('execute rejects with RateLimitedError carrying the wait', async () => {
    let now = 0;
    const rl = new RateLimiter({ capacity: 1, refillPerSecond: 4, clock: () => now });
    await expect(rl.execute(async () => 1)).resolves.toBe(1);
    const err = await rl.execute(async () => 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).code).toBe('ERR_RATE_LIMITED');
    expect((err as RateLimitedError).retryAfterMs).toBe(250);
  });
});

describe('RateLimiter.acquire (fake timers)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits for tokens, serving waiters in arrival order', async () => {
    const rl = new RateLimiter({ capacity: 1, refillPerSecond: 10 });
    const order: string[] = [];
    await rl.acquire();
    const a = rl.acquire().then(() => order.push('a'));
    const b = rl.acquire().then(() => order.push('b'));
    expect(rl.tryAcquire()).toBe(false); // cannot overtake the reservations
    await vi.advanceTimersByTimeAsync(100);
    expect(order).toEqual(['a']);
    await vi.advanceTimersByTimeAsync(100);
    await Promise.all([a, b]);
    expect(order).toEqual(['a', 'b']);
  });

  it('gives up at once when the wait exceeds timeoutMs', async () => {
    const rl = new RateLimiter({ capacity: 1, refillPerSecond: 1 });
    rl.tryAcquire();
    await expect(rl.acquire(1, { timeoutMs: 500 })).rejects.toBeInstanceOf(RateLimitedError);
    expect(rl.tokens).toBeCloseTo(0, 6); // nothing was reserved
  });

  it('abort while waiting rejects with the reason and returns the reservation', async () => {
    const rl = new RateLimiter({ capacity: 2, refillPerSecond: 1 });
    rl.tryAcquire(2);
    const ac = new AbortController();
    const p = rl.acquire(2, { signal: ac.signal });
    expect(rl.tokens).toBe(-2);
    ac.abort(new Error('stop'));
    await expect(p).rejects.toThrow('stop');
    expect(rl.tokens).toBe(0);
    await expect(rl.acquire(1, { signal: AbortSignal.abort(new Error('pre')) })).rejects.toThrow('pre');
  });
});

describe('KeyedRateLimiter', () => {
  it('keeps one bucket per key', () => {
    const rl = new KeyedRateLimiter({ capacity: 1, refillPerSecond: 1, maxKeys: 10, clock: () => 0 });
    expect(rl.tryAcquireFor('a')).toBe(true);
    expect(rl.tryAcquireFor('a')).toBe(false);
    expect(rl.tryAcquireFor('b')).toBe(true);
  });

  it('evicts the least recently used key beyond maxKeys, so memory stays bounded', () => {
    const rl = new KeyedRateLimiter({ capacity: 1, refillPerSecond: 1, maxKeys: 3, clock: () => 0 });
    rl.tryAcquireFor('a');
    rl.tryAcquireFor('b');
    rl.tryAcquireFor('c');
    rl.tryAcquireFor('a'); // a is now the most recent
    rl.tryAcquireFor('d'); // evicts b
    expect(rl.size).toBe(3);
    expect(rl.has('b')).toBe(false);
    expect(rl.has('a') && rl.has('c') && rl.has('d')).toBe(true);
    expect(rl.evictions).toBe(1);
    for (let i = 0; i < 10_000; i++) rl.tryAcquireFor(`k${i}`);
    expect(rl.size).toBe(3);
  });
});

describe('RateLimiter events', () => {
  it('emits a rejected event with the key', () => {
    const events: unknown[] = [];
    const rl = new KeyedRateLimiter({ name: 'peers', capacity: 1, refillPerSecond: 1, maxKeys: 4, clock: () => 0, onEvent: (e) => events.push(e) });
    rl.tryAcquireFor('a');
    rl.tryAcquireFor('a');
    expect(events).toEqual([{ type: 'rejected', policy: 'peers', key: 'a', tokens: 0 }]);
  });
});

describe('KeyedRateLimiter as a policy', () => {
  it('policyFor(key) charges that key only', async () => {
    const rl = new KeyedRateLimiter({ capacity: 1, refillPerSecond: 1, maxKeys: 4, clock: () => 0 });
    await expect(rl.policyFor('a').execute(async () => 'ok')).resolves.toBe('ok');
    await expect(rl.policyFor('a').execute(async () => 'ok')).rejects.toBeInstanceOf(RateLimitedError);
    await expect(rl.policyFor('b').execute(async () => 'ok')).resolves.toBe('ok');
    expect(rl.tokensFor('a')).toBe(0);
    expect(rl.tokensFor('zzz')).toBe(1);
  });
});
