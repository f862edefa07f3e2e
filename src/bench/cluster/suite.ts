import { DEFAULT_PIPELINE } from '../../consensus/index.js';
import type { BenchContext, BenchReport, BenchSuite } from '../suite.js';
import { Generator } from './generator.js';
import { InProcessReference } from './inProcessReference.js';
import { clusterReport } from './report.js';
import { BLOCK_TXS, CHAIN_ID, type RunResult, runOnce, transactionsFor } from './run.js';
import { stateSync } from './stateSync.js';

// `swarmguard bench cluster`: real node processes, a real load-generator process, real disks.

const SENDERS = 2000;

/**
 * Full size, and a quick look: one run at a tiny rate with 1 s phases, without the in-process
 * rows (a rate this far below capacity is no share of them) and without state sync unless
 * `--sync-blocks` asks for it (a cluster of its own: 10 s more), so that `--quick` stays within
 * 15 s on the 2-core machine.
 */
const DEFAULTS = {
  // 10,000 blocks behind (the size) takes the others several minutes to commit: --sync-blocks 10000.
  full: { nodes: 4, rate: 12_000, duration: 10, warmup: 2, syncBlocks: 1000 },
  quick: { nodes: 4, rate: 300, duration: 1, warmup: 0.25, syncBlocks: null },
};

interface Killable {
  killNow(): void;
}

const suite: BenchSuite = {
  name: 'cluster',
  description: `N validator processes on loopback (mutual TLS, LevelDB with fsync), an open-loop load-generator process, blocks of ${BLOCK_TXS}: throughput at saturation, submit-to-proof latency, recovery, state sync`,
  async run(ctx: BenchContext): Promise<BenchReport> {
    const d = ctx.quick ? DEFAULTS.quick : DEFAULTS.full;
    const o = ctx.cluster ?? {};
    const seconds = o.duration ?? d.duration;
    const settings = { nodes: o.nodes ?? d.nodes, rate: o.rate ?? d.rate, seconds, warmup: Math.min(d.warmup, seconds / 4), quick: ctx.quick, syncBlocks: o.syncBlocks ?? d.syncBlocks, pipeline: o.pipeline ?? DEFAULT_PIPELINE };
    const runCount = ctx.quick ? 1 : ctx.runs;
    // Ctrl-C (or SIGTERM) kills every process the bench started and removes their folders.
    const live = new Set<Killable>();
    const track = (k: Killable) => {
      live.add(k);
      return () => void live.delete(k);
    };
    const interrupted = (signal: NodeJS.Signals) => {
      ctx.progress(`bench cluster: ${signal}: stopping every process it started`);
      for (const k of live) k.killNow();
      process.exit(130);
    };
    process.once('SIGINT', interrupted);
    process.once('SIGTERM', interrupted);
    const runs: RunResult[] = [];
    const reference = ctx.quick ? null : new InProcessReference();
    try {
      const generator = Generator.start({ chainId: CHAIN_ID, senders: SENDERS, keep: true });
      track(generator);
      try {
        const prepared = await generator.prepare(transactionsFor(settings.rate, seconds));
        ctx.progress(`  load generator: ${prepared.signed} transactions from ${SENDERS} accounts signed in ${prepared.seconds.toFixed(1)} s`);
        for (let i = 0; i < runCount; i++) {
          ctx.progress(`  run ${i + 1}/${runCount}: ${settings.nodes} nodes`);
          runs.push(await runOnce(settings, generator, { progress: ctx.progress, track }));
          await reference?.round(ctx.progress);
        }
      } finally {
        await generator.close();
      }
      const sync = settings.syncBlocks === null ? null : await stateSync({ nodes: settings.nodes, blocks: settings.syncBlocks, progress: ctx.progress, track });
      if (sync) ctx.progress(`  state sync: ${sync.blocksBehind} blocks behind, caught up in ${sync.syncSeconds.toFixed(2)} s`);
      return clusterReport(settings, runs, reference?.results() ?? null, sync);
    } finally {
      process.off('SIGINT', interrupted);
      process.off('SIGTERM', interrupted);
    }
  },
};

export default suite;
