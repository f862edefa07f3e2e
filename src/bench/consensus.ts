import { Worker } from 'node:worker_threads';
import { persistOps, recipients, Replica, type Application, type Verifier, wasmEd25519Verifier } from '../consensus/index.js';
import { nodeEd25519Signer, nodeEd25519Verifier, nodeSha256 } from '../node/index.js';
import { simulate } from '../sim/index.js';
import { ed25519 } from '../sig/index.js';
import { MemoryStorage } from '../storage/index.js';
import { signTransaction } from '../tx/index.js';
import { table } from './harness.js';
import type { BenchContext, BenchReport, BenchSuite } from './suite.js';

const TX_BYTES = 256;
const CHAIN_ID = 'bench';
/** Bytes of a signed transaction around its payload on chain `bench`. */
const TX_OVERHEAD = 110 + CHAIN_ID.length;
const BLOCK_TXS = 1000;
const CLIENTS = 1000;

/** The benchmark's application: counts requests, so consensus cost is what is measured. */
class Counter implements Application {
  private count = 0;
  execute(): Uint8Array {
    this.count++;
    return new Uint8Array(0);
  }
  snapshot(): Uint8Array {
    return new TextEncoder().encode(String(this.count));
  }
  restore(s: Uint8Array): void {
    this.count = Number(new TextDecoder().decode(s));
  }
}

/** Counts what the replicas verify, so signatures per block can be reported. */
function countingVerifier(inner: Verifier, counter: { n: number }): Verifier {
  return {
    verifyBatch: (checks) => {
      counter.n += checks.length;
      return inner.verifyBatch(checks);
    },
  };
}

export type VerifierName = 'node:crypto' | 'wasm batch';

interface Row {
  mode: string;
  verifier: VerifierName;
  n: number;
  fastPath: boolean;
  txPerSec: number;
  /** Transactions per second of this process's CPU time: robust to other load on the machine. */
  txPerCpuSec: number;
  p50: number;
  p99: number;
  messagesPerBlock: number;
  verificationsPerBlock: number;
  fastCommits: number;
  blocks: number;
  /** tx/s of each run, where the row is the median of several (in-process rows). */
  runs?: number[];
}

/** `inProcess` in a fresh worker thread (see consensusRun.ts). */
function isolated(n: number, fastPath: boolean, blocks: number, verifier: VerifierName, persist = false): Promise<Row> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./consensusRun.js', import.meta.url), { workerData: { n, fastPath, blocks, verifier, persist } });
    worker.once('message', (row: Row) => void worker.terminate().then(() => resolve(row)));
    worker.once('error', reject);
  });
}

