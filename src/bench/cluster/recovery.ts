import { type Cluster, sleep } from './cluster.js';
import type { Generator } from './generator.js';
import { observer } from './phase.js';
import { nodeStatus } from './rpcClient.js';

// Recovery: `kill -9` a backup while clients submit, restart it a moment later, and time how
// long after the restart it commits again (its height moves past what it restored from disk) and
// reaches the others' height.

const LOAD_BEFORE_KILL_MS = 1000;
const DOWN_MS = 1000;
const TIMEOUT_MS = 60_000;
const POLL_MS = 20;

export interface RecoveryResult {
  /** The backup killed. */
  node: number;
  /** Height it restored from its store at restart. */
  restoredHeight: number;
  /** Seconds from the restart (process spawned) to: its RPC up, its first commit, its height at the others'. */
  startSeconds: number;
  commitSeconds: number;
  caughtUpSeconds: number;
}

/** Polls `rpc`'s height until `reached(height)` holds; seconds since `t0`, NaN past the bound. */
async function until(rpc: string, t0: number, reached: (height: number) => Promise<boolean> | boolean): Promise<number> {
  while (performance.now() - t0 < TIMEOUT_MS) {
    const s = await nodeStatus(rpc).catch(() => null);
    if (s && (await reached(s.height))) return (performance.now() - t0) / 1000;
    await sleep(POLL_MS);
  }
  return Number.NaN;
}

/** Kills a backup under `rate` tx/s of load, restarts it, and times its return. */
export async function recovery(cluster: Cluster, generator: Generator, rate: number): Promise<RecoveryResult> {
  const n = cluster.rpcs.length;
  const { primary } = await nodeStatus(cluster.rpcs[0]);
  const node = (primary + n - 1) % n;
  const watch = observer(cluster, primary);
  const done = generator.load({ genesis: cluster.genesisJson(), rpcs: cluster.rpcs, primary, rate, seconds: null, sampleEvery: 0, warmup: 0, proofs: 0, maxPending: null });
  try {
    await sleep(LOAD_BEFORE_KILL_MS);
    await cluster.kill(node);
    await sleep(DOWN_MS);
    const t0 = performance.now();
    const { height } = await cluster.start(node);
    const startSeconds = (performance.now() - t0) / 1000;
    const commitSeconds = await until(cluster.rpcs[node], t0, (h) => h > height);
    const caughtUpSeconds = await until(cluster.rpcs[node], t0, async (h) => h >= (await nodeStatus(cluster.rpcs[watch])).height);
    return { node, restoredHeight: height, startSeconds, commitSeconds, caughtUpSeconds };
  } finally {
    generator.stop();
    await done;
  }
}
