import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ResilienceManager } from '../../src/index.js';
import { registerMetrics, resilienceMetrics } from '../../src/metrics/index.js';

describe('resilienceMetrics', () => {
  function setup() {
    let now = 0;
    return new ResilienceManager({ clock: () => now++ });
  }

  it('registers the named Prometheus metrics with the policy name as a label', async () => {
    const m = setup();
    const b = m.breaker('db', { decider: { kind: 'consecutive', failures: 1 } });
    await b.execute(async () => 1);
    await b.execute(async () => Promise.reject(new Error('x'))).catch(() => undefined);
    await b.execute(async () => 1).catch(() => undefined);
    const rl = m.rateLimiter('api', { capacity: 1, refillPerSecond: 1 });
    rl.tryAcquire();
    rl.tryAcquire();
    m.bulkhead('pool', { maxConcurrent: 2 });
    const registry = await registerMetrics(resilienceMetrics(m));
    expect(await registerMetrics(resilienceMetrics(m), registry)).toBe(registry); // idempotent
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

  it('can add to an existing registry', async () => {
    const m = setup();
    m.bulkhead('pool', { maxConcurrent: 2 });
    const registry = new Registry();
    await registerMetrics(resilienceMetrics(m), registry);
    expect(await registry.metrics()).toContain('swarmguard_bulkhead_active{name="pool"} 0');
  });

  it('reads nothing but plain stats(): any object with that shape will do', async () => {
    const stats = {
      breakers: { edge: { state: 'half-open' as const, successes: 3, failures: 2, rejections: 1, latency: { count: 1, meanMs: 4, p50Ms: 4, p90Ms: 5, p99Ms: 6, maxMs: 6 } } },
      rateLimiters: { keyed: { acquired: 9, rejections: 7, keys: 2, evictions: 0 } },
      bulkheads: {},
      retries: {},
      timeouts: {},
    };
    const text = await (await registerMetrics(resilienceMetrics({ stats: () => stats }))).metrics();
    expect(text).toContain('swarmguard_circuit_breaker_state{name="edge",state="half-open"} 1');
    expect(text).toContain('swarmguard_circuit_breaker_latency_ms{name="edge",quantile="0.99"} 6');
    expect(text).toContain('swarmguard_rate_limiter_rejections_total{name="keyed"} 7');
  });
});
