import { afterEach, describe, expect, it, vi } from 'vitest';
import { RECENT_CLOCK_REUSES, recentClock } from '../../src/resilience/coarseClock.js';
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

describe('recentClock (how a default breaker dates its successes)', () => {
  afterEach(async () => {
    vi.restoreAllMocks();
    await sleep(5); // a tick replaces the stepped reading left in the shared cache
  });

  /** Date.now stepping 1 ms per call from now (never below a reading cached before). */
  function steppingDateNow() {
    let now = Date.now();
    return vi.spyOn(Date, 'now').mockImplementation(() => ++now);
  }

  it('in a synchronous stretch serves a reading at most RECENT_CLOCK_REUSES reads old, never ahead of Date.now', () => {
    const dateNow = steppingDateNow();
    const firstSeen = new Map<number, number>();
    for (let i = 0; i < 200; i++) {
      const t = recentClock();
      expect(t).toBeLessThanOrEqual(dateNow.mock.results.at(-1)?.value ?? Infinity);
      if (!firstSeen.has(t)) firstSeen.set(t, i);
      expect(i - firstSeen.get(t)!).toBeLessThanOrEqual(RECENT_CLOCK_REUSES);
    }
    expect(dateNow.mock.calls.length).toBeGreaterThanOrEqual(Math.floor(200 / (RECENT_CLOCK_REUSES + 1)) - 1);
  });

  it('follows Date.now across event-loop turns through the shared tick, not only every few reads', async () => {
    recentClock();
    await sleep(80);
    const before = Date.now();
    const t = recentClock();
    expect(t).toBeGreaterThanOrEqual(before - COARSE_CLOCK_TICK_MS - 50);
    expect(t).toBeLessThanOrEqual(Date.now());
  });

  it('a default breaker reads Date.now once per failure but at most once per RECENT_CLOCK_REUSES + 1 successes', async () => {
    const breaker = new CircuitBreaker();
    const dateNow = steppingDateNow();
    for (let i = 0; i < 170; i++) await breaker.execute(async () => i);
    for (let i = 0; i < 170; i++) breaker.record(true);
    expect(dateNow.mock.calls.length).toBeLessThanOrEqual(Math.ceil(340 / (RECENT_CLOCK_REUSES + 1)));
    const before = dateNow.mock.calls.length;
    await breaker.execute(async () => {
      throw new Error('down');
    }).catch(() => undefined);
    breaker.record(false);
    expect(dateNow.mock.calls.length).toBe(before + 2);
    expect(breaker.stats()).toMatchObject({ state: 'closed', successes: 340, failures: 2 });
  });

  it('a success is dated within a tick of the time it happened, also after a pause', async () => {
    const breaker = new CircuitBreaker();
    breaker.record(true);
    await sleep(150); // three of the default window's 50 ms buckets
    const before = Date.now();
    breaker.record(true);
    const { headEpoch } = breaker.toJSON().deciderState as { headEpoch: number };
    expect(headEpoch).toBeGreaterThanOrEqual(Math.floor((before - COARSE_CLOCK_TICK_MS - 50) / 50));
    expect(headEpoch).toBeLessThanOrEqual(Math.floor(Date.now() / 50));
  });

  it('a breaker given any clock of its own reads it for every outcome', () => {
    let reads = 0;
    const breaker = new CircuitBreaker({
      clock: () => {
        reads++;
        return Date.now();
      },
    });
    for (let i = 0; i < 50; i++) breaker.record(true);
    breaker.record(false);
    expect(reads).toBe(51);
  });
});
