import { describe, expect, it } from 'vitest';
import { CircuitBreaker, COARSE_CLOCK_TICK_MS, coarseClock } from '../../src/resilience/index.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('coarseClock', () => {
  it('tracks Date.now to within a tick plus event-loop delay while read', async () => {
    for (let i = 0; i < 20; i++) {
      const before = Date.now();
      const t = coarseClock();
      expect(t).toBeLessThanOrEqual(Date.now());
      // the cached value is never older than a few ticks while the event loop turns
      expect(before - t).toBeLessThanOrEqual(COARSE_CLOCK_TICK_MS + 50);
      await sleep(3);
    }
  });

  it('advances across event-loop turns, also after a gap without reads', async () => {
    const a = coarseClock();
    await sleep(20);
    const b = coarseClock();
    expect(b).toBeGreaterThan(a);
    await sleep(30); // no reads meanwhile
    const before = Date.now();
    expect(coarseClock()).toBeGreaterThanOrEqual(before - COARSE_CLOCK_TICK_MS - 50);
  });

  it('drives a breaker: its open period elapses on the coarse clock', async () => {
    const breaker = new CircuitBreaker({ clock: coarseClock, decider: { kind: 'consecutive', failures: 1 }, openMs: 10 });
    breaker.record(false);
    expect(breaker.state).toBe('open');
    await sleep(30);
    expect(breaker.state).toBe('half-open');
  });
});
