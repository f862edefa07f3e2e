import { CircuitBreaker, type CircuitBreakerOptions } from '../../resilience/index.js';

/** sfc32: a small seeded generator so the healthy-dependency run is repeatable. */
function seeded(seed: number): () => number {
  let a = 0x9e3779b9,
    b = 0x243f6a88,
    c = 0xb7e15162,
    d = seed >>> 0;
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 2 ** 32;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

/**
 * A healthy dependency with a `failureRate` baseline, called `ratePerSecond` times a second
 * for `minutes` simulated minutes through the synchronous allow()/record() pair: how often
 * does the breaker open for nothing?
 */
export function healthyBaseline(options: CircuitBreakerOptions, failureRate: number, minutes: number, seed: number, ratePerSecond = 1000): { calls: number; failures: number; opens: number } {
  let now = 0;
  const breaker = new CircuitBreaker({ ...options, clock: () => now });
  let opens = 0;
  breaker.onEvent((e) => {
    if (e.type === 'state' && e.to === 'open') opens++;
  });
  const random = seeded(seed);
  const calls = minutes * 60 * ratePerSecond;
  let failures = 0;
  for (let i = 0; i < calls; i++) {
    now = (i * 1000) / ratePerSecond;
    if (!breaker.allow()) continue;
    const failed = random() < failureRate;
    if (failed) failures++;
    breaker.record(!failed, 1, now);
  }
  return { calls, failures, opens };
}
