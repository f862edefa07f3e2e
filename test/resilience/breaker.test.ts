import { describe, expect, it } from 'vitest';
import { type BreakerEvent, BrokenCircuitError, CircuitBreaker, type CircuitBreakerOptions, IsolatedCircuitError } from '../../src/resilience/index.js';

function virtual(options: CircuitBreakerOptions = {}) {
  const clock = { now: 1_000_000 };
  const events: BreakerEvent[] = [];
  const breaker = new CircuitBreaker({ clock: () => clock.now, onEvent: (e) => events.push(e), ...options });
  const states = () => events.filter((e) => e.type === 'state').map((e) => (e.type === 'state' ? `${e.from}>${e.to}` : ''));
  return { clock, breaker, events, states };
}

const ok = async () => 'ok';
const boom = async () => {
  throw new Error('boom');
};

describe('CircuitBreaker state machine (consecutive decider, virtual clock)', () => {
  const options: CircuitBreakerOptions = { decider: { kind: 'consecutive', failures: 3 }, openMs: 100, successThreshold: 1 };

  it('closed → open after N failures in a row; a success resets the count', () => {
    const { breaker } = virtual(options);
    breaker.record(false);
    breaker.record(false);
    breaker.record(true);
    breaker.record(false);
    breaker.record(false);
    expect(breaker.state).toBe('closed');
    breaker.record(false);
    expect(breaker.state).toBe('open');
  });

  it('open rejects at once with BrokenCircuitError and a retry hint, without calling fn', async () => {
    const { breaker, clock } = virtual(options);
    for (let i = 0; i < 3; i++) await expect(breaker.execute(boom)).rejects.toThrow('boom');
    clock.now += 40;
    let called = false;
    const err = await breaker.execute(async () => (called = true)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BrokenCircuitError);
    expect((err as BrokenCircuitError).code).toBe('ERR_BROKEN_CIRCUIT');
    expect((err as BrokenCircuitError).retryAfterMs).toBe(60);
    expect(called).toBe(false);
    expect(breaker.rejections).toBe(1);
  });

  it('open → half-open exactly when openMs has elapsed (state read is exact, no timers)', () => {
    const { breaker, clock, states } = virtual(options);
    for (let i = 0; i < 3; i++) breaker.record(false);
    clock.now += 99;
    expect(breaker.state).toBe('open');
    clock.now += 1;
    expect(breaker.state).toBe('half-open');
    expect(states()).toEqual(['closed>open', 'open>half-open']);
  });

  it('half-open → closed on a successful probe; half-open → open on a failed probe', () => {
    const { breaker, clock, states } = virtual(options);
    for (let i = 0; i < 3; i++) breaker.record(false);
    clock.now += 100;
    expect(breaker.allow()).toBe(true);
    breaker.record(false);
    expect(breaker.state).toBe('open');
    clock.now += 100;
    expect(breaker.allow()).toBe(true);
    breaker.record(true);
    expect(breaker.state).toBe('closed');
    expect(states()).toEqual(['closed>open', 'open>half-open', 'half-open>open', 'open>half-open', 'half-open>closed']);
  });

  it('half-open admits only its probes; other calls are rejected at once, nobody waits', () => {
    const { breaker, clock } = virtual(options);
    for (let i = 0; i < 3; i++) breaker.record(false);
    clock.now += 100;
    expect(breaker.allow()).toBe(true);
    expect(breaker.allow()).toBe(false);
    expect(breaker.allow()).toBe(false);
    expect(breaker.rejections).toBe(2);
  });

  it('isolate() holds the circuit open with IsolatedCircuitError until reset()', async () => {
    const { breaker, clock, states } = virtual(options);
    breaker.isolate();
    expect(breaker.state).toBe('isolated');
    clock.now += 1e9;
    const err = await breaker.execute(ok).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IsolatedCircuitError);
    expect((err as IsolatedCircuitError).code).toBe('ERR_ISOLATED_CIRCUIT');
    breaker.reset();
    expect(breaker.state).toBe('closed');
    await expect(breaker.execute(ok)).resolves.toBe('ok');
    expect(states()).toEqual(['closed>isolated', 'isolated>closed']);
  });

  it('rejections are events too', async () => {
    const { breaker, events } = virtual(options);
    breaker.isolate();
    await breaker.execute(ok).catch(() => undefined);
    expect(events.at(-1)).toMatchObject({ type: 'rejected', state: 'isolated', policy: 'breaker' });
  });
});