/** Runs `once` `count` times and returns the run of median throughput, with every run's tx/s. */
async function medianRun(count: number, once: () => Promise<Row>): Promise<Row> {
  const rows: Row[] = [];
  for (let i = 0; i < count; i++) rows.push(await once());
  const sorted = [...rows].sort((a, b) => a.txPerSec - b.txPerSec);
  return { ...sorted[Math.floor((count - 1) / 2)], runs: rows.map((r) => Math.round(r.txPerSec)) };
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/**
 * (a) All n replicas in this process with real Ed25519 on every protocol message. Closed loop:
 * the requests of one block go to every replica, frames are delivered in rounds (each replica
 * verifies one round's frames in one batch) until every replica committed; latency is from the
 * first request of the block to the last replica's commit. With `persist`, every Ready's persist
 * is encoded as checksummed records and written to a `MemoryStorage` per replica before its
 * messages go out: the cost of durable state minus the disk itself.
 */
export function inProcess(n: number, fastPath: boolean, blocks: number, verifier: VerifierName = 'node:crypto', persist = false): Row {
  const signers = Array.from({ length: n }, (_, i) => nodeEd25519Signer(nodeSha256(new TextEncoder().encode(`bench/${i}`))));
  const validators = signers.map((s) => s.publicKey);
  const verified = { n: 0 };
  const replicas = signers.map(
    (signer, id) =>
      new Replica({
        chainId: CHAIN_ID,
        id,
        validators,
        signer,
        verifier: countingVerifier(verifier === 'node:crypto' ? nodeEd25519Verifier() : wasmEd25519Verifier(), verified),
        hash: nodeSha256,
        application: new Counter(),
        batchSize: BLOCK_TXS,
        checkpointInterval: 64,
        fastPath,
      }),
  );
  const payload = new Uint8Array(TX_BYTES - TX_OVERHEAD).fill(7);
  const accounts = Array.from({ length: CLIENTS }, (_, c) => ed25519.generateKeyPair(nodeSha256(new TextEncoder().encode(`bench/client/${c}`))));
  let queue: { to: number; bytes: Uint8Array }[] = [];
  let messages = 0;
  let fastCommits = 0;
  const latencies: number[] = [];
  const clock = () => performance.now();
  const disks = replicas.map(() => new MemoryStorage());
  const collect = (from: number, out: ReturnType<Replica['step']>) => {
    if (persist && out.persist) void disks[from].write(persistOps(out.persist));
    for (const m of out.messages) for (const to of recipients(m.to, from, n)) queue.push({ to, bytes: m.bytes });
    if (from === 0) for (const c of out.committed) if (c.via === 'fast') fastCommits++;
  };
  // Clients sign their own transactions: done before timing, so the figures are the replicas' work.
  const batches = Array.from({ length: blocks + 1 }, (_, b) =>
    Array.from({ length: BLOCK_TXS }, (_, c) => signTransaction({ chainId: CHAIN_ID, nonce: b + 1, payload }, accounts[c % CLIENTS]).bytes),
  );
  const runBlock = (height: number) => {
    const start = clock();
    const requests = batches[height - 1];
    for (let i = 0; i < n; i++) collect(i, replicas[i].step({ type: 'requests', requests }));
    while (!replicas.every((r) => r.status().height >= height)) {
      if (queue.length === 0) {
        for (let i = 0; i < n; i++) collect(i, replicas[i].step({ type: 'tick', now: clock() }));
        continue;
      }
      const round = queue;
      queue = [];
      messages += round.length;
      const byReplica: Uint8Array[][] = Array.from({ length: n }, () => []);
      for (const m of round) byReplica[m.to].push(m.bytes);
      for (let i = 0; i < n; i++) if (byReplica[i].length) collect(i, replicas[i].step({ type: 'messages', messages: byReplica[i] }));
    }
    latencies.push(clock() - start);
  };
  runBlock(1); // warm-up: JIT and key objects
  messages = 0;
  verified.n = 0;
  fastCommits = 0;
  latencies.length = 0;
  const t0 = clock();
  const cpu0 = process.cpuUsage();
  for (let h = 2; h <= blocks + 1; h++) runBlock(h);
  const seconds = (clock() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    mode: persist ? 'in-process + storage' : 'in-process',
    verifier,
    n,
    fastPath,
    txPerSec: (blocks * BLOCK_TXS) / seconds,
    txPerCpuSec: (blocks * BLOCK_TXS) / cpuSeconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    messagesPerBlock: messages / blocks,
    verificationsPerBlock: verified.n / blocks,
    fastCommits,
    blocks,
  };
}

/**
 * (b) The same replicas in the simulator: 10 ms ± exponential jitter links, simulated time, an
 * open-loop load of `rate` tx/s. Above capacity the committed rate is the throughput (latency then
 * only measures the growing queue); below it, latency is the commit latency.
 */
export function simulated(n: number, fastPath: boolean, seconds: number, rate: number): Row {
  const r = simulate({
    seed: 1,
    replicas: n,
    byzantine: 0,
    faults: [],
    duration: seconds,
    link: { latency: 10, jitter: 2 },
    load: { rate, payloadBytes: TX_BYTES - 110 - 'swarmguard-sim'.length },
    replica: { batchSize: BLOCK_TXS, batchTimeout: 5, checkpointInterval: 64, fastPath, viewChangeTimeout: 5000 },
  });
  return {
    mode: `simulated ${rate / 1000}k/s`,
    verifier: 'wasm batch',
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
  };
}

const suite: BenchSuite = {
  name: 'consensus',
  description: `PBFT with real Ed25519 (node:crypto): ${TX_BYTES}-byte transactions, blocks of ${BLOCK_TXS}, n = 4, 7, 10, fast path on/off`,
  async run(ctx: BenchContext): Promise<BenchReport> {
    const rows: Row[] = [];
    const blocks = ctx.quick ? 4 : 30;
    // One in-process run moves by ±10 % from scheduling alone: each row is the median of five, each
    // run in a fresh worker (in one heap, later runs measured up to 20 % slower).
    const runs = ctx.quick ? 1 : 5;
    for (const n of [4, 7, 10]) {
      for (const [fastPath, verifier] of [
        [true, 'node:crypto'],
        [false, 'node:crypto'],
        [true, 'wasm batch'],
      ] as const) {
        const row = await medianRun(runs, () => isolated(n, fastPath, n === 10 && !ctx.quick ? 20 : blocks, verifier));
        ctx.progress(`  in-process n=${n} fast=${fastPath} ${verifier}: ${Math.round(row.txPerSec)} tx/s, p99 ${row.p99.toFixed(1)} ms`);
        rows.push(row);
      }
    }
    const stored = await medianRun(runs, () => isolated(4, true, blocks, 'wasm batch', true));
    ctx.progress(`  in-process + storage n=4 fast=true wasm batch: ${Math.round(stored.txPerSec)} tx/s, p99 ${stored.p99.toFixed(1)} ms`);
    rows.push(stored);
    for (const n of [4, 7, 10]) {
      for (const fastPath of [true, false]) {
        for (const rate of [80_000, 10_000]) {
          const row = simulated(n, fastPath, ctx.quick ? 0.5 : rate > 20_000 ? 1 : 2, rate);
          ctx.progress(`  simulated n=${n} fast=${fastPath} offered ${rate}/s: ${Math.round(row.txPerSec)} tx/s (simulated time), p99 ${row.p99.toFixed(1)} ms`);
          rows.push(row);
        }
      }
    }
    const text = table(
      ['mode', 'verifier', 'n', 'fast path', 'tx/s', 'tx/CPU-s', 'p50 ms', 'p99 ms', 'msgs/block', 'sig verifies/block', 'blocks'],
      rows.map((r) => [
        r.mode,
        r.verifier,
        r.n,
        r.fastPath ? 'on' : 'off',
        Math.round(r.txPerSec),
        Number.isNaN(r.txPerCpuSec) ? '-' : Math.round(r.txPerCpuSec),
        r.p50.toFixed(1),
        r.p99.toFixed(1),
        r.messagesPerBlock.toFixed(1),
        r.verificationsPerBlock.toFixed(1),
        r.blocks,
      ]),
    );
    return {
      text: `${text}\n(in-process: wall clock on this machine, all replicas on one core, the median of ${runs} run(s) by tx/s, each in a fresh worker thread; + storage: every persist written as records to a MemoryStorage. simulated: virtual time, 10 ms ± jitter links, open-loop load of 80k/s (above capacity: tx/s is the throughput) and 10k/s (below: p50/p99 are commit latencies))`,
      results: rows,
    };
  },
};

export default suite;
