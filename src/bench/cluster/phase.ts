import { percentile } from '../consensus/inProcess.js';
import { type Cluster, sleep } from './cluster.js';
import type { Generator } from './generator.js';
import { CpuMeter, memory } from './processStats.js';
import type { LoadReport } from './protocol.js';
import { metric, nodeStatus } from './rpcClient.js';

// One timed phase of load on a running cluster: the generator offers a rate for some seconds;
// the bench counts what one node committed (its `swarmguard_consensus_txs_total`) after the
// warm-up, and reads every process's CPU and memory from /proc over the same window.

/**
 * Samples followed to their proofs per second of load: p99 from about a thousand per phase. Each
 * costs the node a status request that builds a commit proof, so more would load what is measured.
 */
const SAMPLES_PER_SECOND = 100;
const PROOFS_CHECKED = 5;
const DRAIN_TIMEOUT_MS = 120_000;

interface ProcessUse {
  name: string;
  /** Cores kept busy over the measured window (1 = one core). */
  cpu: number;
  /** Resident memory at the end of the window, and its peak since the process started, in MiB. */
  rssMiB: number;
  peakMiB: number;
}

export interface PhaseResult {
  /** Transactions per second offered (the set rate), and sent for the first time per second. */
  rate: number;
  sentPerSec: number;
  committedPerSec: number;
  p50: number;
  p99: number;
  samples: number;
  processes: ProcessUse[];
  load: LoadReport;
}

/** The node the bench counts commits on: a backup that stays up (not the primary, not the one killed). */
export function observer(cluster: Cluster, primary: number): number {
  return (primary + 1) % cluster.rpcs.length;
}

/**
 * Offers `rate` tx/s for `seconds`; measures from `warmup` seconds in to the end. With
 * `maxPending`, the generator holds back while the primary holds more than that many
 * transactions (admission control, so an overload measures capacity rather than a queue).
 */
export async function loadPhase(cluster: Cluster, generator: Generator, o: { rate: number; seconds: number; warmup: number; maxPending?: number }): Promise<PhaseResult> {
  const { primary } = await nodeStatus(cluster.rpcs[0]);
  const watch = observer(cluster, primary);
  const running = cluster.rpcs.map((_, i) => i).filter((i) => cluster.isRunning(i));
  const pids = [...running.map((i) => cluster.pid(i)), generator.pid];
  const names = [...running.map((i) => `node${i}${i === primary ? ' (primary)' : ''}`), 'load generator'];
  const done = generator.load({
    genesis: cluster.genesisJson(),
    rpcs: cluster.rpcs,
    primary,
    rate: o.rate,
    seconds: o.seconds,
    sampleEvery: Math.max(1, Math.round(o.rate / SAMPLES_PER_SECOND)),
    warmup: o.warmup,
    proofs: PROOFS_CHECKED,
    maxPending: o.maxPending ?? null,
  });
  await sleep(o.warmup * 1000);
  const before = await metric(cluster.rpcs[watch], 'swarmguard_consensus_txs_total');
  const t0 = performance.now();
  const meter = new CpuMeter(pids);
  await sleep((o.seconds - o.warmup) * 1000);
  const after = await metric(cluster.rpcs[watch], 'swarmguard_consensus_txs_total');
  const seconds = (performance.now() - t0) / 1000;
  const cpu = meter.read();
  const processes = pids.map((pid, i) => {
    const m = memory(pid);
    return { name: names[i], cpu: cpu[i], rssMiB: m.rss / 2 ** 20, peakMiB: m.peak / 2 ** 20 };
  });
  const load = await done;
  return {
    rate: o.rate,
    sentPerSec: load.offered / load.seconds,
    committedPerSec: (after - before) / seconds,
    p50: percentile(load.latencies, 50),
    p99: percentile(load.latencies, 99),
    samples: load.latencies.length,
    processes,
    load,
  };
}

/**
 * Waits until no running node holds anything pending and all are at one height (the backlog of
 * the phase before is committed everywhere). False when the bound ran out first.
 */
export async function drain(cluster: Cluster, timeoutMs = DRAIN_TIMEOUT_MS): Promise<boolean> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    const running = cluster.rpcs.filter((_, i) => cluster.isRunning(i));
    const statuses = await Promise.all(running.map((rpc) => nodeStatus(rpc).catch(() => null)));
    const top = Math.max(...statuses.map((s) => s?.height ?? 0));
    if (statuses.every((s) => s !== null && s.pending === 0 && s.height === top)) return true;
    await sleep(100);
  }
  return false;
}
