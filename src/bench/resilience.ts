import {
  Bulkhead,
  CircuitBreaker,
  coarseClock,
  type CircuitBreakerOptions,
  DEFAULT_BREAKER_DECIDER,
  DEFAULT_BREAKER_OPEN_MS,
  RetryPolicy,
  TimeoutPolicy,
  wrap,
} from '../resilience/index.js';
import { optional } from './dependencies.js';
import { median, table } from './harness.js';
import { healthyBaseline } from './resilience/baseline.js';
import { bytesAndTimersPer } from './resilience/memory.js';
import { nsPerAsyncCall, nsPerSyncCall, sideBySide } from './resilience/overhead.js';
import { plainLoops } from './resilience/plain.js';
import { FAULT, type FaultOutcome, realFault, virtualFault } from './resilience/scriptedFault.js';
import { cockatielGuard, type GuardFactory, type OpossumCtor, opossumGuard, swarmguardGuard } from './resilience/subjects.js';
import type { BenchContext, BenchSuite } from './suite.js';

type Cockatiel = typeof import('cockatiel');
type Opossum = OpossumCtor;

const task = async () => 1;
// one shared error, so the figures show the policies' failure path rather than stack captures
const down = new Error('down');
const failing = async () => {
  throw down;
};
const ns = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '–' : v.toFixed(0));

