import { Cluster } from './cluster.js';
import type { Generator } from './generator.js';
import { drain, loadPhase, type PhaseResult } from './phase.js';
import { recovery, type RecoveryResult } from './recovery.js';

// One run of the throughput and latency figures on a fresh cluster: the saturation figure first
// (offered load above capacity), then latency at 50 % and 90 % of it, then a backup killed and
// restarted under load. Each phase starts from an empty pool: the backlog of the one before is
// committed everywhere first.

export const BLOCK_TXS = 1000;
/** Every run's cluster has fresh validators but this chain id, so the signed load replays on each. */
export const CHAIN_ID = 'bench-cluster';
/** Committed below this share of the offered rate means the offered load was above capacity. */
const SATURATED = 0.9;
const MAX_ESCALATIONS = 2;
/**
 * At saturation the generator holds back while the primary holds more than this many pending
 * transactions: enough to cut full blocks back to back, and an open queue growing without bound
 * would measure the node's handling of a flood (and take minutes to drain), not its capacity.
 * Below the admission bound of the node itself (it refuses past 8 blocks' worth waiting): refused requests cost
 * the primary their reading, and the figure would measure that instead.
 */
const SATURATION_PENDING = 4 * BLOCK_TXS;

export interface RunSettings {
  nodes: number;
  /** Offered load of the saturation phase, tx/s. */
  rate: number;
  /** Seconds of each phase, and of the warm-up at its start that is not measured. */
  seconds: number;
  warmup: number;
  quick: boolean;
  /** Genesis `consensus.pipeline`: blocks in flight. */
  pipeline: number;
}

export interface RunResult {
  saturation: PhaseResult;
  /** Whether the committed rate stayed below SATURATED × the rate offered (else the figure is a floor). */
  saturated: boolean;
  at50: PhaseResult;
  at90: PhaseResult;
  recovery: RecoveryResult;
  /** Phases after which the backlog did not drain within the bound (the next one started anyway). */
  undrained: string[];
}

/** Transactions one run may send: the phases at their rates, and the recovery's few seconds at half. */
export function transactionsFor(rate: number, seconds: number): number {
  return Math.ceil(rate * seconds * 2.4 + rate * 5);
}

export async function runOnce(s: RunSettings, generator: Generator, o: { progress(line: string): void; track(c: Cluster): () => void }): Promise<RunResult> {
  const cluster = await Cluster.create({ nodes: s.nodes, chainId: CHAIN_ID, batchSize: BLOCK_TXS, pipeline: s.pipeline, progress: o.progress });
  const untrack = o.track(cluster);
  const undrained: string[] = [];
  const settle = async (phase: string) => {
    cluster.check();
    if (!(await drain(cluster))) undrained.push(phase);
  };
  try {
    await cluster.startAll();
    await generator.reset();
    const phase = async (label: string, rate: number, maxPending?: number) => {
      const r = await loadPhase(cluster, generator, { rate, seconds: s.seconds, warmup: s.warmup, maxPending });
      const lat = r.samples ? `, p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms (${r.samples} proofs)` : '';
      o.progress(`    ${label}: offered ${Math.round(rate)} tx/s, sent ${Math.round(r.sentPerSec)}/s, committed ${Math.round(r.committedPerSec)} tx/s${lat}`);
      await settle(label);
      return r;
    };
    let rate = s.rate;
    let saturation = await phase('saturation', rate, SATURATION_PENDING);
    // Not saturated: offer half as much again (a full-size run only; a quick look reports what it got).
    for (let k = 0; !s.quick && k < MAX_ESCALATIONS && saturation.committedPerSec >= SATURATED * rate; k++) {
      rate *= 1.5;
      await generator.prepare(transactionsFor(rate, s.seconds));
      saturation = await phase('saturation', rate, SATURATION_PENDING);
    }
    const capacity = saturation.committedPerSec;
    if (!(capacity > 0)) throw new Error(`bench cluster: nothing committed at ${Math.round(rate)} tx/s offered (refused: ${JSON.stringify(saturation.load.refused)}, HTTP errors: ${saturation.load.httpErrors})`);
    const at50 = await phase('50 %', 0.5 * capacity);
    const at90 = await phase('90 %', 0.9 * capacity);
    const rec = await recovery(cluster, generator, 0.5 * capacity);
    o.progress(`    recovery: node${rec.node} restarted at height ${rec.restoredHeight}, commits again after ${rec.commitSeconds.toFixed(2)} s, caught up after ${rec.caughtUpSeconds.toFixed(2)} s`);
    await settle('recovery');
    return { saturation, saturated: saturation.committedPerSec < SATURATED * rate, at50, at90, recovery: rec, undrained };
  } finally {
    await cluster.close();
    untrack();
  }
}
