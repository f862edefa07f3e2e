// Counters out of any part, as Prometheus metrics: parts expose plain `stats()` (or a
// `MetricSource`); only this folder names prom-client, and it loads it on first use.
export { MetricsUnavailableError } from './promClient.js';
export { registerMetrics } from './prometheus.js';
export { resilienceMetrics, type ResilienceStatsSource } from './resilience.js';
export { type MetricFamily, type MetricSample, type MetricSource, type MetricType } from './source.js';
