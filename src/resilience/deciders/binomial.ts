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
function logGamma(x: number): number {
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

/** P(X >= k) for X ~ Binomial(n, p): integers n >= 0 and k, p in [0, 1] (the callers' own). */
export function binomialUpperTail(n: number, k: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (k > n * p) return Math.min(1, Math.exp(logPmf(n, k, p)) * relativeSum(n, k, p, 1));
  const lower = Math.exp(logPmf(n, k - 1, p)) * relativeSum(n, k - 1, p, -1);
  return Math.max(0, 1 - lower);
}

/** Largest n whose critical value is cached (4 MiB of Int32 at most per (p, alpha) pair). */
const CACHE_LIMIT = 1 << 20;
/** The running recurrence is re-anchored on an exact evaluation every this many n. */
const ANCHOR_EVERY = 256;

/**
 * critical(n) = the smallest k with P(X >= k) <= alpha: a window of n calls with k failures is
 * significant exactly when k >= critical(n). The table is filled contiguously, one n at a
 * time, in O(1) each, from two recurrences in n:
 *   P_{n+1}(X >= c) = P_n(X >= c) + p · P_n(X = c−1)
 *   P_{n+1}(X = j)  = P_n(X = j) · (n+1)/(n+1−j) · (1−p)
 * (raising c subtracts P(X = c) from the tail), with an exact `binomialUpperTail` anchor every
 * 256 n. So a failure's lookup is O(1) amortised whatever n, and the table is shared by every
 * breaker with the same (p, alpha).
 */
export class CriticalValues {
  private table = new Int32Array(64);
  /** table[1..top] is filled. */
  private top = 0;
  /** At n = top: critical value c, P(X >= c) and P(X = c−1). */
  private c = 1;
  private tail = 1;
  private pmfBelow = 0;

  constructor(
    readonly p: number,
    readonly alpha: number,
  ) {}

  get(n: number): number {
    if (n <= this.top) return this.table[n];
    if (n >= CACHE_LIMIT) return this.bisect(n);
    if (n >= this.table.length) {
      let size = this.table.length;
      while (size <= n) size *= 2;
      const grown = new Int32Array(Math.min(size, CACHE_LIMIT));
      grown.set(this.table);
      this.table = grown;
    }
    while (this.top < n) this.step();
    return this.table[n];
  }

  private step(): void {
    const n = this.top + 1;
    const { p, alpha } = this;
    const q = 1 - p;
    if (n % ANCHOR_EVERY === 1) {
      const c = this.exactFrom(n, this.c);
      this.c = c;
      this.tail = binomialUpperTail(n, c, p);
      this.pmfBelow = c - 1 > n ? 0 : Math.exp(logPmf(n, c - 1, p));
    } else {
      let c = this.c; // c <= n here, so n − c + 1 >= 1
      this.tail += p * this.pmfBelow;
      this.pmfBelow *= (n / (n - c + 1)) * q;
      while (this.tail > alpha && c <= n) {
        const pmfC = this.pmfBelow * ((n - c + 1) / c) * (p / q);
        this.tail -= pmfC;
        this.pmfBelow = pmfC;
        c++;
      }
      this.c = c;
    }
    this.table[n] = this.c;
    this.top = n;
  }

  /** critical(n) by exact tails and bisection, for n beyond the table. */
  private bisect(n: number): number {
    let lo = 1;
    let hi = n + 1; // P(X >= n+1) = 0 <= alpha always
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (binomialUpperTail(n, mid, this.p) <= this.alpha) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** critical(n) by exact tails, searching from a nearby guess (the previous value). */
  private exactFrom(n: number, guess: number): number {
    const { p, alpha } = this;
    let c = Math.min(Math.max(1, guess), n + 1);
    while (c <= n && binomialUpperTail(n, c, p) > alpha) c++;
    while (c > 1 && binomialUpperTail(n, c - 1, p) <= alpha) c--;
    return c;
  }
}

const shared = new Map<string, CriticalValues>();

export function criticalValues(p: number, alpha: number): CriticalValues {
  const key = `${p}|${alpha}`;
  let cv = shared.get(key);
  if (!cv) shared.set(key, (cv = new CriticalValues(p, alpha)));
  return cv;
}
