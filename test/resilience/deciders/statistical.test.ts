import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../../src/index.js';
import { binomialUpperTail, CriticalValues } from '../../../src/resilience/deciders/binomial.js';
import { Rng, testSeed } from '../../_support/seed.js';

function bruteCritical(n: number, p: number, alpha: number): number {
  let k = 0;
  while (k <= n && binomialUpperTail(n, k, p) > alpha) k++;
  return k;
}

describe('CriticalValues', () => {
  it('is the smallest significant failure count, by direct search and incrementally', () => {
    const rng = new Rng(testSeed('CriticalValues'));
    for (const [p, alpha] of [
      [0.1, 1e-9],
      [0.05, 1e-3],
      [0.5, 0.01],
    ]) {
      const direct = new CriticalValues(p, alpha);
      for (let i = 0; i < 40; i++) {
        const n = 1 + rng.int(3000);
        expect(direct.get(n), `n=${n} p=${p} alpha=${alpha}`).toBe(bruteCritical(n, p, alpha));
      }
      const incremental = new CriticalValues(p, alpha);
      for (let n = 1; n <= 400; n++) expect(incremental.get(n)).toBe(bruteCritical(n, p, alpha));
    }
  });

  it('stays exact far out: the O(1) recurrence agrees with exact tails up to n = 200,000', () => {
    const rng = new Rng(testSeed('CriticalValues far'));
    for (const [p, alpha] of [
      [0.1, 1e-9],
      [0.01, 1e-6],
    ]) {
      const cv = new CriticalValues(p, alpha);
      for (let i = 0; i < 25; i++) {
        const n = 1 + rng.int(200_000);
        const c = cv.get(n);
        expect(binomialUpperTail(n, c, p), `n=${n}`).toBeLessThanOrEqual(alpha);
        expect(binomialUpperTail(n, c - 1, p), `n=${n}`).toBeGreaterThan(alpha);
      }
    }
    expect(new CriticalValues(0.1, 1e-9).get(2_000_000)).toBeGreaterThan(200_000); // beyond the table: bisection
  });

  it('never rejects when even n failures of n are not significant', () => {
    const cv = new CriticalValues(0.5, 1e-9);
    expect(cv.get(10)).toBe(11); // 0.5^10 ≈ 1e-3 > 1e-9
  });
});

/** The default breaker driven through allow()/record() on a virtual clock at 1,000 calls/s. */
function drive(failing: (t: number) => boolean, ms: number) {
  let now = 0;
  const breaker = new CircuitBreaker({ clock: () => now });
  const opens: number[] = [];
  const closes: number[] = [];
  breaker.onEvent((e) => {
    if (e.type === 'state' && e.to === 'open') opens.push(now);
    if (e.type === 'state' && e.to === 'closed') closes.push(now);
  });
  for (now = 0; now < ms; now++) {
    if (!breaker.allow()) continue;
    breaker.record(!failing(now), 1, now);
  }
  return { opens, closes };
}

describe('default breaker behaviour (virtual clock)', () => {
  it('opens within 50 calls of a total fault and closes within 100 ms of recovery', () => {
    for (let phase = 0; phase < 200; phase += 23) {
      const faultAt = 1000 + phase;
      const { opens, closes } = drive((t) => t >= faultAt && t < faultAt + 2000, 4000);
      expect(opens[0] - faultAt, `phase ${phase}`).toBeLessThanOrEqual(50);
      expect(closes.at(-1)! - (faultAt + 2000), `phase ${phase}`).toBeLessThanOrEqual(100); // open periods are capped at 100 ms
    }
  });

  it('does not open on a dependency failing 5 % of calls for 10 simulated minutes', () => {
    const seed = testSeed('default breaker 5 % baseline');
    const rng = new Rng(seed);
    const { opens } = drive(() => rng.u32() / 2 ** 32 < 0.05, 600_000);
    expect(opens).toEqual([]);
  });
});