describe('half-open probes grow geometrically', () => {
  it('admits 1, then 2, then 4 probes per round until successThreshold successes', () => {
    const { breaker, clock } = virtual({ decider: { kind: 'consecutive', failures: 1 }, openMs: 10, successThreshold: 7 });
    breaker.record(false);
    clock.now += 10;
    const round = () => {
      let admitted = 0;
      while (breaker.allow()) admitted++;
      return admitted;
    };
    expect(round()).toBe(1);
    breaker.record(true);
    expect(round()).toBe(2);
    breaker.record(true);
    breaker.record(true);
    expect(round()).toBe(4);
    for (let i = 0; i < 3; i++) breaker.record(true);
    expect(breaker.state).toBe('half-open');
    breaker.record(true);
    expect(breaker.state).toBe('closed');
  });

  it('honours halfOpenProbes and probeGrowth', () => {
    const { breaker, clock } = virtual({ decider: { kind: 'consecutive', failures: 1 }, openMs: 10, successThreshold: 100, halfOpenProbes: 3, probeGrowth: 3 });
    breaker.record(false);
    clock.now += 10;
    let n = 0;
    while (breaker.allow()) n++;
    expect(n).toBe(3);
    for (let i = 0; i < 3; i++) breaker.record(true);
    n = 0;
    while (breaker.allow()) n++;
    expect(n).toBe(9);
  });
});

describe('openMs backoff grows while the dependency stays down', () => {
  it('exponential open periods, reset after closing', () => {
    const { breaker, clock } = virtual({ decider: { kind: 'consecutive', failures: 1 }, openMs: { initialMs: 10, maxMs: 35, factor: 2 }, successThreshold: 1 });
    const openPeriod = () => {
      const start = clock.now;
      while (breaker.state === 'open') clock.now += 1;
      return clock.now - start;
    };
    breaker.record(false);
    expect(openPeriod()).toBe(10);
    breaker.allow();
    breaker.record(false);
    expect(openPeriod()).toBe(20);
    breaker.allow();
    breaker.record(false);
    expect(openPeriod()).toBe(35);
    breaker.allow();
    breaker.record(true);
    expect(breaker.state).toBe('closed');
    breaker.record(false);
    expect(openPeriod()).toBe(10);
  });

  it('accepts a function of the attempt', () => {
    const { breaker, clock } = virtual({ decider: { kind: 'consecutive', failures: 1 }, openMs: (n) => n * 7 });
    breaker.record(false);
    clock.now += 6;
    expect(breaker.state).toBe('open');
    clock.now += 1;
    expect(breaker.state).toBe('half-open');
  });
});

