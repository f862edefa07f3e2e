import type { Registry } from 'prom-client';
import { requireArray, requireFunction, requireObject } from '../check/index.js';
import { loadPromClient } from './promClient.js';
import type { MetricSample, MetricSource } from './source.js';

const registered = new WeakMap<Registry, WeakSet<MetricSource>>();

/**
 * Registers `source`'s families in a prom-client `registry` (a new Registry when absent) and
 * returns the registry. Values are read from the source at scrape time through prom-client
 * `collect` hooks: nothing to update on the call path, no timers. prom-client is loaded on the
 * first call, so a program that never exports metrics never loads it; it is an optional peer
 * dependency, and without it the call throws `MetricsUnavailableError`. Registering the same
 * source in the same registry again changes nothing.
 */
export async function registerMetrics(source: MetricSource, registry?: Registry): Promise<Registry> {
  requireObject(source, 'registerMetrics', 'source');
  requireArray(source.families, 'registerMetrics', 'source.families');
  requireFunction(source.collect, 'registerMetrics', 'source.collect');
  if (registry !== undefined) requireObject(registry, 'registerMetrics', 'registry');
  const prom = await loadPromClient('registerMetrics');
  const target = registry ?? new prom.Registry();
  let sources = registered.get(target);
  if (sources === undefined) registered.set(target, (sources = new WeakSet()));
  if (sources.has(source)) return target;
  const scrape = oncePerScrape(source);
  for (const family of source.families) {
    const common = { name: family.name, help: family.help, labelNames: [...family.labelNames], registers: [target] };
    if (family.type === 'counter') {
      new prom.Counter({
        ...common,
        collect() {
          this.reset();
          for (const s of scrape().get(family.name) ?? []) this.inc(s.labels, s.value);
        },
      });
    } else {
      new prom.Gauge({
        ...common,
        collect() {
          this.reset();
          for (const s of scrape().get(family.name) ?? []) this.set(s.labels, s.value);
        },
      });
    }
  }
  sources.add(source);
  return target;
}

/**
 * The source's samples by family, collected once per scrape: a scrape runs every family's
 * `collect` hook in one synchronous pass, so the samples are kept until the next microtask.
 */
function oncePerScrape(source: MetricSource): () => Map<string, MetricSample[]> {
  let current: Map<string, MetricSample[]> | undefined;
  return () => {
    if (current === undefined) {
      const byFamily = new Map<string, MetricSample[]>();
      for (const sample of source.collect()) {
        const list = byFamily.get(sample.name);
        if (list === undefined) byFamily.set(sample.name, [sample]);
        else list.push(sample);
      }
      current = byFamily;
      queueMicrotask(() => {
        current = undefined;
      });
    }
    return current;
  };
}
