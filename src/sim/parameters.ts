import { type Fault, isDiskFault } from './faults.js';
import type { Prng } from './prng.js';

/** Episodes of a fault: mean time between their starts and mean length, in ms. */
interface Episodes {
  every: number;
  length: number;
}

/**
 * How hard each active fault strikes, drawn from the seed (TigerBeetle's VOPR draws its packet
 * loss, latencies and crash rates the same way): a fault's name says what happens, its
 * parameters how often and how badly. Only the active faults have an entry.
 */
export interface FaultParameters {
  /** `drop`: probability that a frame is lost. */
  drop?: { rate: number };
  /** `duplicate`: probability that a frame arrives twice. */
  duplicate?: { rate: number };
  /** `delay`: extra exponential delay per frame, mean in ms. */
  delay?: { mean: number };
  /** `reorder`: extra uniform delay per frame in [0, window) ms, so frames overtake each other. */
  reorder?: { window: number };
  /** `partition`: the validators split in two random groups. */
  partition?: Episodes;
  /** `isolate`: one validator cut off from the rest. */
  isolate?: Episodes;
  /**
   * `crash`: an honest replica stops (mean `every` ms apart) and restarts from its disk after
   * `downtime` ms (mean). A share `duringWrite` of crashes strike while its next write is in
   * flight, a share `afterWrite` just after it lands and before the messages waiting for it leave.
   */
  crash?: { every: number; downtime: number; duringWrite: number; afterWrite: number };
  /** The disk, whenever crashes or disk faults are active: mean write latency in ms (exponential). */
  disk?: { latency: number };
  /** `slow-disk`: this share of writes takes `factor` times as long. */
  slowDisk?: { rate: number; factor: number };
  /** `torn-write`: this share of crashes with a write in flight land a prefix of its records, the last one garbled. */
  tornWrite?: { rate: number };
  /**
   * `corrupt-disk`: this share of crashes find up to `records` stored records with a flipped bit
   * (never both copies of a record kept twice); a share `unrecoverable` of crashes damage both
   * copies of one, so the replica cannot start (only while Byzantine + failed replicas < f).
   */
  corruptDisk?: { rate: number; records: number; unrecoverable: number };
  /**
   * `reorder-txs`: each client keeps `inFlight` transactions (consecutive nonces) in flight, so
   * blocks carry runs of one sender's nonces for the Byzantine primary to reverse (and there are
   * `clients / inFlight` clients, rounded up, so the load stays about the same).
   */
  reorderTxs?: { inFlight: number };
  /** `one-way`: episodes in which the links from one group of validators to the others are cut (not back). */
  oneWay?: Episodes;
  /** `clock-skew`: each validator's clock runs at a rate drawn from [1 − spread, 1 + spread]. */
  clockSkew?: { spread: number };
}

/** The parameters' keys and the fault that makes each active. */
const ACTIVATED_BY: Record<keyof FaultParameters, (faults: readonly Fault[]) => boolean> = {
  drop: (f) => f.includes('drop'),
  duplicate: (f) => f.includes('duplicate'),
  delay: (f) => f.includes('delay'),
  reorder: (f) => f.includes('reorder'),
  partition: (f) => f.includes('partition'),
  isolate: (f) => f.includes('isolate'),
  crash: (f) => f.includes('crash') || f.includes('torn-write') || f.includes('corrupt-disk'),
  disk: (f) => f.includes('crash') || f.some(isDiskFault),
  slowDisk: (f) => f.includes('slow-disk'),
  tornWrite: (f) => f.includes('torn-write'),
  corruptDisk: (f) => f.includes('corrupt-disk'),
  reorderTxs: (f) => f.includes('reorder-txs'),
  oneWay: (f) => f.includes('one-way'),
  clockSkew: (f) => f.includes('clock-skew'),
};

type Drawn = Required<FaultParameters>;