async function overheads(ctx: BenchContext, cockatiel: Cockatiel | undefined, OpossumCtor: Opossum | undefined) {
  const calls = ctx.quick ? 20_000 : 200_000;
  const sg = {
    breaker: new CircuitBreaker(),
    retry: new RetryPolicy({ maxAttempts: 3 }),
    bulkhead: new Bulkhead({ maxConcurrent: 10 }),
    timeout: new TimeoutPolicy(1000),
  };
  const coarse = new CircuitBreaker({ clock: coarseClock });
  const sgWrap = wrap(new RetryPolicy({ maxAttempts: 3 }), new CircuitBreaker(), new Bulkhead({ maxConcurrent: 10 }));
  const subjects: { group: string; lib: string; run: () => Promise<number> | number }[] = [
    { group: 'bare await', lib: '—', run: () => nsPerAsyncCall(task, calls) },
    { group: 'breaker.execute', lib: 'swarmguard', run: () => nsPerAsyncCall(() => sg.breaker.execute(task), calls) },
    { group: 'retry', lib: 'swarmguard', run: () => nsPerAsyncCall(() => sg.retry.execute(task), calls) },
    { group: 'bulkhead', lib: 'swarmguard', run: () => nsPerAsyncCall(() => sg.bulkhead.execute(task), calls) },
    { group: 'timeout (cooperative)', lib: 'swarmguard', run: () => nsPerAsyncCall(() => sg.timeout.execute(task), calls) },
    { group: 'wrap(retry, breaker, bulkhead)', lib: 'swarmguard', run: () => nsPerAsyncCall(() => sgWrap.execute(task), calls) },
    { group: 'breaker.execute (clock: coarseClock)', lib: 'swarmguard', run: () => nsPerAsyncCall(() => coarse.execute(task), calls) },
  ];
  if (cockatiel) {
    const c = cockatiel;
    const breaker = c.circuitBreaker(c.handleAll, { halfOpenAfter: 200, breaker: new c.SamplingBreaker({ threshold: 0.5, duration: 1000, minimumRps: 5 }) });
    const retry = c.retry(c.handleAll, { maxAttempts: 3, backoff: new c.ExponentialBackoff() });
    const bulkhead = c.bulkhead(10);
    const timeout = c.timeout(1000, c.TimeoutStrategy.Cooperative);
    const wrapped = c.wrap(
      c.retry(c.handleAll, { maxAttempts: 3, backoff: new c.ExponentialBackoff() }),
      c.circuitBreaker(c.handleAll, { halfOpenAfter: 200, breaker: new c.SamplingBreaker({ threshold: 0.5, duration: 1000, minimumRps: 5 }) }),
      c.bulkhead(10),
    );
    subjects.push(
      { group: 'breaker.execute', lib: 'cockatiel', run: () => nsPerAsyncCall(() => breaker.execute(task), calls) },
      { group: 'retry', lib: 'cockatiel', run: () => nsPerAsyncCall(() => retry.execute(task), calls) },
      { group: 'bulkhead', lib: 'cockatiel', run: () => nsPerAsyncCall(() => bulkhead.execute(task), calls) },
      { group: 'timeout (cooperative)', lib: 'cockatiel', run: () => nsPerAsyncCall(() => timeout.execute(task), Math.min(calls, 50_000)) },
      { group: 'wrap(retry, breaker, bulkhead)', lib: 'cockatiel', run: () => nsPerAsyncCall(() => wrapped.execute(task), calls) },
    );
  }
  if (OpossumCtor) {
    const breaker = new OpossumCtor(task, { timeout: false, errorThresholdPercentage: 50, resetTimeout: 200 });
    subjects.push({ group: 'breaker.execute', lib: 'opossum', run: () => nsPerAsyncCall(() => breaker.fire(), calls) });
  }
  const sync = {
    stat: new CircuitBreaker(),
    consecutive: new CircuitBreaker({ decider: { kind: 'consecutive', failures: 5 } }),
    coarse: new CircuitBreaker({ clock: coarseClock }),
  };
  let t = 0;
  const syncCalls = calls * 10;
  subjects.push(
    { group: 'allow()+record() (default, reads clock)', lib: 'swarmguard', run: () => nsPerSyncCall(() => sync.stat.allow() && sync.stat.record(true), syncCalls) },
    { group: 'allow()+record(ok, 0, now) (default)', lib: 'swarmguard', run: () => nsPerSyncCall(() => sync.stat.allow() && sync.stat.record(true, 0, t++), syncCalls) },
    { group: 'allow()+record() (default, clock: coarseClock)', lib: 'swarmguard', run: () => nsPerSyncCall(() => sync.coarse.allow() && sync.coarse.record(true), syncCalls) },
    { group: 'allow()+record() (consecutive)', lib: 'swarmguard', run: () => nsPerSyncCall(() => sync.consecutive.allow() && sync.consecutive.record(true), syncCalls) },
    { group: 'empty loop', lib: '—', run: () => nsPerSyncCall(() => undefined, syncCalls) },
  );
  const named = subjects.map((s) => ({ name: `${s.group} | ${s.lib}`, run: s.run }));
  // warm-up so every subject is optimised before the timed rounds
  for (const s of subjects) await s.run();
  const result = await sideBySide(named, ctx.runs, ctx.progress);
  const bare = result.get('bare await | —')!;
  const empty = result.get('empty loop | —')!;
  const rows = subjects
    .filter((s) => s.lib !== '—')
    .map((s) => {
      const v = result.get(`${s.group} | ${s.lib}`)!;
      const base = s.group.startsWith('allow') ? empty : bare;
      return [s.group, s.lib, ns(v), ns(v - base)];
    });
  return { bareNs: bare, emptyLoopNs: empty, rows, raw: Object.fromEntries(result) };
}

/**
 * The breaker measured the plain way (see `plainLoops`), swarmguard and cockatiel side by side:
 * 200,000 calls per loop also in --quick (a round is ~0.1 s, and shorter loops are at the
 * mercy of one preemption), three rounds per `--runs` for a steadier median.
 */
async function plainOverhead(ctx: BenchContext, cockatiel: Cockatiel | undefined) {
  const calls = 200_000;
  const subjects = plainLoops(cockatiel).map((loop) => ({
    name: loop.name,
    run: async () => {
      const t0 = performance.now();
      await loop.run(calls);
      return ((performance.now() - t0) * 1e6) / calls;
    },
  }));
  for (let warm = 0; warm < 2; warm++) for (const s of subjects) await s.run();
  const result = await sideBySide(subjects, 3 * ctx.runs, ctx.progress);
  const bareNs = result.get('bare await')!;
  const swarmguardNs = result.get('swarmguard')!;
  const cockatielNs = result.get('cockatiel') ?? NaN;
  const ratio = (swarmguardNs - bareNs) / (cockatielNs - bareNs);
  const rows = [
    ['swarmguard', 'new CircuitBreaker()', ns(swarmguardNs), ns(swarmguardNs - bareNs), Number.isNaN(ratio) ? '–' : `${(100 * ratio).toFixed(0)} %`],
    ['cockatiel', 'circuitBreaker(handleAll, { breaker: new ConsecutiveBreaker(5) })', ns(cockatielNs), ns(cockatielNs - bareNs), '100 %'],
  ];
  return { calls, rounds: 3 * ctx.runs, bareNs, swarmguardNs, cockatielNs, overheadRatio: ratio, rows: cockatiel ? rows : rows.slice(0, 1) };
}

