import { Cluster, sleep } from './cluster.js';
import { Generator } from './generator.js';
import { drain } from './phase.js';
import { metric, nodeStatus } from './rpcClient.js';

// State sync: one node stopped while the others commit `blocks` blocks of BLOCK_TXS signed
// transactions, then restarted; the time from its restart to the network's height, and what it
// did to get there (checkpoint adopted, blocks replayed, signatures it verified).

const SYNC_BLOCK_TXS = 100;
const SENDERS = 2000;
/**
 * Offered above what blocks of 100 commit (a few thousand tx/s), and the generator pauses while
 * the primary holds more than 20 blocks' worth: a deeper pool keeps its oldest transaction
 * waiting past the view-change timeout, and the replicas replace a primary for that.
 */
const FILL_RATE = 5000;
const MAX_PENDING_BLOCKS = 20;
const POLL_MS = 20;
const FILL_TIMEOUT_MS = 60 * 60_000;
const SYNC_TIMEOUT_MS = 10 * 60_000;

export interface StateSyncResult {
  /** Blocks (and transactions) the node was behind when it restarted. */
  blocksBehind: number;
  txsBehind: number;
  /** Seconds the others took to commit them (filling, not measured as sync). */
  fillSeconds: number;
  /** Seconds from the restart (process spawned) to: its RPC up, its height at the network's (NaN: not within the bound). */
  startSeconds: number;
  syncSeconds: number;
  /** Height it restored from its own store; the stable checkpoint it held once caught up. */
  restoredHeight: number;
  checkpoint: number;
  /** Blocks and transactions it committed from peers' transfers, and the signatures its replica verified meanwhile. */
  blocksReplayed: number;
  txsReplayed: number;
  signaturesVerified: number;
}

export async function stateSync(o: { nodes: number; blocks: number; progress(line: string): void; track(c: Cluster | Generator): () => void }): Promise<StateSyncResult> {
  const cluster = await Cluster.create({ nodes: o.nodes, chainId: 'bench-cluster-sync', batchSize: SYNC_BLOCK_TXS, progress: o.progress });
  const untrack = o.track(cluster);
  let generator: Generator | null = null;
  try {
    await cluster.startAll();
    const n = o.nodes;
    const { primary } = await nodeStatus(cluster.rpcs[0]);
    const node = (primary + n - 1) % n;
    const watch = (primary + 1) % n;
    await cluster.stop(node);
    generator = Generator.start({ chainId: cluster.genesis.chainId, senders: SENDERS, keep: false });
    const untrackGenerator = o.track(generator);
    o.progress(`  state sync: node${node} stopped; the others commit ${o.blocks} blocks of ${SYNC_BLOCK_TXS}`);
    const t0 = performance.now();
    const done = generator.load({ genesis: cluster.genesisJson(), rpcs: cluster.rpcs, primary, rate: FILL_RATE, seconds: null, sampleEvery: 0, warmup: 0, proofs: 0, maxPending: Math.min(MAX_PENDING_BLOCKS, Math.ceil(o.blocks / 4)) * SYNC_BLOCK_TXS });
    let reported = 0;
    try {
      for (;;) {
        cluster.check();
        const { height } = await nodeStatus(cluster.rpcs[watch]);
        if (height >= o.blocks) break;
        if (performance.now() - t0 > FILL_TIMEOUT_MS) throw new Error(`bench cluster: the state-sync fill reached height ${height} of ${o.blocks} in ${FILL_TIMEOUT_MS / 60_000} min`);
        if (height >= reported + 1000) {
          reported = height - (height % 1000);
          o.progress(`    height ${height} (${Math.round(height / ((performance.now() - t0) / 1000))} blocks/s)`);
        }
        await sleep(200);
      }
    } finally {
      generator.stop();
      await done;
    }
    await drain(cluster);
    const fillSeconds = (performance.now() - t0) / 1000;
    await generator.close();
    untrackGenerator();
    const target = await nodeStatus(cluster.rpcs[watch]);
    const txsBehind = await metric(cluster.rpcs[watch], 'swarmguard_consensus_txs_total');
    o.progress(`  state sync: network at height ${target.height} after ${fillSeconds.toFixed(1)} s; restarting node${node}`);
    const t1 = performance.now();
    const { height: restoredHeight } = await cluster.start(node);
    const startSeconds = (performance.now() - t1) / 1000;
    let syncSeconds = Number.NaN;
    while (performance.now() - t1 < SYNC_TIMEOUT_MS) {
      const s = await nodeStatus(cluster.rpcs[node]).catch(() => null);
      if (s && s.height >= target.height) {
        syncSeconds = (performance.now() - t1) / 1000;
        break;
      }
      cluster.check();
      await sleep(POLL_MS);
    }
    const rpc = cluster.rpcs[node];
    // The replica's height moves when it applies a block; the node's counters when that write is
    // durable, a moment later: wait for them to show every block past the checkpoint it adopted.
    const checkpoint = (await nodeStatus(rpc)).stableCheckpoint;
    const expected = target.height - Math.max(checkpoint, restoredHeight);
    let blocksReplayed = await metric(rpc, 'swarmguard_consensus_blocks_total');
    for (let i = 0; i < 100 && blocksReplayed < expected; i++) {
      await sleep(POLL_MS);
      blocksReplayed = await metric(rpc, 'swarmguard_consensus_blocks_total');
    }
    return {
      blocksBehind: target.height - restoredHeight,
      txsBehind,
      fillSeconds,
      startSeconds,
      syncSeconds,
      restoredHeight,
      checkpoint,
      blocksReplayed,
      txsReplayed: await metric(rpc, 'swarmguard_consensus_txs_total'),
      signaturesVerified: await metric(rpc, 'swarmguard_consensus_signatures_verified_total'),
    };
  } finally {
    await generator?.close();
    await cluster.close();
    untrack();
  }
}
