import { requireFunction, requireObject } from '../check/index.js';
import type { CircuitState, ResilienceStats } from '../resilience/index.js';
import type { MetricFamily, MetricSample, MetricSource } from './source.js';

const STATES: readonly CircuitState[] = ['closed', 'open', 'half-open', 'isolated'];
const QUANTILES = [
  ['0.5', 'p50Ms'],
  ['0.9', 'p90Ms'],
  ['0.99', 'p99Ms'],
] as const;

const FAMILIES: readonly MetricFamily[] = [
  {
    name: 'swarmguard_circuit_breaker_state',
    help: 'Circuit breaker state: 1 for the current state label, 0 for the others',
    type: 'gauge',
    labelNames: ['name', 'state'],
  },
  {
    name: 'swarmguard_circuit_breaker_calls_total',
    help: 'Calls through a circuit breaker by result (success, failure, rejected)',
    type: 'counter',
    labelNames: ['name', 'result'],
  },
  {
    name: 'swarmguard_circuit_breaker_latency_ms',
    help: 'Latency quantiles of calls through a circuit breaker (bounded-memory sketch, ±2.5 %)',
    type: 'gauge',
    labelNames: ['name', 'quantile'],
  },
  { name: 'swarmguard_rate_limiter_rejections_total', help: 'Requests refused by a rate limiter', type: 'counter', labelNames: ['name'] },
  { name: 'swarmguard_bulkhead_active', help: 'Calls running inside a bulkhead', type: 'gauge', labelNames: ['name'] },
  { name: 'swarmguard_bulkhead_queued', help: 'Calls waiting for a bulkhead slot', type: 'gauge', labelNames: ['name'] },
];

/** Anything with the `stats()` of a `ResilienceManager`. */
export interface ResilienceStatsSource {
  stats(): ResilienceStats;
}

const sources = new WeakMap<ResilienceStatsSource, MetricSource>();

/**
 * The Prometheus metrics of a resilience manager, labelled with each policy's registered name,
 * read from its plain `stats()` at scrape time. The same manager always gives the same source,
 * so registering it twice in one registry is harmless.
 */
export function resilienceMetrics(manager: ResilienceStatsSource): MetricSource {
  requireObject(manager, 'resilienceMetrics', 'manager');
  requireFunction(manager.stats, 'resilienceMetrics', 'manager.stats');
  let source = sources.get(manager);
  if (source === undefined) {
    source = { families: FAMILIES, collect: () => samples(manager.stats()) };
    sources.set(manager, source);
  }
  return source;
}

function samples(stats: ResilienceStats): MetricSample[] {
  const out: MetricSample[] = [];
  const add = (name: string, labels: Record<string, string>, value: number) => out.push({ name, labels, value });
  for (const [name, b] of Object.entries(stats.breakers)) {
    for (const state of STATES) add('swarmguard_circuit_breaker_state', { name, state }, state === b.state ? 1 : 0);
    add('swarmguard_circuit_breaker_calls_total', { name, result: 'success' }, b.successes);
    add('swarmguard_circuit_breaker_calls_total', { name, result: 'failure' }, b.failures);
    add('swarmguard_circuit_breaker_calls_total', { name, result: 'rejected' }, b.rejections);
    if (b.latency !== undefined) for (const [quantile, key] of QUANTILES) add('swarmguard_circuit_breaker_latency_ms', { name, quantile }, b.latency[key]);
  }
  for (const [name, l] of Object.entries(stats.rateLimiters)) add('swarmguard_rate_limiter_rejections_total', { name }, l.rejections);
  for (const [name, b] of Object.entries(stats.bulkheads)) {
    add('swarmguard_bulkhead_active', { name }, b.active);
    add('swarmguard_bulkhead_queued', { name }, b.queued);
  }
  return out;
}