function memory(ctx: BenchContext, cockatiel: Cockatiel | undefined, OpossumCtor: Opossum | undefined) {
  const count = ctx.quick ? 2000 : 10_000;
  const rows: (string | number)[][] = [];
  const add = (lib: string, config: string, create: () => unknown) => {
    const m = bytesAndTimersPer(create, count);
    rows.push([lib, config, m.bytes.toFixed(0), m.timers]);
  };
  add('swarmguard', 'default (statistical, 20 buckets)', () => new CircuitBreaker());
  add('swarmguard', 'window, 10 buckets', () => new CircuitBreaker({ decider: { kind: 'window', windowMs: 10_000, buckets: 10, failureRateThreshold: 0.5, minimumCalls: 10 } }));
  add('swarmguard', 'consecutive', () => new CircuitBreaker({ decider: { kind: 'consecutive', failures: 5 } }));
  if (cockatiel) {
    const c = cockatiel;
    add('cockatiel', 'SamplingBreaker 1 s', () => c.circuitBreaker(c.handleAll, { halfOpenAfter: 200, breaker: new c.SamplingBreaker({ threshold: 0.5, duration: 1000 }) }));
    add('cockatiel', 'ConsecutiveBreaker', () => c.circuitBreaker(c.handleAll, { halfOpenAfter: 200, breaker: new c.ConsecutiveBreaker(5) }));
  }
  if (OpossumCtor) add('opossum', 'defaults', () => new OpossumCtor(task, { timeout: false }));
  return { count, rows };
}

/** Cost of one failed call when the window already holds `size` calls. */
async function failureCost(ctx: BenchContext, cockatiel: Cockatiel | undefined, OpossumCtor: Opossum | undefined) {
  const sizes = [10, 100_000];
  // the first size runs twice and its first (JIT warm-up) figure is dropped
  const warmSizes = [sizes[0], ...sizes];
  const rows: (string | number)[][] = [];
  const timeFailures = async (fail: () => Promise<unknown>, budgetMs: number, maxCalls: number) => {
    const samples: number[] = [];
    const t0 = performance.now();
    while (samples.length < maxCalls && performance.now() - t0 < budgetMs) {
      const s = performance.now();
      await fail().catch(() => undefined);
      samples.push((performance.now() - s) * 1e6);
    }
    return median(samples);
  };
  const longWindow: Record<string, CircuitBreakerOptions> = {
    'swarmguard window': { decider: { kind: 'window', windowMs: 3_600_000, buckets: 60, failureRateThreshold: 0.5, minimumCalls: 10 } },
    'swarmguard statistical': { decider: { kind: 'statistical', windowMs: 3_600_000, buckets: 60, baselineFailureRate: 0.1, alpha: 1e-9, minimumCalls: 10 } },
  };
  const budget = ctx.quick ? 100 : 400;
  for (const [lib, options] of Object.entries(longWindow)) {
    const cells: number[] = [];
    for (const size of warmSizes) {
      const b = new CircuitBreaker(options);
      for (let i = 0; i < size; i++) await b.execute(task);
      cells.push(await timeFailures(() => b.execute(failing), budget, 2000));
    }
    rows.push([lib, ...cells.slice(1).map(ns)]);
  }
  // the synchronous pair record(true) + record(false), so the failure rate stays at 50 %
  const syncWindow: Record<string, CircuitBreakerOptions> = {
    'swarmguard window, record() pair': { decider: { kind: 'window', windowMs: 3_600_000, buckets: 60, failureRateThreshold: 1, minimumCalls: 10 } },
    'swarmguard statistical, record() pair': { decider: { kind: 'statistical', windowMs: 3_600_000, buckets: 60, baselineFailureRate: 0.6, alpha: 1e-9, minimumCalls: 10 } },
  };
  for (const [lib, options] of Object.entries(syncWindow)) {
    const cells: number[] = [];
    for (const size of warmSizes) {
      let t = 0;
      const b = new CircuitBreaker({ ...options, clock: () => t });
      for (let i = 0; i < size; i++) b.record(true, 0, t++);
      const pairs = ctx.quick ? 20_000 : 200_000;
      const start = performance.now();
      for (let i = 0; i < pairs; i++) {
        b.record(true, 0, t);
        b.record(false, 0, t++);
      }
      cells.push(((performance.now() - start) * 1e6) / pairs);
      if (b.state !== 'closed') throw new Error(`${lib} opened during the failure-cost run`);
    }
    rows.push([lib, ...cells.slice(1).map(ns)]);
  }
  if (cockatiel) {
    const c = cockatiel;
    const cells: number[] = [];
    for (const size of warmSizes) {
      const p = c.circuitBreaker(c.handleAll, { halfOpenAfter: 200, breaker: new c.SamplingBreaker({ threshold: 0.5, duration: 3_600_000, minimumRps: 0 }) });
      for (let i = 0; i < size; i++) await p.execute(task);
      cells.push(await timeFailures(() => p.execute(failing), budget, 2000));
    }
    rows.push(['cockatiel SamplingBreaker', ...cells.slice(1).map(ns)]);
  }
  if (OpossumCtor) {
    const cells: number[] = [];
    for (const size of warmSizes) {
      const o = new OpossumCtor((fail: unknown) => (fail ? failing() : task()), {
        timeout: false,
        errorThresholdPercentage: 50,
        rollingCountTimeout: 3_600_000,
        rollingCountBuckets: 60,
      });
      for (let i = 0; i < size; i++) await o.fire(false);
      cells.push(await timeFailures(() => o.fire(true), budget * 2, 20));
      o.shutdown();
    }
    rows.push(['opossum', ...cells.slice(1).map(ns)]);
  }
  return { sizes, rows };
}

