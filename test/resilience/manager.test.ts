import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
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
    expect(() => m.breaker('')).toThrow(TypeError);
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

  it('metrics() registers the named Prometheus metrics with the policy name as a label', async () => {
    const { m } = setup();
    const b = m.breaker('db', { decider: { kind: 'consecutive', failures: 1 } });
    await b.execute(async () => 1);
    await b.execute(async () => Promise.reject(new Error('x'))).catch(() => undefined);
    await b.execute(async () => 1).catch(() => undefined);
    const rl = m.rateLimiter('api', { capacity: 1, refillPerSecond: 1 });
    rl.tryAcquire();
    rl.tryAcquire();
    m.bulkhead('pool', { maxConcurrent: 2 });
    const registry = await m.metrics();
    expect(await m.metrics(registry)).toBe(registry); // idempotent
    const text = await registry.metrics();
    expect(text).toContain('swarmguard_circuit_breaker_state{name="db",state="open"} 1');
    expect(text).toContain('swarmguard_circuit_breaker_state{name="db",state="closed"} 0');
    expect(text).toContain('swarmguard_circuit_breaker_calls_total{name="db",result="success"} 1');
    expect(text).toContain('swarmguard_circuit_breaker_calls_total{name="db",result="failure"} 1');
    expect(text).toContain('swarmguard_circuit_breaker_calls_total{name="db",result="rejected"} 1');
    expect(text).toContain('swarmguard_rate_limiter_rejections_total{name="api"} 1');
    expect(text).toContain('swarmguard_bulkhead_active{name="pool"} 0');
    expect(text).toContain('swarmguard_bulkhead_queued{name="pool"} 0');
    expect(text).toContain('swarmguard_circuit_breaker_latency_ms{name="db",quantile="0.5"}');
    // values are read at scrape time
    await b.execute(async () => 1).catch(() => undefined);
    expect(await registry.metrics()).toContain('swarmguard_circuit_breaker_calls_total{name="db",result="rejected"} 2');
  });

  it('metrics() can add to an existing registry', async () => {
    const { m } = setup();
    m.bulkhead('pool', { maxConcurrent: 2 });
    const registry = new Registry();
    await m.metrics(registry);
    expect(await registry.metrics()).toContain('swarmguard_bulkhead_active{name="pool"} 0');
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

  it('validates its options', () => {
    expect(() => new ResilienceManager(5 as never)).toThrow(/options must be an object/);
    expect(() => new ResilienceManager({ clock: 5 as never })).toThrow(/clock must be a function/);
  });
});