describe('window decider', () => {
  const options: CircuitBreakerOptions = {
    decider: { kind: 'window', windowMs: 1000, buckets: 10, failureRateThreshold: 0.5, minimumCalls: 4 },
    openMs: 100,
  };

  it('opens at the failure rate once minimumCalls is reached', () => {
    const { breaker } = virtual(options);
    breaker.record(false);
    breaker.record(false);
    breaker.record(false);
    expect(breaker.state).toBe('closed'); // 3 calls < minimumCalls
    breaker.record(true);
    breaker.record(true);
    expect(breaker.state).toBe('closed'); // 3/5 counted only on failure
    breaker.record(false);
    expect(breaker.state).toBe('open'); // 4/6 >= 0.5
  });

  it('is exact after an idle gap: buckets older than the window never count', () => {
    const { breaker, clock } = virtual(options);
    breaker.record(false);
    breaker.record(false);
    breaker.record(false);
    clock.now += 3000; // idle 3 s
    breaker.record(false);
    expect(breaker.state).toBe('closed'); // one fresh failure, not four
  });

  it('drops exactly the buckets that left the window', () => {
    const { breaker, clock } = virtual(options);
    clock.now = 0;
    breaker.record(false); // bucket 0
    breaker.record(false);
    clock.now = 950; // bucket 9: window is buckets 0..9
    breaker.record(true);
    clock.now = 1000; // bucket 10: bucket 0 drops out
    breaker.record(false);
    breaker.record(true);
    expect(breaker.state).toBe('closed'); // 1 failure of 3 in the window
    breaker.record(false);
    expect(breaker.state).toBe('open'); // 2 of 4
  });

  it('slow calls open the circuit at slowCallRateThreshold', () => {
    const { breaker } = virtual({
      decider: { kind: 'window', windowMs: 1000, buckets: 10, failureRateThreshold: 1, minimumCalls: 4, slowCallMs: 50, slowCallRateThreshold: 0.75 },
    });
    breaker.record(true, 10);
    breaker.record(true, 60);
    breaker.record(true, 60);
    expect(breaker.state).toBe('closed');
    breaker.record(true, 70);
    expect(breaker.state).toBe('open');
  });
});

describe('statistical decider', () => {
  const options: CircuitBreakerOptions = {
    decider: { kind: 'statistical', baselineFailureRate: 0.1, alpha: 2e-6, minimumCalls: 3, windowMs: 1000, buckets: 10 },
  };

  it('trips after a handful of calls when everything fails', () => {
    const { breaker } = virtual(options);
    let calls = 0;
    while (breaker.state === 'closed') {
      breaker.record(false);
      calls++;
    }
    // smallest k with P(X >= k | n = k) = 0.1^k <= 2e-6 is 6
    expect(calls).toBe(6);
  });

  it('does not trip on the baseline rate', () => {
    const { breaker, clock } = virtual(options);
    for (let i = 0; i < 20_000; i++) {
      clock.now += 1;
      breaker.record(i % 10 !== 0); // exactly 10 % failures
    }
    expect(breaker.state).toBe('closed');
  });

  it('catches a moderate rise over the whole window', () => {
    const { breaker, clock } = virtual(options);
    let i = 0;
    while (breaker.state === 'closed' && i < 5000) {
      clock.now += 1;
      breaker.record(i % 3 !== 0); // 33 % failures, spread out
      i++;
    }
    expect(breaker.state).toBe('open');
    expect(i).toBeLessThan(200);
  });
});