function summarise(outcomes: FaultOutcome[]) {
  const pick = (k: keyof FaultOutcome) => outcomes.map((o) => o[k]);
  const fmt = (v: number[]) => `${median(v).toFixed(0)} (${Math.min(...v).toFixed(0)}–${Math.max(...v).toFixed(0)})`;
  return {
    openAfterMs: fmt(pick('openAfterMs')),
    leakedBeforeOpen: fmt(pick('leakedBeforeOpen')),
    reachedDuringFault: fmt(pick('reachedDuringFault')),
    closeAfterMs: fmt(pick('closeAfterMs')),
    rejectedAfterRecovery: fmt(pick('rejectedAfterRecovery')),
  };
}

async function fault(ctx: BenchContext, factories: GuardFactory[]) {
  const phases = ctx.quick ? 5 : 21;
  const virtual: (string | number)[][] = [];
  const raw: Record<string, unknown> = {};
  for (const f of factories) {
    const outcomes: FaultOutcome[] = [];
    // phases shift the fault against bucket edges and open periods: 1000, 1037, 1074… ms
    for (let i = 0; i < phases; i++) outcomes.push(await virtualFault(f, 1000 + 37 * i));
    const s = summarise(outcomes);
    virtual.push([f.name, s.openAfterMs, s.leakedBeforeOpen, s.reachedDuringFault, s.closeAfterMs, s.rejectedAfterRecovery]);
    raw[`virtual ${f.name}`] = outcomes;
    ctx.progress(`  scripted fault (virtual, ${phases} phases) ${f.name}: ${JSON.stringify(s)}`);
  }
  const real: (string | number)[][] = [];
  // Each real-clock run takes ~4.5 s of wall time (the fault lasts 2 s): a quick look skips them.
  for (const f of ctx.quick ? [] : factories) {
    const o = await realFault(f, 1000);
    real.push([f.name, ns(o.openAfterMs), o.leakedBeforeOpen, o.reachedDuringFault, ns(o.closeAfterMs), o.rejectedAfterRecovery]);
    raw[`real ${f.name}`] = o;
    ctx.progress(`  scripted fault (real clock) ${f.name}: ${JSON.stringify(o)}`);
  }
  return { phases, virtual, real, raw };
}

