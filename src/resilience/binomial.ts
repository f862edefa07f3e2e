// Exact one-sided binomial test for the statistical breaker.
//
// P(X >= k) for X ~ Binomial(n, p) is summed term by term from the first term, which comes
// from log-gamma (Lanczos, |relative error| < 1e-14); the following terms come from the ratio
// pmf(j+1)/pmf(j) = (n-j)/(j+1) · p/(1-p), so no large factorial is ever formed. Below the
// mean the complement (the lower tail, summed downward) is used instead, so every sum runs
// over decreasing terms and stops once they no longer change the result.

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

function logPmf(n: number, k: number, p: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p);
}

/** Sum of pmf(j) over j from `from` moving by `step` (+1 up, -1 down), relative to pmf(from). */
function relativeSum(n: number, from: number, p: number, step: 1 | -1): number {
  const odds = p / (1 - p);
  let term = 1;
  let sum = 1;
  for (let j = from; step === 1 ? j < n : j > 0; j += step) {
    term *= step === 1 ? ((n - j) / (j + 1)) * odds : (j / (n - j + 1)) / odds;
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/** P(X >= k) for X ~ Binomial(n, p). */
export function binomialUpperTail(n: number, k: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (k > n * p) return Math.min(1, Math.exp(logPmf(n, k, p)) * relativeSum(n, k, p, 1));
  const lower = Math.exp(logPmf(n, k - 1, p)) * relativeSum(n, k - 1, p, -1);
  return Math.max(0, 1 - lower);
}

/** Largest n whose critical value is cached (4 MiB of Int32 at most per (p, alpha) pair). */
const CACHE_LIMIT = 1 << 20;

/**
 * critical(n) = the smallest k with P(X >= k) <= alpha: a window of n calls with k failures is
 * significant exactly when k >= critical(n). Values are computed once per n and shared by every
 * breaker with the same (p, alpha), so the failure path is a table lookup.
 */
export class CriticalValues {
  private table = new Int32Array(64);

  constructor(
    readonly p: number,
    readonly alpha: number,
  ) {}

  get(n: number): number {
    if (n < this.table.length) {
      const hit = this.table[n];
      if (hit !== 0) return hit;
    } else if (n < CACHE_LIMIT) {
      let size = this.table.length;
      while (size <= n) size *= 2;
      const grown = new Int32Array(Math.min(size, CACHE_LIMIT));
      grown.set(this.table);
      this.table = grown;
    }
    const k = this.compute(n);
    if (n < this.table.length) this.table[n] = k;
    return k;
  }

  private compute(n: number): number {
    const { p, alpha } = this;
    // critical(n) is critical(n-1) or one more: start there when known.
    const prev = n > 0 && n - 1 < this.table.length ? this.table[n - 1] : 0;
    if (prev !== 0) return binomialUpperTail(n, prev, p) <= alpha ? prev : prev + 1;
    let lo = 1;
    let hi = n + 1; // P(X >= n+1) = 0 <= alpha always
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (binomialUpperTail(n, mid, p) <= alpha) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

const shared = new Map<string, CriticalValues>();

export function criticalValues(p: number, alpha: number): CriticalValues {
  const key = `${p}|${alpha}`;
  let cv = shared.get(key);
  if (!cv) shared.set(key, (cv = new CriticalValues(p, alpha)));
  return cv;
}
