import { describe, expect, it } from 'vitest';
import { AdaptiveTimeout, QuantileSketch, SlidingQuantiles } from '../../src/resilience/index.js';
import { Rng, testSeed } from '../_support/seed.js';

describe('QuantileSketch', () => {
  it('quantiles within ±2.5 % of the exact ones, whatever the number of samples', () => {
    const rng = new Rng(testSeed('QuantileSketch'));
    const s = new QuantileSketch();
    const values: number[] = [];
    for (let i = 0; i < 50_000; i++) {
      const v = 0.05 + (rng.u32() / 2 ** 32) ** 3 * 2000; // skewed, like latencies
      values.push(v);
      s.record(v);
    }
    values.sort((a, b) => a - b);
    for (const q of [0.1, 0.5, 0.9, 0.99, 0.999]) {
      const exact = values[Math.floor(q * (values.length - 1))];
      expect(Math.abs(s.quantile(q) - exact) / exact, `q=${q}`).toBeLessThan(0.026);
    }
    expect(s.quantile(0)).toBe(values[0]);
    expect(s.quantile(1)).toBe(values.at(-1));
    expect(new QuantileSketch().quantile(0.5)).toBeNaN();
  });
});

describe('SlidingQuantiles / AdaptiveTimeout', () => {
  it('forgets samples older than two windows', () => {
    const s = new SlidingQuantiles(100);
    for (let i = 0; i < 300; i++) s.record(1000);
    for (let i = 0; i < 201; i++) s.record(10);
    expect(s.quantile(0.99)).toBeCloseTo(10, -1);
  });

  it('tracks the p99 of latencies, clamped to [minMs, maxMs]', () => {
    const t = new AdaptiveTimeout({ minMs: 20, maxMs: 2000, windowSamples: 1000 });
    expect(t.timeoutMs).toBe(2000); // nothing seen yet: maxMs
    for (let i = 0; i < 1000; i++) t.record(i < 985 ? 50 : 400);
    expect(t.timeoutMs).toBeGreaterThan(390);
    expect(t.timeoutMs).toBeLessThan(410);
    for (let i = 0; i < 2000; i++) t.record(1);
    expect(t.timeoutMs).toBe(20);
    for (let i = 0; i < 2000; i++) t.record(60_000);
    expect(t.timeoutMs).toBe(2000);
  });

  it('learns from calls run through it', async () => {
    let now = 0;
    const t = new AdaptiveTimeout({ minMs: 1, maxMs: 1000, clock: () => now });
    for (let i = 0; i < 100; i++) {
      await t.execute(async () => {
        now += 30;
      });
    }
    expect(t.timeoutMs).toBeGreaterThan(29);
    expect(t.timeoutMs).toBeLessThan(31);
  });
});
