import { describe, expect, it } from 'vitest';
import { binomialUpperTail } from '../../../src/resilience/deciders/binomial.js';
import { Rng, testSeed } from '../../_support/seed.js';

/** P(X >= k) by exact rational arithmetic on BigInt, p = num/den: the reference. */
function exactTail(n: number, k: number, num: number, den: number): number {
  let sum = 0n;
  let choose = 1n; // C(n, j), built up from j = 0
  for (let j = 0; j <= n; j++) {
    if (j > 0) choose = (choose * BigInt(n - j + 1)) / BigInt(j);
    if (j >= k) sum += choose * BigInt(num) ** BigInt(j) * BigInt(den - num) ** BigInt(n - j);
  }
  if (sum === 0n) return 0;
  const total = BigInt(den) ** BigInt(n);
  // shift so the quotient keeps 64 significant bits, then scale back in two steps (no overflow)
  const shift = total.toString(2).length - sum.toString(2).length + 64;
  const q = Number((sum << BigInt(shift)) / total);
  return q * 2 ** -Math.ceil(shift / 2) * 2 ** -Math.floor(shift / 2);
}

describe('binomialUpperTail', () => {
  it('edge cases', () => {
    expect(binomialUpperTail(10, 0, 0.3)).toBe(1);
    expect(binomialUpperTail(10, 11, 0.3)).toBe(0);
    expect(binomialUpperTail(10, 10, 0.5)).toBeCloseTo(2 ** -10, 15);
  });

  it('p = 0 and p = 1 are certain outcomes', () => {
    expect(binomialUpperTail(10, 1, 0)).toBe(0);
    expect(binomialUpperTail(10, 10, 1)).toBe(1);
  });

  it('matches exact BigInt sums on random (n, k, p)', () => {
    const rng = new Rng(testSeed('binomialUpperTail'));
    for (let i = 0; i < 300; i++) {
      const n = 1 + rng.int(300);
      const k = rng.int(n + 2);
      const num = 1 + rng.int(99);
      const want = exactTail(n, k, num, 100);
      const got = binomialUpperTail(n, k, num / 100);
      if (want > 1e-300) expect(Math.abs(got - want) / want, `n=${n} k=${k} p=${num / 100}`).toBeLessThan(1e-9);
      else expect(got).toBeLessThan(1e-295);
    }
  });

  it('stays accurate far in the tail at large n', () => {
    const want = exactTail(2000, 300, 1, 10);
    expect(Math.abs(binomialUpperTail(2000, 300, 0.1) - want) / want).toBeLessThan(1e-9);
  });
});
