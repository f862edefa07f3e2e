import { describe, expect, it } from 'vitest';
import { ArgumentRangeError } from '../../src/check/index.js';
import { ResilienceManager } from '../../src/index.js';

describe('ResilienceManager', () => {
  function setup() {
    let now = 0;
    const clock = () => now;
    const m = new ResilienceManager({ clock });
    return { m, tick: (ms: number) => (now += ms) };
  }

  it('get-or-create by name, refusing a name taken by another kind', () => {
    const { m } = setup();
    const b = m.breaker('db');
    expect(m.breaker('db')).toBe(b);
    expect(() => m.bulkhead('db', { maxConcurrent: 1 })).toThrow(/already registered/);
    expect(() => m.breaker('')).toThrow(ArgumentRangeError);
  });

  it('stats() reports state, counts, rejections and latency quantiles as JSON', async () => {
    const { m, tick } = setup();
    const b = m.breaker('db', { decider: { kind: 'consecutive', failures: 2 } });
    for (let i = 1; i <= 100; i++) {
      await b.execute(async () => {
        tick(i);
      });
    }
    await b.execute(async () => Promise.reject(new Error('x'))).catch(() => undefined);
    await b.execute(async () => Promise.reject(new Error('x'))).catch(() => undefined);
    await b.execute(async () => 1).catch(() => undefined);
    const rl = m.rateLimiter('api', { capacity: 1, refillPerSecond: 1 });
    rl.tryAcquire();
    rl.tryAcquire();
    const kl = m.keyedRateLimiter('peers', { capacity: 1, refillPerSecond: 1, maxKeys: 2 });
    kl.tryAcquireFor('a');
    kl.tryAcquireFor('b');
    kl.tryAcquireFor('c');
    m.bulkhead('pool', { maxConcurrent: 4 });
    m.retry('r');
    m.timeout('t', 100);
    m.adaptiveTimeout('at', { minMs: 10, maxMs: 500 });
    const stats = JSON.parse(JSON.stringify(m.stats()));
    expect(stats.breakers.db).toMatchObject({ state: 'open', successes: 100, failures: 2, rejections: 1 });
    const lat = stats.breakers.db.latency;
    expect(lat.count).toBe(102);
    expect(lat.p50Ms).toBeGreaterThan(48);
    expect(lat.p50Ms).toBeLessThan(53);
    expect(lat.p99Ms).toBeGreaterThan(95);
    expect(lat.maxMs).toBe(100);
    expect(stats.rateLimiters.api).toMatchObject({ acquired: 1, rejections: 1 });
    expect(stats.rateLimiters.peers).toMatchObject({ keys: 2, evictions: 1 });
    expect(stats.bulkheads.pool).toEqual({ active: 0, queued: 0, executed: 0, rejections: 0 });
    expect(stats.timeouts.t).toEqual({ timeouts: 0, timeoutMs: 100 });
    expect(stats.timeouts.at).toEqual({ timeoutMs: 500 });
  });

  it('stats() is each policy’s own plain stats(), grouped by the factory that made it', () => {
    const { m } = setup();
    const policies = [
      ['breakers', 'b', m.breaker('b')],
      ['rateLimiters', 'rl', m.rateLimiter('rl', { capacity: 2, refillPerSecond: 1 })],
      ['rateLimiters', 'krl', m.keyedRateLimiter('krl', { capacity: 2, refillPerSecond: 1, maxKeys: 4 })],
      ['bulkheads', 'bh', m.bulkhead('bh', { maxConcurrent: 1 })],
      ['retries', 'r', m.retry('r')],
      ['timeouts', 't', m.timeout('t', 50)],
      ['timeouts', 'at', m.adaptiveTimeout('at', { minMs: 1, maxMs: 9 })],
    ] as const;
    const stats = m.stats();
    for (const [group, name, policy] of policies) {
      expect(stats[group][name], name).toEqual(policy.stats());
      expect(Object.getPrototypeOf(stats[group][name]), name).toBe(Object.prototype);
    }
    expect(Object.values(stats).flatMap((g) => Object.keys(g))).toHaveLength(policies.length);
  });
});

describe('ResilienceManager events', () => {
  it('forwards every policy event tagged with its name, for policies made before and after subscribing', async () => {
    let now = 0;
    const m = new ResilienceManager({ clock: () => now });
    const b = m.breaker('db', { decider: { kind: 'consecutive', failures: 1 } });
    const seen: string[] = [];
    m.onEvent(({ name, event }) => seen.push(`${name}:${event.type}${event.type === 'state' ? `:${event.to}` : ''}`));
    const rl = m.rateLimiter('api', { capacity: 1, refillPerSecond: 1 });
    b.record(false);
    await b.execute(async () => 1).catch(() => undefined);
    rl.tryAcquire();
    rl.tryAcquire();
    now += 1;
    expect(seen).toEqual(['db:state:open', 'db:rejected', 'api:rejected']);
  });
});
