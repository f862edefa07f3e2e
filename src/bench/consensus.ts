import { type SignatureScheme, schemeFormat, voteFrameBytes } from '../consensus/index.js';
import { SIM_CHAIN_ID, simulate } from '../sim/index.js';
import { commitProofRate } from './commitProof.js';
import { admissionCost, verifyRate } from './consensus/admission.js';
import { BLOCK_TXS, type InProcessOptions, payloadFor, percentile, type Row, signedBlocks, TX_BYTES } from './consensus/inProcess.js';
import { isolated, medianRun } from './consensus/isolated.js';
import { table } from './harness.js';
import type { BenchContext, BenchReport, BenchSuite } from './suite.js';

const POOL_THREADS = 2;

/**
 * (b) The same replicas in the simulator: 10 ms ± exponential jitter links, simulated time, an
 * open-loop load of `rate` signed tx/s. Above capacity the committed rate is the throughput
 * (latency then only measures the growing queue); below it, latency is the commit latency.
 */
function simulated(n: number, fastPath: boolean, seconds: number, rate: number): Row {
  const r = simulate({
    seed: 1,
    replicas: n,
    byzantine: 0,
    faults: [],
    duration: seconds,
    link: { latency: 10, jitter: 2 },
    load: { rate, payloadBytes: payloadFor(SIM_CHAIN_ID.length) },
    // One slot in flight, as the in-process rows: `bench pipeline` measures the depths.
    replica: { batchSize: BLOCK_TXS, batchTimeout: 5, checkpointInterval: 64, fastPath, viewChangeTimeout: 5000, pipeline: 1 },
  });
  return {
    mode: `simulated ${rate / 1000}k/s`,
    verifier: 'wasm batch',
    signatures: 'ed25519',
    n,
    fastPath,
    txPerSec: r.committedTxs / seconds,
    txPerCpuSec: Number.NaN,
    p50: percentile(r.latencies, 50),
    p99: percentile(r.latencies, 99),
    messagesPerBlock: r.messages / Math.max(1, r.committedBlocks),
    verificationsPerBlock: r.verified / Math.max(1, r.committedBlocks),
    fastCommits: Number.NaN,
    blocks: r.committedBlocks,
    blockTxs: BLOCK_TXS,
    voteBytes: voteFrameBytes(schemeFormat('ed25519')),
    certificateBytes: Number.NaN,
    frameBytesPerBlock: Number.NaN,
  };
}

const HYBRID: SignatureScheme = 'ed25519+mldsa65';
/** How the signatures column names a scheme. */
const SCHEME_LABEL: Record<SignatureScheme, string> = { ed25519: 'Ed25519', 'ed25519+mldsa65': 'Ed25519+ML-DSA-65' };

/** Bytes as a short figure: 112, 3.4 K, 1.2 M. */
function bytes(value: number): string {
  if (Number.isNaN(value)) return '-';
  return value < 1000 ? String(Math.round(value)) : value < 1e6 ? `${(value / 1000).toFixed(1)} K` : `${(value / 1e6).toFixed(2)} M`;
}

