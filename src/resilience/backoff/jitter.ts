// Randomised retry delays, so clients that failed together do not retry together (AWS
// Architecture Blog, "Exponential Backoff and Jitter", 2015).

/** `full`: uniform in [0, delay]; `decorrelated`: uniform in [baseMs, 3·previous] (capped); `none`. */
export type Jitter = 'full' | 'decorrelated' | 'none';

export const JITTERS: readonly Jitter[] = ['full', 'decorrelated', 'none'];

/** Uniform in [0, delayMs]. */
export function fullJitter(delayMs: number, random: () => number): number {
  return random() * delayMs;
}

/** Uniform in [baseMs, 3 · previousMs], capped at `capMs`: grows from the previous delay, not the attempt. */
export function decorrelatedJitter(baseMs: number, previousMs: number, capMs: number, random: () => number): number {
  const hi = Math.min(capMs, Math.max(baseMs, previousMs * 3));
  return Math.min(capMs, baseMs + random() * (hi - baseMs));
}
