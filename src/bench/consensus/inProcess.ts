import {
  type Application,
  MessageType,
  persistOps,
  type Ready,
  recipients,
  Replica,
  type SignatureScheme,
  type Signer,
  type Verifier,
  wasmEd25519Verifier,
  wasmHybridSigner,
  wasmHybridVerifier,
} from '../../consensus/index.js';
import { nodeEd25519Signer, nodeEd25519Verifier, nodeSha256 } from '../../node/index.js';
import { createPool, type Pool } from '../../pool/index.js';
import { ed25519 } from '../../sig/index.js';
import { MemoryStorage } from '../../storage/index.js';
import { parseTransaction, type SignatureItem, signatureItem, signTransaction, transactionLength } from '../../tx/index.js';

export const TX_BYTES = 256;
export const CHAIN_ID = 'bench';
/** Payload bytes that make a signed transaction TX_BYTES long on a chain id of `chainLength` bytes. */
export const payloadFor = (chainLength: number) => TX_BYTES - transactionLength(chainLength, 0);
export const BLOCK_TXS = 1000;
const CLIENTS = 1000;

type VerifierName = 'node:crypto' | 'wasm batch';

export interface Row {
  mode: string;
  verifier: VerifierName;
  /** The network's consensus signatures. */
  signatures: SignatureScheme;
  n: number;
  fastPath: boolean;
  txPerSec: number;
  /** Transactions per second of this process's CPU time: robust to other load on the machine. */
  txPerCpuSec: number;
  p50: number;
  p99: number;
  messagesPerBlock: number;
  /** Signatures verified per block, by the replicas and (with a pool) by the host for them. */
  verificationsPerBlock: number;
  fastCommits: number;
  blocks: number;
  /** Transactions per block (the replicas' batch size). */
  blockTxs: number;
  /** tx/s of each run, where the row is the median of several (in-process rows). */
  runs?: number[];
  /** Bytes of one PREPARE or COMMIT frame (the two are the same size), of a commit certificate (its vote frames, mean over the blocks), and of all frames sent per block. */
  voteBytes: number;
  certificateBytes: number;
  frameBytesPerBlock: number;
}

export interface InProcessOptions {
  n: number;
  fastPath: boolean;
  blocks: number;
  verifier: VerifierName;
  /** The consensus signatures (default 'ed25519'); 'ed25519+mldsa65' runs on the WASM hybrid signer and verifier. */
  signatures?: SignatureScheme;
  /** Write every persist to a MemoryStorage before sending. */
  persist?: boolean;
  /** Verify each replica's incoming transactions on a worker pool of this many threads (the node runtime's way). */
  poolThreads?: number;
  /** Signed transactions per block (`signedBlocks(blocks + 1)`); signed here when absent. */
  batches?: Uint8Array[][];
  /**
   * With a pool: verify the next block's transactions while this one is ordered (what a node
   * admitting continuously does; latency then spans about two blocks).
   */
  pipeline?: boolean;
  /**
   * The replicas' pipeline depth W (`config.pipeline`, default 1). Above 1 the transactions of W
   * blocks are submitted at once (no pool), and each block's latency runs from then to its commit.
   */
  depth?: number;
}

/** The benchmark's application: counts transactions, so consensus cost is what is measured. */
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
    scheme: inner.scheme,
    verifyBatch: (checks) => {
      counter.n += checks.length;
      return inner.verifyBatch(checks);
    },
  };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/** `count` blocks of 1,000 transactions from 1,000 accounts, 256 bytes each, signed (block b has nonce b + 1). */
export function signedBlocks(count: number): Uint8Array[][] {
  const payload = new Uint8Array(payloadFor(CHAIN_ID.length)).fill(7);
  const accounts = Array.from({ length: CLIENTS }, (_, c) => ed25519.generateKeyPair(nodeSha256(new TextEncoder().encode(`bench/client/${c}`))));
  return Array.from({ length: count }, (_, b) =>
    Array.from({ length: BLOCK_TXS }, (_, c) => signTransaction({ chainId: CHAIN_ID, nonce: b + 1, payload }, accounts[c % CLIENTS]).bytes),
  );
}

