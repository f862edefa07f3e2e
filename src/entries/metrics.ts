// `swarmguard/metrics` (Node only; the exports map refuses it to browser bundles): counters of
// any part as Prometheus metrics, through prom-client (an optional peer dependency, loaded on first use).
export {
  MetricsUnavailableError,
  type MetricFamily,
  type MetricSample,
  type MetricSource,
  type MetricType,
  registerMetrics,
  resilienceMetrics,
  type ResilienceStatsSource,
} from '../metrics/index.js';
