import { SIM_CHAIN_ID, simulate } from '../sim/index.js';
import { BLOCK_TXS, payloadFor, percentile, type Row, signedBlocks } from './consensus/inProcess.js';
import { isolated, medianRun } from './consensus/isolated.js';
import { table } from './harness.js';
import type { BenchContext, BenchReport, BenchSuite } from './suite.js';

// `swarmguard bench pipeline`: what keeping W blocks in flight buys. In the simulator (virtual
// time, so the figures are exact and repeatable, and blind to CPU cost): n = 4, blocks of 1,000
// signed transactions, links of 10 ms and 100 ms (± a fifth of it, exponential), the committed
// rate under a load above capacity for each W, and the commit latency of W = 1 and the deepest W
// at a load W = 1 sustains. In process (wall clock, one thread, real signatures): n = 4 with
// W = 1 and the deepest W.

interface SimRow {
  link: number;
  pipeline: number;
  offered: number;
  seconds: number;
  txPerSec: number;
  p50: number;
  p99: number;
  blocks: number;
}

/**
 * One simulated run. Throughput is what replica 0 committed from its first commit to the end of
 * the load, per simulated second: the first commit waits for a whole commit latency, and after the
 * load stops the simulator goes on until everything sent executed, neither of which is capacity.
 */
function simulated(link: number, pipeline: number, offered: number, seconds: number): SimRow {
  const commits: { at: number; txs: number }[] = [];
  const r = simulate({
    seed: 1,
    replicas: 4,
    byzantine: 0,
    faults: [],
    duration: seconds,
    link: { latency: link, jitter: link / 5 },
    load: { rate: offered, payloadBytes: payloadFor(SIM_CHAIN_ID.length) },
    replica: { batchSize: BLOCK_TXS, batchTimeout: 5, checkpointInterval: 64, fastPath: true, viewChangeTimeout: 5000, pipeline },
    onCommit: (line) => {
      if (line.replica === 0) commits.push(line);
    },
  });
  const end = seconds * 1000;
  const first = commits[0]?.at ?? end;
  let txs = 0;
  for (const c of commits) if (c.at > first && c.at <= end) txs += c.txs;
  return { link, pipeline, offered, seconds, txPerSec: end > first ? (1000 * txs) / (end - first) : 0, p50: percentile(r.latencies, 50), p99: percentile(r.latencies, 99), blocks: r.committedBlocks };
}

const suite: BenchSuite = {
  name: 'pipeline',
  description: `pipelined PBFT, n = 4, blocks of ${BLOCK_TXS}: committed tx/s and latency for pipeline depths W in the simulator at 10 and 100 ms links, and in process`,
  async run(ctx: BenchContext): Promise<BenchReport> {
    const sims: SimRow[] = [];
    const depths = ctx.quick ? [1, 4] : [1, 2, 4, 8, 16];
    const links = ctx.quick ? [100] : [10, 100];
    // W = 16 only over 100 ms links: at 10 ms it would sign and verify half a million transactions a simulated second.
    const depthsAt = (link: number) => (link < 100 ? depths.filter((w) => w <= 8) : depths);
    const ratios: { link: number; best: number; throughput: number; p99: number }[] = [];
    for (const link of links) {
      // Short runs at 10 ms: the simulator signs and verifies every transaction for real, and a
      // deep pipeline there orders a few hundred thousand a second.
      const seconds = ctx.quick ? 1.5 : link >= 100 ? 3 : 0.6;
      const base = simulated(link, 1, link >= 100 ? 6_000 : 60_000, seconds);
      ctx.progress(`  simulated ${link} ms links, W=1: ${Math.round(base.txPerSec)} tx/s`);
      sims.push(base);
      let best = base;
      for (const w of depthsAt(link).slice(1)) {
        // Above what W blocks per commit latency could carry, so the committed rate is the capacity.
        const row = simulated(link, w, Math.round(1.3 * w * base.txPerSec), seconds);
        ctx.progress(`  simulated ${link} ms links, W=${w}: ${Math.round(row.txPerSec)} tx/s (${(row.txPerSec / base.txPerSec).toFixed(2)}× W=1)`);
        sims.push(row);
        if (row.txPerSec > best.txPerSec) best = row;
      }
      // Latency at a load W = 1 carries (70 % of its capacity), W = 1 against the best W.
      const load = Math.round(0.7 * base.txPerSec);
      const calm1 = simulated(link, 1, load, seconds * 2);
      const calmBest = simulated(link, best.pipeline, load, seconds * 2);
      sims.push(calm1, calmBest);
      ctx.progress(`  simulated ${link} ms links at ${load}/s: p99 ${calm1.p99.toFixed(0)} ms (W=1), ${calmBest.p99.toFixed(0)} ms (W=${best.pipeline})`);
      ratios.push({ link, best: best.pipeline, throughput: best.txPerSec / base.txPerSec, p99: calmBest.p99 / calm1.p99 });
    }
    const inProcess: Row[] = [];
    const blocks = ctx.quick ? 4 : 16;
    const batches = signedBlocks(blocks + 1);
    for (const depth of ctx.quick ? [1, 4] : [1, 4, 8]) {
      const row = await medianRun(ctx.quick ? 1 : ctx.runs, () => isolated({ n: 4, fastPath: true, verifier: 'wasm batch', blocks, batches, depth }));
      ctx.progress(`  in-process n=4 W=${depth}: ${Math.round(row.txPerSec)} tx/s, p99 ${row.p99.toFixed(1)} ms`);
      inProcess.push({ ...row, mode: `in-process, W=${depth}` });
    }
    const simText = table(
      ['link ms', 'W', 'offered tx/s', 'simulated s', 'committed tx/s', '× W=1', 'p50 ms', 'p99 ms', 'blocks'],
      sims.map((r) => {
        const base = sims.find((x) => x.link === r.link && x.pipeline === 1) as SimRow;
        return [r.link, r.pipeline, r.offered, r.seconds, Math.round(r.txPerSec), (r.txPerSec / base.txPerSec).toFixed(2), r.p50.toFixed(0), r.p99.toFixed(0), r.blocks];
      }),
    );
    const processText = table(
      ['mode', 'tx/s', 'tx/CPU-s', 'p50 ms', 'p99 ms', 'runs tx/s'],
      inProcess.map((r) => [r.mode, Math.round(r.txPerSec), Math.round(r.txPerCpuSec), r.p50.toFixed(1), r.p99.toFixed(1), (r.runs ?? []).join(' ')]),
    );
    const summary = ratios.map((x) => `${x.link} ms links: W=${x.best} commits ${x.throughput.toFixed(1)}× W=1's tx/s, p99 at 70 % of W=1's capacity ${x.p99.toFixed(2)}× W=1's`).join('; ');
    return {
      text:
        `${simText}\n(simulated: virtual time, n = 4, no faults, open-loop signed load; tx/s: what replica 0 committed between its first commit and the end of the load, per simulated second; rows at 1.3 × W × W=1's rate measure capacity, the last two per link the latency at 70 % of W=1's capacity. ${summary})\n\n` +
        `${processText}\n(in-process: wall clock, n = 4 in one thread, ${blocks} blocks of ${BLOCK_TXS}, W blocks submitted at once, median of ${ctx.quick ? 1 : ctx.runs} run(s))`,
      results: { simulated: sims, ratios, inProcess },
    };
  },
};

export default suite;