/** Draws every fault's parameters (so a seed keeps them whichever faults are active), then keeps the active ones. */
export function drawParameters(rng: Prng, faults: readonly Fault[]): FaultParameters {
  const all: Drawn = {
    drop: { rate: round(rng.range(0.01, 0.2), 3) },
    duplicate: { rate: round(rng.range(0.01, 0.1), 3) },
    delay: { mean: round(rng.range(10, 80), 0) },
    reorder: { window: round(rng.range(10, 120), 0) },
    partition: { every: round(rng.range(800, 3000), 0), length: round(rng.range(300, 1200), 0) },
    isolate: { every: round(rng.range(800, 3000), 0), length: round(rng.range(300, 1200), 0) },
    crash: { every: round(rng.range(1000, 3000), 0), downtime: round(rng.range(200, 1200), 0), duringWrite: round(rng.range(0, 0.5), 2), afterWrite: round(rng.range(0, 0.5), 2) },
    disk: { latency: round(rng.range(0.1, 3), 2) },
    slowDisk: { rate: round(rng.range(0.01, 0.2), 3), factor: round(rng.range(5, 50), 0) },
    tornWrite: { rate: round(rng.range(0.3, 1), 2) },
    corruptDisk: { rate: round(rng.range(0.3, 1), 2), records: 1 + rng.int(3), unrecoverable: round(rng.range(0, 0.3), 2) },
    // Drawn last, so the parameters above keep the values they had before it existed.
    reorderTxs: { inFlight: 2 + rng.int(2) },
    oneWay: { every: round(rng.range(800, 3000), 0), length: round(rng.range(300, 1200), 0) },
    clockSkew: { spread: round(rng.range(0.01, 0.3), 3) },
  };
  const active: FaultParameters = {};
  for (const key of Object.keys(all) as (keyof Drawn)[]) {
    if (ACTIVATED_BY[key](faults)) (active as Record<string, unknown>)[key] = all[key];
  }
  return active;
}

/** One uniform draw in [mean/2, 3·mean/2): the spacing or length of one episode. */
export function around(rng: Prng, mean: number): number {
  return rng.range(mean / 2, (3 * mean) / 2);
}

/** The parameters in one line, e.g. `drop 6.2%, delay +35 ms, crash every 2.1 s for 0.7 s`. */
export function describeParameters(p: FaultParameters): string {
  const parts: string[] = [];
  const pct = (x: number) => `${round(x * 100, 1)}%`;
  const s = (ms: number) => `${round(ms / 1000, 2)} s`;
  if (p.drop) parts.push(`drop ${pct(p.drop.rate)}`);
  if (p.duplicate) parts.push(`duplicate ${pct(p.duplicate.rate)}`);
  if (p.delay) parts.push(`delay +${p.delay.mean} ms`);
  if (p.reorder) parts.push(`reorder ≤${p.reorder.window} ms`);
  if (p.partition) parts.push(`partition every ${s(p.partition.every)} for ${s(p.partition.length)}`);
  if (p.isolate) parts.push(`isolate every ${s(p.isolate.every)} for ${s(p.isolate.length)}`);
  if (p.crash) parts.push(`crash every ${s(p.crash.every)} for ${s(p.crash.downtime)} (${pct(p.crash.duringWrite)} during a write, ${pct(p.crash.afterWrite)} after it)`);
  if (p.disk) parts.push(`disk ${p.disk.latency} ms`);
  if (p.slowDisk) parts.push(`slow disk ${pct(p.slowDisk.rate)} ×${p.slowDisk.factor}`);
  if (p.tornWrite) parts.push(`torn writes ${pct(p.tornWrite.rate)} of crashes`);
  if (p.corruptDisk) parts.push(`corrupt disk ${pct(p.corruptDisk.rate)} of crashes, ≤${p.corruptDisk.records} records (${pct(p.corruptDisk.unrecoverable)} both copies)`);
  if (p.reorderTxs) parts.push(`${p.reorderTxs.inFlight} txs in flight per client`);
  if (p.oneWay) parts.push(`one-way cut every ${s(p.oneWay.every)} for ${s(p.oneWay.length)}`);
  if (p.clockSkew) parts.push(`clocks ±${pct(p.clockSkew.spread)}`);
  return parts.join(', ');
}

function round(x: number, digits: number): number {
  const k = 10 ** digits;
  return Math.round(x * k) / k;
}