describe('execute', () => {
  it('passes the signal, does not count caller aborts as failures and frees the probe slot', async () => {
    const { breaker, clock } = virtual({ decider: { kind: 'consecutive', failures: 1 }, openMs: 10 });
    const ac = new AbortController();
    const seen: (AbortSignal | undefined)[] = [];
    const p = breaker.execute(async (signal) => {
      seen.push(signal);
      await new Promise((_, reject) => signal!.addEventListener('abort', () => reject(signal!.reason)));
    }, ac.signal);
    ac.abort(new Error('caller gave up'));
    await expect(p).rejects.toThrow('caller gave up');
    expect(seen[0]).toBe(ac.signal);
    expect(breaker.state).toBe('closed');
    expect(breaker.failures).toBe(0);

    breaker.record(false);
    clock.now += 10;
    const ac2 = new AbortController();
    const probe = breaker.execute((signal) => new Promise((_, reject) => signal!.addEventListener('abort', () => reject(signal!.reason))), ac2.signal);
    expect(breaker.allow()).toBe(false); // the only probe slot is taken
    ac2.abort();
    await expect(probe).rejects.toBeDefined();
    expect(breaker.allow()).toBe(true); // slot handed back
  });

  it('rejects an already aborted signal without calling fn', async () => {
    const { breaker } = virtual();
    let called = false;
    await expect(breaker.execute(async () => (called = true), AbortSignal.abort(new Error('early')))).rejects.toThrow('early');
    expect(called).toBe(false);
  });

  it('isFailure decides which errors count', async () => {
    const { breaker } = virtual({ decider: { kind: 'consecutive', failures: 1 }, isFailure: (e) => !(e instanceof TypeError) });
    await expect(breaker.execute(async () => Promise.reject(new TypeError('bad input')))).rejects.toThrow(TypeError);
    expect(breaker.state).toBe('closed');
    await expect(breaker.execute(boom)).rejects.toThrow('boom');
    expect(breaker.state).toBe('open');
  });

  it('a late result from before the half-open period is not taken as a probe', async () => {
    const { breaker, clock } = virtual({ decider: { kind: 'consecutive', failures: 1 }, openMs: 10, successThreshold: 1 });
    let release!: () => void;
    const slow = breaker.execute(() => new Promise<void>((r) => (release = r)));
    breaker.record(false);
    clock.now += 10;
    expect(breaker.state).toBe('half-open');
    release();
    await slow;
    expect(breaker.state).toBe('half-open');
  });

  it('execute calls of two generations in flight settle each against their own', async () => {
    const { breaker, clock } = virtual({ decider: { kind: 'consecutive', failures: 1 }, openMs: 10, successThreshold: 1 });
    let releaseOld!: () => void;
    let releaseProbe!: () => void;
    const old = breaker.execute(() => new Promise<void>((r) => (releaseOld = r)));
    breaker.record(false);
    clock.now += 10;
    const probe = breaker.execute(() => new Promise<void>((r) => (releaseProbe = r)));
    expect(breaker.state).toBe('half-open');
    releaseOld();
    await old;
    expect(breaker.state).toBe('half-open');
    releaseProbe();
    await probe;
    expect(breaker.state).toBe('closed');
  });

  it('tracks latency when asked', async () => {
    const { breaker, clock } = virtual({ trackLatency: true });
    await breaker.execute(async () => {
      clock.now += 40;
    });
    expect(breaker.latency!.count).toBe(1);
    expect(breaker.latency!.quantile(0.5)).toBeCloseTo(40, -1);
  });
});

describe('toJSON / restore', () => {
  it('an open breaker restored after a restart stays open for the rest of its period', () => {
    const { breaker, clock } = virtual({ decider: { kind: 'consecutive', failures: 2 }, openMs: { initialMs: 100, maxMs: 1000 } });
    breaker.record(false);
    breaker.record(false);
    const json = JSON.parse(JSON.stringify(breaker));
    clock.now += 50;
    const restored = CircuitBreaker.restore(json, { clock: () => clock.now });
    expect(restored.state).toBe('open');
    clock.now += 50;
    expect(restored.state).toBe('half-open');
    restored.allow();
    restored.record(false);
    // backoff continues from the persisted attempt: the second period is 200 ms
    clock.now += 199;
    expect(restored.state).toBe('open');
    clock.now += 1;
    expect(restored.state).toBe('half-open');
  });

  it('restores window counters, and half-open comes back ready to probe', () => {
    const options: CircuitBreakerOptions = { decider: { kind: 'window', windowMs: 1000, buckets: 4, failureRateThreshold: 0.5, minimumCalls: 4 }, openMs: 100 };
    const { breaker, clock } = virtual(options);
    breaker.record(true);
    breaker.record(false);
    breaker.record(true);
    const restored = CircuitBreaker.restore(JSON.parse(JSON.stringify(breaker)), { clock: () => clock.now });
    restored.record(false);
    expect(restored.state).toBe('open'); // 2 of 4 with the restored counts

    clock.now += 100;
    expect(restored.state).toBe('half-open');
    const again = CircuitBreaker.restore(JSON.parse(JSON.stringify(restored)), { clock: () => clock.now });
    expect(again.state).toBe('half-open');
    expect(again.allow()).toBe(true);
  });

  it('restores the statistical decider and isolation', () => {
    const { breaker, clock } = virtual();
    breaker.isolate();
    const json = breaker.toJSON();
    expect(json.decider.kind).toBe('statistical');
    expect(CircuitBreaker.restore(json, { clock: () => clock.now }).state).toBe('isolated');
  });
});
