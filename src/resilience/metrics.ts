import type * as PromClient from 'prom-client';
import { CircuitBreaker } from './breaker.js';
import { Bulkhead } from './bulkhead.js';
import type { ResilienceManager } from './manager.js';
import { KeyedRateLimiter } from './keyedRateLimiter.js';
import { RateLimiter } from './rateLimiter.js';

const STATES = ['closed', 'open', 'half-open', 'isolated'] as const;

/**
 * Registers the resilience metrics of `manager` in `registry`. Every metric has a `collect`
 * hook that copies the policies' counters at scrape time, so policies never touch prom-client.
 */
export function registerMetrics(prom: typeof PromClient, registry: PromClient.Registry, manager: ResilienceManager): void {
  const breakers = () => [...manager.entries()].filter((e): e is [string, CircuitBreaker] => e[1] instanceof CircuitBreaker);
  const limiters = () =>
    [...manager.entries()].filter((e): e is [string, RateLimiter | KeyedRateLimiter] => e[1] instanceof RateLimiter || e[1] instanceof KeyedRateLimiter);
  const bulkheads = () => [...manager.entries()].filter((e): e is [string, Bulkhead] => e[1] instanceof Bulkhead);
  const registers = [registry];

  new prom.Gauge({
    name: 'swarmguard_circuit_breaker_state',
    help: 'Circuit breaker state: 1 for the current state label, 0 for the others',
    labelNames: ['name', 'state'],
    registers,
    collect() {
      this.reset();
      for (const [name, b] of breakers()) {
        const current = b.state;
        for (const state of STATES) this.set({ name, state }, state === current ? 1 : 0);
      }
    },
  });
  new prom.Counter({
    name: 'swarmguard_circuit_breaker_calls_total',
    help: 'Calls through a circuit breaker by result (success, failure, rejected)',
    labelNames: ['name', 'result'],
    registers,
    collect() {
      this.reset();
      for (const [name, b] of breakers()) {
        this.inc({ name, result: 'success' }, b.successes);
        this.inc({ name, result: 'failure' }, b.failures);
        this.inc({ name, result: 'rejected' }, b.rejections);
      }
    },
  });
  new prom.Gauge({
    name: 'swarmguard_circuit_breaker_latency_ms',
    help: 'Latency quantiles of calls through a circuit breaker (bounded-memory sketch, ±2.5 %)',
    labelNames: ['name', 'quantile'],
    registers,
    collect() {
      this.reset();
      for (const [name, b] of breakers()) {
        const l = b.latency;
        if (!l || l.count === 0) continue;
        for (const q of [0.5, 0.9, 0.99]) this.set({ name, quantile: String(q) }, l.quantile(q));
      }
    },
  });
  new prom.Counter({
    name: 'swarmguard_rate_limiter_rejections_total',
    help: 'Requests refused by a rate limiter',
    labelNames: ['name'],
    registers,
    collect() {
      this.reset();
      for (const [name, l] of limiters()) this.inc({ name }, l.rejections);
    },
  });
  new prom.Gauge({
    name: 'swarmguard_bulkhead_active',
    help: 'Calls running inside a bulkhead',
    labelNames: ['name'],
    registers,
    collect() {
      this.reset();
      for (const [name, b] of bulkheads()) this.set({ name }, b.active);
    },
  });
  new prom.Gauge({
    name: 'swarmguard_bulkhead_queued',
    help: 'Calls waiting for a bulkhead slot',
    labelNames: ['name'],
    registers,
    collect() {
      this.reset();
      for (const [name, b] of bulkheads()) this.set({ name }, b.queued);
    },
  });
}
