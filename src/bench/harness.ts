import type BenchmarkConstructor from 'benchmark';
import { BenchUnavailableError, required } from './dependencies.js';

/** One timed subject: a competitor doing one unit of work per call. */
export interface Subject {
  /** Row label, e.g. `swarmguard simd`. */
  name: string;
  fn: () => unknown;
}

export interface Measurement {
  name: string;
  /** Median over runs of the calls per second. */
  hz: number;
  /** Calls per second of each run. */
  runs: number[];
}

export interface MeasureOptions {
  /** Independent runs whose median is reported (each subject runs once per round). */
  runs: number;
  /** Seconds that `benchmark` may spend per run of one subject. */
  maxTime: number;
  progress: (line: string) => void;
  /** A short look: a 20 ms warm-up and a plain timed loop of `maxTime` per round instead of `benchmark`'s sampling (which `loadSampler` loads). */
  quick?: boolean;
}

let Benchmark: typeof BenchmarkConstructor | undefined;

/**
 * Loads `benchmark`, the sampler behind every full-length figure of `measure` (a quick look times
 * plain loops without it). The CLI calls it before a suite that samples starts any work.
 */
export async function loadSampler(): Promise<void> {
  Benchmark ??= (await required<{ default: typeof BenchmarkConstructor }>('benchmark', 'swarmguard bench (without --quick)')).default;
}

const WARM_UP_MS = 150;
const QUICK_WARM_UP_MS = 20;

/** Calls per second of `fn` over `seconds` of back-to-back calls (at least one call). */
function loopHz(fn: () => unknown, seconds: number): number {
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  let calls = 0;
  do {
    fn();
    calls++;
  } while (performance.now() < until);
  return calls / ((performance.now() - t0) / 1000);
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Measures subjects side by side: every round runs each subject once, so slow drift of the
 * machine (thermal, other load) hits all of them alike; the median over rounds is reported.
 */
export function measure(subjects: Subject[], options: MeasureOptions): Measurement[] {
  // V8 first runs WASM and JS on its baseline tier and optimizes hot code in the background;
  // warming every subject up first keeps that switch out of the measured rounds.
  for (const subject of subjects) {
    const until = performance.now() + (options.quick ? QUICK_WARM_UP_MS : WARM_UP_MS);
    do subject.fn();
    while (performance.now() < until);
  }
  const runs: number[][] = subjects.map(() => []);
  for (let round = 0; round < options.runs; round++) {
    subjects.forEach((subject, i) => {
      let hz: number;
      if (options.quick) {
        hz = loopHz(subject.fn, options.maxTime);
      } else {
        if (Benchmark === undefined) throw new BenchUnavailableError('measure: the benchmark sampler is not loaded (loadSampler() first)');
        const bench = new Benchmark(subject.name, subject.fn, { maxTime: options.maxTime, minSamples: 5, initCount: 1 });
        bench.run({ async: false });
        if (bench.error) throw bench.error;
        hz = bench.hz;
      }
      runs[i].push(hz);
      options.progress(`  round ${round + 1}/${options.runs} ${subject.name}: ${hz.toFixed(2)} ops/s`);
    });
  }
  return subjects.map((s, i) => ({ name: s.name, hz: median(runs[i]), runs: runs[i] }));
}

/**
 * Times an async or long operation directly (no `benchmark` sampling): `runs` rounds, each
 * subject once per round, medians of milliseconds per call.
 */
export async function timeRounds(
  subjects: Subject[],
  options: { runs: number; progress: (line: string) => void },
): Promise<{ name: string; ms: number; runs: number[] }[]> {
  const runs: number[][] = subjects.map(() => []);
  for (let round = 0; round < options.runs; round++) {
    for (let i = 0; i < subjects.length; i++) {
      const t0 = performance.now();
      await subjects[i].fn();
      const ms = performance.now() - t0;
      runs[i].push(ms);
      options.progress(`  round ${round + 1}/${options.runs} ${subjects[i].name}: ${ms.toFixed(2)} ms`);
    }
  }
  return subjects.map((s, i) => ({ name: s.name, ms: median(runs[i]), runs: runs[i] }));
}

/** Renders rows as an aligned text table. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) => r.map((v, c) => (c === 0 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join('  ');
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

