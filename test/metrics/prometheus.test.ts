import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ArgumentTypeError } from '../../src/check/index.js';
import { type MetricSource, registerMetrics } from '../../src/metrics/index.js';

function counting(): MetricSource & { collects: number; value: number } {
  return {
    collects: 0,
    value: 1,
    families: [
      { name: 'test_jobs_total', help: 'Jobs done', type: 'counter', labelNames: ['queue'] },
      { name: 'test_jobs_waiting', help: 'Jobs waiting', type: 'gauge', labelNames: ['queue'] },
    ],
    collect() {
      this.collects++;
      return [
        { name: 'test_jobs_total', labels: { queue: 'a' }, value: this.value },
        { name: 'test_jobs_total', labels: { queue: 'b' }, value: 2 },
        { name: 'test_jobs_waiting', labels: { queue: 'a' }, value: 5 },
      ];
    },
  };
}

describe('registerMetrics', () => {
  it('exposes any MetricSource as Prometheus text, read at scrape time', async () => {
    const source = counting();
    const registry = await registerMetrics(source);
    expect(registry).toBeInstanceOf(Registry);
    let text = await registry.metrics();
    expect(text).toContain('# TYPE test_jobs_total counter');
    expect(text).toContain('test_jobs_total{queue="a"} 1');
    expect(text).toContain('test_jobs_total{queue="b"} 2');
    expect(text).toContain('# TYPE test_jobs_waiting gauge');
    expect(text).toContain('test_jobs_waiting{queue="a"} 5');
    source.value = 8;
    text = await registry.metrics();
    expect(text).toContain('test_jobs_total{queue="a"} 8');
  });

  it('collects a source once per scrape, whatever the number of its families', async () => {
    const source = counting();
    const registry = await registerMetrics(source);
    await registry.metrics();
    expect(source.collects).toBe(1);
    await registry.metrics();
    expect(source.collects).toBe(2);
  });

  it('registers a source in a registry once', async () => {
    const source = counting();
    const registry = new Registry();
    await registerMetrics(source, registry);
    await registerMetrics(source, registry);
    expect(registry.getMetricsAsArray()).toHaveLength(2);
  });

  it('refuses what is not a source, naming the argument', async () => {
    await expect(registerMetrics(5 as never)).rejects.toThrow(new ArgumentTypeError('registerMetrics', 'source', 'must be an object, got a number (5)'));
    await expect(registerMetrics({ families: {}, collect: () => [] } as never)).rejects.toThrow('registerMetrics: source.families must be an array, got Object');
    await expect(registerMetrics({ families: [] } as never)).rejects.toThrow('registerMetrics: source.collect must be a function, got undefined');
    await expect(registerMetrics(counting(), 'default' as never)).rejects.toThrow('registerMetrics: registry must be an object, got a string');
  });
});