/** The pool's verdict on one replica's copy of a block's transactions: the valid ones, host-verified. */
async function poolVerified(pool: Pool, txs: Uint8Array[]): Promise<Uint8Array[]> {
  // As a node would: decode for the chain first, then verify what decodes.
  for (const bytes of txs) parseTransaction(bytes, 64 * 1024, CHAIN_ID);
  const ok = await pool.verifyBatch(txs.map((bytes) => signatureItem(bytes) as SignatureItem));
  return txs.filter((_, i) => ok[i]);
}

/**
 * (a) All n replicas in this process with real Ed25519 on every protocol message and every
 * client transaction verified by every replica. Closed loop: the signed transactions of one block
 * go to every replica, frames are delivered in rounds (each replica verifies one round's frames
 * in one batch) until every replica committed; latency is from the block's submission to the last
 * replica's commit. With `persist`, every Ready's persist is encoded as checksummed records and
 * written to a `MemoryStorage` per replica before its messages go out. With `poolThreads`, the
 * host verifies each replica's copy of the transactions on a worker pool (n batches per block,
 * spread over the threads) and hands them in as `verified`.
 */
export async function inProcess(o: InProcessOptions): Promise<Row> {
  const { n, fastPath, blocks, verifier } = o;
  const signatures = o.signatures ?? 'ed25519';
  const batches = o.batches ?? signedBlocks(blocks + 1);
  const seed = (text: string) => nodeSha256(new TextEncoder().encode(text));
  const signers: Signer[] = Array.from({ length: n }, (_, i) => (signatures === 'ed25519' ? nodeEd25519Signer(seed(`bench/${i}`)) : wasmHybridSigner(seed(`bench/${i}`), seed(`bench/${i}/mldsa65`))));
  const validators = signers.map((s) => s.publicKey);
  const verified = { n: 0 };
  const txVerifier = () => countingVerifier(verifier === 'node:crypto' ? nodeEd25519Verifier() : wasmEd25519Verifier(), verified);
  const replicas = signers.map(
    (signer, id) =>
      new Replica({
        chainId: CHAIN_ID,
        id,
        validators,
        signatures,
        signer,
        // Transactions are Ed25519 on every network; a hybrid network's frames go to the hybrid verifier.
        ...(signatures === 'ed25519' ? { verifier: txVerifier() } : { verifier: countingVerifier(wasmHybridVerifier(), verified), txVerifier: txVerifier() }),
        hash: nodeSha256,
        application: new Counter(),
        batchSize: batches[0].length,
        checkpointInterval: 64,
        fastPath,
        pipeline: o.depth ?? 1,
      }),
  );
  const pool = o.poolThreads ? createPool({ threads: o.poolThreads }) : null;
  let queue: { to: number; bytes: Uint8Array }[] = [];
  let messages = 0;
  let frameBytes = 0;
  let voteBytes = 0;
  let certificates = 0;
  let certificateBytes = 0;
  let fastCommits = 0;
  const latencies: number[] = [];
  const clock = () => performance.now();
  const disks = replicas.map(() => new MemoryStorage());
  const committedAt: number[] = [];
  const collect = (from: number, out: Ready) => {
    if (o.persist && out.persist) void disks[from].write(persistOps(out.persist));
    for (const m of out.messages) {
      if (m.bytes[1] === MessageType.Prepare || m.bytes[1] === MessageType.Commit) voteBytes = m.bytes.length;
      for (const to of recipients(m.to, from, n)) queue.push({ to, bytes: m.bytes });
    }
    if (from === 0) {
      for (const c of out.committed) {
        committedAt[c.height] = clock();
        if (c.via === 'fast') fastCommits++;
        certificates++;
        for (const frame of c.cert) certificateBytes += frame.length;
      }
    }
  };
  const submittedAt: number[] = [];
  const admitted = (height: number): Promise<Uint8Array[][]> => {
    submittedAt[height] = clock();
    const txs = batches[height - 1];
    if (!pool || height > batches.length) return Promise.resolve(replicas.map(() => txs));
    verified.n += n * txs.length;
    return Promise.all(replicas.map(() => poolVerified(pool, txs)));
  };
  let next = admitted(1);
  /** Delivers frames round by round (ticking when none is left) until every replica committed `height`. */
  const settle = async (height: number) => {
    while (!replicas.every((r) => r.status().height >= height)) {
      if (queue.length === 0) {
        for (let i = 0; i < n; i++) collect(i, replicas[i].step({ type: 'tick', now: clock() }));
        continue;
      }
      const round = queue;
      queue = [];
      messages += round.length;
      for (const m of round) frameBytes += m.bytes.length;
      const byReplica: Uint8Array[][] = Array.from({ length: n }, () => []);
      for (const m of round) byReplica[m.to].push(m.bytes);
      for (let i = 0; i < n; i++) if (byReplica[i].length) collect(i, replicas[i].step({ type: 'messages', messages: byReplica[i] }));
      // Lets the pool's results for the next block come in while the rounds go on.
      if (o.pipeline) await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const runBlock = async (height: number) => {
    const perReplica = await next;
    const following = () => (height < batches.length ? admitted(height + 1) : Promise.resolve([]));
    if (o.pipeline) next = following(); // verified while this block is ordered
    for (let i = 0; i < n; i++) collect(i, replicas[i].step({ type: 'requests', requests: perReplica[i], verified: pool !== null }));
    await settle(height);
    latencies.push(clock() - submittedAt[height]);
    if (!o.pipeline) next = following(); // submitted once this block committed
  };
  /** Blocks `first` … `last` submitted at once, for a pipelined primary to propose together. */
  const runGroup = async (first: number, last: number) => {
    if (first === last) return runBlock(first);
    for (let h = first; h <= last; h++) submittedAt[h] = clock();
    const txs = batches.slice(first - 1, last).flat();
    for (let i = 0; i < n; i++) collect(i, replicas[i].step({ type: 'requests', requests: txs }));
    await settle(last);
    for (let h = first; h <= last; h++) latencies.push(committedAt[h] - submittedAt[h]);
  };
  await runBlock(1); // warm-up: JIT, key objects, the pool's workers
  messages = 0;
  frameBytes = 0;
  certificates = 0;
  certificateBytes = 0;
  verified.n = pool ? n * batches[1].length : 0; // the pool verified block 2 during the warm-up
  fastCommits = 0;
  latencies.length = 0;
  const t0 = clock();
  const cpu0 = process.cpuUsage();
  const depth = o.depth ?? 1;
  for (let h = 2; h <= blocks + 1; h += depth) await runGroup(h, Math.min(h + depth - 1, blocks + 1));
  const seconds = (clock() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await pool?.close();
  return {
    mode: `${pool ? `in-process, pool ${o.poolThreads} threads${o.pipeline ? ', pipelined' : ''}` : 'in-process'}${o.persist ? ' + storage' : ''}${(o.depth ?? 1) > 1 ? `, W=${o.depth}` : ''}`,
    verifier,
    signatures,
    n,
    fastPath,
    txPerSec: (blocks * batches[0].length) / seconds,
    txPerCpuSec: (blocks * batches[0].length) / ((cpu.user + cpu.system) / 1e6),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    messagesPerBlock: messages / blocks,
    verificationsPerBlock: verified.n / blocks,
    fastCommits,
    blocks,
    blockTxs: batches[0].length,
    voteBytes,
    certificateBytes: certificateBytes / Math.max(1, certificates),
    frameBytesPerBlock: frameBytes / blocks,
  };
}