const suite: BenchSuite = {
  name: 'consensus',
  description: `PBFT with real Ed25519 (or Ed25519 + ML-DSA-65) on every message and real Ed25519 on every client-signed transaction: ${TX_BYTES}-byte transactions, blocks of ${BLOCK_TXS}, n = 4, 7, 10`,
  async run(ctx: BenchContext): Promise<BenchReport> {
    const rows: (Row & { ceiling: number })[] = [];
    const blocksFor = (n: number) => (ctx.quick ? 3 : n === 4 ? 20 : 10);
    // One in-process run moves by ±10 % from scheduling alone: each row is the median of
    // `--runs` (default 5), each run in a fresh worker (in one heap, later runs measured up to 20 % slower).
    const runs = ctx.quick ? 1 : ctx.runs;
    const batches = signedBlocks(blocksFor(4) + 1);
    const rate = verifyRate(batches[0], ctx.quick ? 3 : 7);
    ctx.progress(`  ed25519.verifyBatch of ${BLOCK_TXS} distinct keys: ${Math.round(rate)} sig/s on one thread`);
    const cost = admissionCost(batches, ctx.quick ? 3 : 9);
    ctx.progress(`  admission: ${cost.verifying.toFixed(1)} µs/tx verifying in the step, ${cost.preverified.toFixed(1)} µs/tx with verified: true`);
    // A quick look measures n = 4 only, and no load above the simulator's capacity.
    const sizes = ctx.quick ? [4] : [4, 7, 10];
    const proofs = sizes.flatMap((n) =>
      (['ed25519', HYBRID] as const).map((signatures) => ({ n, signatures, slow: commitProofRate(n, BLOCK_TXS, false, ctx.quick, signatures), fast: commitProofRate(n, BLOCK_TXS, true, ctx.quick, signatures) })),
    );
    for (const p of proofs) {
      ctx.progress(`  verifyCommitProof, block of ${BLOCK_TXS}, n=${p.n}, ${SCHEME_LABEL[p.signatures]}: ${Math.round(p.slow.proofsPerSec)}/s slow path (${p.slow.bytes} B), ${Math.round(p.fast.proofsPerSec)}/s fast path (${p.fast.bytes} B)`);
    }
    // Pool rows order blocks of 500: the same transactions, half the commit latency (p99 ≤ 100 ms at n = 4).
    const halves = batches.flatMap((b) => [b.slice(0, BLOCK_TXS / 2), b.slice(BLOCK_TXS / 2)]);
    const measure = async (o: Omit<InProcessOptions, 'batches' | 'blocks'>) => {
      const blocks = blocksFor(o.n) * (o.poolThreads ? 2 : 1);
      const row = await medianRun(runs, () => isolated({ ...o, blocks, batches: (o.poolThreads ? halves : batches).slice(0, blocks + 1) }));
      // Every replica verifies every transaction once: n verifications per transaction.
      const ceiling = (rate * (o.poolThreads ?? 1)) / o.n;
      ctx.progress(`  ${row.mode} n=${o.n} fast=${o.fastPath} ${o.verifier} ${SCHEME_LABEL[row.signatures]}: ${Math.round(row.txPerSec)} tx/s (ceiling ${Math.round(ceiling)}), p99 ${row.p99.toFixed(1)} ms`);
      rows.push({ ...row, ceiling });
    };
    for (const n of sizes) {
      await measure({ n, fastPath: true, verifier: 'wasm batch' });
      await measure({ n, fastPath: true, verifier: 'wasm batch', signatures: HYBRID });
      await measure({ n, fastPath: false, verifier: 'wasm batch' });
      await measure({ n, fastPath: false, verifier: 'wasm batch', signatures: HYBRID });
      await measure({ n, fastPath: true, verifier: 'node:crypto' });
      await measure({ n, fastPath: true, verifier: 'wasm batch', poolThreads: POOL_THREADS });
      if (n === 4) await measure({ n, fastPath: true, verifier: 'wasm batch', poolThreads: POOL_THREADS, signatures: HYBRID });
    }
    await measure({ n: 4, fastPath: true, verifier: 'wasm batch', persist: true });
    await measure({ n: 4, fastPath: true, verifier: 'wasm batch', persist: true, signatures: HYBRID });
    // Simulated time does not see signature cost, so the simulated rows are Ed25519 only (a hybrid
    // run commits the same blocks at the same simulated times).
    for (const [n, fastPath, offered, seconds] of [
      [4, true, 80_000, 0.5],
      [4, false, 80_000, 0.5],
      [4, true, 10_000, 1],
      [4, false, 10_000, 1],
      [7, true, 10_000, 1],
      [10, true, 10_000, 1],
    ] as const) {
      if (ctx.quick && (n !== 4 || offered > 20_000)) continue;
      const row = simulated(n, fastPath, ctx.quick ? 0.3 : seconds, offered);
      ctx.progress(`  simulated n=${n} fast=${fastPath} offered ${offered}/s: ${Math.round(row.txPerSec)} tx/s (simulated time), p99 ${row.p99.toFixed(1)} ms`);
      rows.push({ ...row, ceiling: Number.NaN });
    }
    const text = table(
      ['mode', 'verifier', 'signatures', 'n', 'fast path', 'tx/s', 'ceiling', '% of it', 'tx/CPU-s', 'p50 ms', 'p99 ms', 'msgs/block', 'sig verifies/block', 'vote B', 'cert B', 'frames B/block', 'blocks', 'txs/block'],
      rows.map((r) => [
        r.mode,
        r.verifier,
        SCHEME_LABEL[r.signatures],
        r.n,
        r.fastPath ? 'on' : 'off',
        Math.round(r.txPerSec),
        Number.isNaN(r.ceiling) ? '-' : Math.round(r.ceiling),
        Number.isNaN(r.ceiling) ? '-' : `${Math.round((100 * r.txPerSec) / r.ceiling)} %`,
        Number.isNaN(r.txPerCpuSec) ? '-' : Math.round(r.txPerCpuSec),
        r.p50.toFixed(1),
        r.p99.toFixed(1),
        r.messagesPerBlock.toFixed(1),
        r.verificationsPerBlock.toFixed(1),
        bytes(r.voteBytes),
        bytes(r.certificateBytes),
        bytes(r.frameBytesPerBlock),
        r.blocks,
        r.blockTxs,
      ]),
    );
    return {
      text:
        `${text}\n(ceiling: ed25519.verifyBatch measured at ${Math.round(rate)} sig/s per thread × threads ÷ n, since every replica verifies every transaction once. ` +
        `admission: ${cost.verifying.toFixed(1)} µs/tx verifying in the step, ${cost.preverified.toFixed(1)} µs/tx when the host verified them. ` +
        `verifyCommitProof for a block of ${BLOCK_TXS}: ${proofs.map((p) => `n=${p.n} ${SCHEME_LABEL[p.signatures]} ${Math.round(p.slow.proofsPerSec)}/s slow (${p.slow.bytes} B), ${Math.round(p.fast.proofsPerSec)}/s fast (${p.fast.bytes} B)`).join('; ')}. ` +
        'Ed25519+ML-DSA-65: every protocol message signed with both (one Ed25519 and one ML-DSA-65 batch per step), transactions Ed25519; vote B: one PREPARE or COMMIT frame, cert B: a commit certificate, frames B/block: every frame sent per block. ' +
        `in-process: wall clock, all replicas in one thread (pool rows: plus ${POOL_THREADS} verifier workers, blocks of ${BLOCK_TXS / 2}), the median of ${runs} run(s) by tx/s, each in a fresh worker thread; ` +
        '+ storage: every persist written as records to a MemoryStorage. simulated: virtual time, 10 ms ± jitter links, open-loop load (80k/s: above capacity, tx/s is the throughput; 10k/s: p50/p99 are commit latencies))',
      results: { verifyRate: rate, admission: cost, commitProofs: proofs, rows },
    };
  },
};

export default suite;