const suite: BenchSuite = {
  name: 'resilience',
  description: 'policy overhead vs cockatiel and opossum, bytes per breaker, failed-call cost, scripted fault',
  async run(ctx) {
    const cockatiel = await optional<Cockatiel>('cockatiel', ctx.progress);
    const OpossumCtor = (await optional<{ default: Opossum }>('opossum', ctx.progress))?.default;

    // first, before the other subjects give the breaker's call sites other shapes to handle
    ctx.progress('breaker overhead, the plain way…');
    const plain = await plainOverhead(ctx, cockatiel);
    ctx.progress('per-call overhead…');
    const over = await overheads(ctx, cockatiel, OpossumCtor);
    ctx.progress('bytes and timers per breaker…');
    const mem = memory(ctx, cockatiel, OpossumCtor);
    ctx.progress('failed-call cost against window size…');
    const fail = await failureCost(ctx, cockatiel, OpossumCtor);
    ctx.progress('scripted fault…');
    const factories = [swarmguardGuard()];
    if (cockatiel) factories.push(cockatielGuard(cockatiel));
    if (OpossumCtor) factories.push(opossumGuard(OpossumCtor));
    const flt = await fault(ctx, factories);
    ctx.progress('healthy dependency, 5 % failures, 10 simulated minutes…');
    const seeds = [1, 2, 3, 4, 5];
    const baseline = seeds.map((seed) => ({ seed, ...healthyBaseline({}, 0.05, 10, seed) }));

    const faultHeader = ['breaker', 'open after ms', 'leaked before open', 'reached dep. during fault', 'closed after recovery ms', 'rejected after recovery'];
    const text = [
      `Breaker overhead the plain way: await breaker.execute(async () => 1), ${plain.calls.toLocaleString('en-US')} calls per loop after warm-up, default options, minus the same loop of a bare await (${ns(plain.bareNs)} ns); median of ${plain.rounds} rounds, side by side`,
      table(['library', 'breaker', 'ns/call', 'overhead ns', 'overhead vs cockatiel'], plain.rows),
      '',
      `Per-call cost (median of ${ctx.runs} rounds, side by side); overhead = minus a bare await of an async function (${ns(over.bareNs)} ns), or minus an empty loop (${over.emptyLoopNs.toFixed(1)} ns) for allow()/record()`,
      table(['policy', 'library', 'ns/call', 'overhead ns'], over.rows),
      '',
      `Retained bytes (heap + ArrayBuffers) and timers per breaker, ${mem.count} breakers`,
      table(['library', 'configuration', 'bytes', 'timers'], mem.rows),
      '',
      'Failed call with N calls already in a 1 h window, ns: execute of a rejecting task (median), or a record(true)+record(false) pair',
      table(['breaker', ...fail.sizes.map((s) => `N = ${s}`)], fail.rows),
      '',
      `Scripted fault on a virtual clock: ${FAULT.ratePerSecond} calls/s, ${FAULT.latencyMs} ms latency, 100 % failures for ${FAULT.faultMs} ms; median (min–max) over ${flt.phases} fault phases`,
      table(faultHeader, flt.virtual),
      '',
      ctx.quick ? 'Scripted fault on the real clock: skipped in --quick' : 'Scripted fault once on the real clock (timers, busy machine)',
      ...(ctx.quick ? [] : [table(faultHeader, flt.real)]),
      '',
      `Default breaker on a healthy dependency (5 % failures, 1000 calls/s, 10 simulated minutes): opens per seed ${baseline.map((b) => `${b.seed}: ${b.opens}`).join(', ')}`,
      `Default breaker: ${JSON.stringify(DEFAULT_BREAKER_DECIDER)}, openMs ${JSON.stringify(DEFAULT_BREAKER_OPEN_MS)}, halfOpenProbes 1 (×2 per round), successThreshold 3`,
    ].join('\n');
    return { text, results: { plain, overhead: over, memory: mem, failureCost: fail, fault: flt, baseline } };
  },
};

export default suite;
