// Compares two `swarmguard bench <suite> --json FILE` results of the same suite, row by row:
//   node dist/bench/compare.js BEFORE.json AFTER.json [--threshold 10] [--unchanged REGEX]
// A row is identified by its text fields (name, algo, size, …); each measured figure is compared
// as after/before, oriented so that > 1 is always better. Rows whose figure got worse by more
// than the threshold (percent) are listed first; the rest are summarised. `--unchanged` names rows
// of code that did not change between the two runs (comparison libraries, e.g. 'noble|hash-wasm|
// node:crypto'): how far they moved is the noise of the machine, reported apart and never flagged.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** Figures where more is better; every other known figure is a time or a latency (less is better). */
const HIGHER = new Set(['mbPerSec', 'hashesPerSec', 'leavesPerSec', 'hz', 'sigPerSec', 'perCpuSecond', 'txPerSec', 'txPerCpuSec']);
const LOWER = new Set(['ms', 'cpuMs', 'p50', 'p99', 'ns', 'buildMs', 'updateMs']);
/** Counts that describe a run rather than name its row (they move with the code under test). */
const INFO = new Set(['messagesPerBlock', 'verificationsPerBlock', 'fastCommits', 'blocks']);

interface Figure {
  row: string;
  metric: string;
  before: number;
  after: number;
  /** after/before oriented so that > 1 is better. */
  gain: number;
}

/** Flattens a result tree into `row → metric → value`, naming rows by their non-figure fields. */
function figures(node: unknown, path: string, out: Map<string, number>): void {
  if (Array.isArray(node)) {
    for (const item of node) {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) continue;
      const entries = Object.entries(item as Record<string, unknown>);
      const id = entries.filter(([k, v]) => !HIGHER.has(k) && !LOWER.has(k) && !INFO.has(k) && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')).map(([k, v]) => `${k}=${v}`);
      for (const [k, v] of entries) {
        if ((HIGHER.has(k) || LOWER.has(k)) && typeof v === 'number') out.set(`${path} ${id.join(' ')}\t${k}`, v);
        else if (k !== 'runs' && v !== null && typeof v === 'object') figures(v, `${path} ${id.join(' ')}.${k}`, out);
      }
    }
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    // The resilience suite keeps its raw per-call times as { "subject | library": ns }.
    if (key === 'raw' && value !== null && typeof value === 'object' && Object.values(value).every((v) => typeof v === 'number')) {
      for (const [name, ns] of Object.entries(value as Record<string, number>)) out.set(`${path}.raw ${name}\tns`, ns);
      continue;
    }
    if (typeof value === 'number' && (HIGHER.has(key) || LOWER.has(key))) out.set(`${path}\t${key}`, value);
    else figures(value, `${path}.${key}`, out);
  }
}

function load(file: string): { suite: string; figures: Map<string, number> } {
  const json = JSON.parse(readFileSync(file, 'utf8')) as { suite: string; results: unknown };
  const out = new Map<string, number>();
  figures(json.results, json.suite, out);
  return { suite: json.suite, figures: out };
}

function main(): number {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { threshold: { type: 'string', default: '10' }, unchanged: { type: 'string' } } });
  const threshold = Number(values.threshold) / 100;
  if (positionals.length !== 2 || !(threshold >= 0)) {
    console.error('usage: node dist/bench/compare.js BEFORE.json AFTER.json [--threshold PERCENT] [--unchanged REGEX]');
    return 2;
  }
  const before = load(positionals[0]);
  const after = load(positionals[1]);
  if (before.suite !== after.suite) throw new Error(`different suites: ${before.suite} and ${after.suite}`);
  const unchanged = values.unchanged === undefined ? undefined : new RegExp(values.unchanged);
  const rows: Figure[] = [];
  const noise: number[] = [];
  for (const [key, b] of before.figures) {
    const a = after.figures.get(key);
    if (a === undefined || !(b > 0) || !(a > 0)) continue;
    const [row, metric] = key.split('\t');
    if (unchanged?.test(row)) {
      noise.push(HIGHER.has(metric) ? a / b : b / a);
      continue;
    }
    rows.push({ row, metric, before: b, after: a, gain: HIGHER.has(metric) ? a / b : b / a });
  }
  const missing = [...before.figures.keys()].filter((k) => !after.figures.has(k));
  rows.sort((x, y) => x.gain - y.gain);
  const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3));
  const worse = rows.filter((r) => r.gain < 1 - threshold);
  console.log(`${after.suite}: ${rows.length} figures compared; ${worse.length} worse by more than ${values.threshold} %`);
  for (const r of worse) console.log(`  worse  ${((1 - r.gain) * 100).toFixed(1).padStart(5)} %  ${r.row} ${r.metric}: ${fmt(r.before)} -> ${fmt(r.after)}`);
  const gains = rows.map((r) => r.gain).sort((x, y) => x - y);
  if (gains.length) {
    const q = (p: number) => gains[Math.min(gains.length - 1, Math.floor(p * gains.length))];
    console.log(`  after/before (better > 1): min ${q(0).toFixed(3)}, p10 ${q(0.1).toFixed(3)}, median ${q(0.5).toFixed(3)}, p90 ${q(0.9).toFixed(3)}, max ${q(1).toFixed(3)}`);
  }
  if (noise.length) {
    noise.sort((x, y) => x - y);
    console.log(`  noise: ${noise.length} figures of unchanged code moved after/before ${noise[0].toFixed(3)} … ${noise[noise.length - 1].toFixed(3)}, median ${noise[Math.floor(noise.length / 2)].toFixed(3)}`);
  }
  if (missing.length) console.log(`  in BEFORE only: ${missing.map((k) => k.replace('\t', ' ')).join('; ')}`);
  return worse.length ? 1 : 0;
}

process.exitCode = main();
