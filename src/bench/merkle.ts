import { createHash, hash as nodeHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { MerkleTree, merkleRoot, type MerkleHash, verifyInclusion } from '../merkle/index.js';
import { createPool, type Pool } from '../pool/index.js';
import { optional } from './dependencies.js';
import { measure, median, table, timeRounds } from './harness.js';
import type { BenchContext, BenchReport, BenchSuite } from './suite.js';

interface WasmHasher {
  init(): WasmHasher;
  update(data: Uint8Array): WasmHasher;
  digest(format: 'binary'): Uint8Array;
}
interface HashWasm {
  createBLAKE3(): Promise<WasmHasher>;
  createSHA256(): Promise<WasmHasher>;
}
interface MerkleTreeJs {
  MerkleTree: new (leaves: Uint8Array[], hashFn: (d: Buffer) => Buffer, options?: { hashLeaves?: boolean }) => { getRoot(): Buffer };
}

const LEAF = Uint8Array.of(0);
const NODE = Uint8Array.of(1);
const pow = (n: number) => `2^${Math.log2(n)}`;

/**
 * Like `timeRounds`, also recording the process CPU time of each call (all threads): on a machine
 * shared with other work, CPU time of a single-threaded subject is steadier than its wall time.
 */
async function timeWithCpu(subjects: { name: string; fn: () => unknown }[], runs: number, progress: (line: string) => void) {
  const wall: number[][] = subjects.map(() => []);
  const cpu: number[][] = subjects.map(() => []);
  for (let round = 0; round < runs; round++) {
    for (let i = 0; i < subjects.length; i++) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await subjects[i].fn();
      wall[i].push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu[i].push((c.user + c.system) / 1000);
      progress(`  round ${round + 1}/${runs} ${subjects[i].name}: ${wall[i][round].toFixed(1)} ms wall, ${cpu[i][round].toFixed(1)} ms cpu`);
    }
  }
  return subjects.map((s, i) => ({ name: s.name, ms: median(wall[i]), cpuMs: median(cpu[i]), runs: wall[i] }));
}

/** Starts every worker's WASM before timing: one batch with a shard per thread and more. */
async function warmUp(pool: Pool): Promise<void> {
  await pool.sha256Many(Array.from({ length: pool.threads * 2048 }, () => new Uint8Array(256)));
}

/** `count` random 32-byte leaves as views of one buffer. */
function randomLeaves(count: number): Uint8Array[] {
  const buf = new Uint8Array(count * 32);
  for (let i = 0; i < buf.length; i += 65536) crypto.getRandomValues(buf.subarray(i, Math.min(buf.length, i + 65536)));
  return Array.from({ length: count }, (_, i) => buf.subarray(i * 32, i * 32 + 32));
}

/** RFC 9162 root with one hash call per node, level by level: what a straightforward JS tree does. */
function naiveRoot(leaves: readonly Uint8Array[], hash: (...parts: Uint8Array[]) => Uint8Array): Uint8Array {
  let level = leaves.map((l) => hash(LEAF, l));
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(hash(NODE, level[i], level[i + 1]));
    if (level.length % 2 === 1) next.push(level[level.length - 1]);
    level = next;
  }
  return level[0];
}

const joined = new Uint8Array(65);
/** `crypto.hash` of the parts copied into one buffer (the fastest one-call form node:crypto offers). */
function nodeSha256(...parts: Uint8Array[]): Uint8Array {
  let at = 0;
  for (const p of parts) {
    joined.set(p, at);
    at += p.length;
  }
  return nodeHash('sha256', joined.subarray(0, at), 'buffer');
}

function wasmHasher(h: WasmHasher) {
  return (...parts: Uint8Array[]) => {
    h.init();
    for (const p of parts) h.update(p);
    return h.digest('binary');
  };
}

async function roots(context: BenchContext, threads: number) {
  const sizes = context.quick ? [2 ** 12, 2 ** 14] : [2 ** 16, 2 ** 20];
  const hw = await optional<HashWasm>('hash-wasm', context.progress);
  const mtjs = await optional<MerkleTreeJs>('merkletreejs', context.progress);
  const hwSha = hw ? wasmHasher(await hw.createSHA256()) : undefined;
  const hwB3 = hw ? wasmHasher(await hw.createBLAKE3()) : undefined;
  const pool = createPool({ threads });
  const rows: (string | number)[][] = [];
  const results: unknown[] = [];
  try {
    await warmUp(pool);
    for (const size of sizes) {
      const leaves = randomLeaves(size);
      for (const hash of ['sha256', 'blake3'] as MerkleHash[]) {
        const subjects: { name: string; fn: () => unknown }[] = [
          { name: 'swarmguard simd', fn: () => merkleRoot(leaves, { hash, backend: 'simd' }) },
          { name: 'swarmguard scalar', fn: () => merkleRoot(leaves, { hash, backend: 'scalar' }) },
          { name: `swarmguard pool (${threads} threads)`, fn: () => pool.merkleRoot(leaves, { hash }) },
          { name: 'swarmguard MerkleTree.appendMany + root', fn: () => new MerkleTree({ hash }).appendMany(leaves) },
        ];
        if (hash === 'sha256') subjects.push({ name: 'node:crypto per node', fn: () => naiveRoot(leaves, nodeSha256) });
        const hwFn = hash === 'sha256' ? hwSha : hwB3;
        if (hwFn) subjects.push({ name: 'hash-wasm per node', fn: () => naiveRoot(leaves, hwFn) });
        if (mtjs && hash === 'sha256' && size <= 2 ** 16) {
          // Not RFC 9162 (no domain prefixes): timing of a popular JS tree only.
          subjects.push({ name: 'merkletreejs (sha256, not RFC 9162)', fn: () => new mtjs.MerkleTree(leaves, (d: Buffer) => createHash('sha256').update(d).digest(), { hashLeaves: true }).getRoot() });
        }
        context.progress(`root of ${pow(size)} leaves, ${hash}`);
        const timed = await timeWithCpu(subjects, size > 2 ** 16 ? Math.min(context.runs, 3) : context.runs, context.progress);
        const simd = timed[0].ms;
        for (const t of timed) {
          rows.push([pow(size), hash, t.name, t.ms.toFixed(1), t.cpuMs.toFixed(1), (t.ms / simd).toFixed(2)]);
          results.push({ size, hash, name: t.name, ms: t.ms, cpuMs: t.cpuMs, runs: t.runs });
        }
      }
    }
  } finally {
    await pool.close();
  }
  return { text: table(['leaves', 'hash', 'implementation', 'wall ms', 'cpu ms (all threads)', 'x simd wall'], rows), results };
}

async function appendRate(context: BenchContext) {
  const count = context.quick ? 2 ** 14 : 2 ** 20;
  const leaves = randomLeaves(count);
  const subjects = (['simd', 'scalar'] as const).flatMap((backend) =>
    (['sha256', 'blake3'] as const).map((hash) => ({
      name: `append() ${backend} ${hash}`,
      fn: () => {
        const t = new MerkleTree({ hash, backend });
        for (let i = 0; i < count; i++) t.append(leaves[i]);
        return t.root();
      },
    })),
  );
  context.progress(`append ${pow(count)} leaves one by one, then root()`);
  const timed = await timeRounds(subjects, { runs: Math.min(context.runs, 3), progress: context.progress });
  const results = timed.map((t) => ({ name: t.name, leavesPerSec: count / (t.ms / 1000), runs: t.runs }));
  return { text: table(['append 32-byte leaves', 'M leaves/s'], results.map((r) => [r.name, (r.leavesPerSec / 1e6).toFixed(2)])), results };
}

async function updatesAndProofs(context: BenchContext) {
  const size = context.quick ? 2 ** 14 : 2 ** 20;
  const leaves = randomLeaves(size);
  const fresh = randomLeaves(1000);
  const rows: (string | number)[][] = [];
  const results: unknown[] = [];
  for (const hash of ['sha256', 'blake3'] as const) {
    const tree = new MerkleTree({ hash });
    tree.appendMany(leaves);
    tree.root();
    const indices = Array.from({ length: 1000 }, () => Math.floor(Math.random() * size));
    const entries = indices.map((index, i): [number, Uint8Array] => [index, fresh[i]]);
    context.progress(`updates and proofs on a ${pow(size)}-leaf tree, ${hash}`);
    const updates = [
      { name: '1,000 single update()', fn: () => indices.forEach((index, i) => tree.update(index, fresh[i])) },
      { name: 'updateMany of 1,000', fn: () => tree.updateMany(entries) },
      { name: 'updateMany of 1,000 + root()', fn: () => (tree.updateMany(entries), tree.root()) },
    ];
    // One untimed call each, so the rounds measure optimized code.
    for (const u of updates) u.fn();
    const timed = await timeRounds(updates, { runs: context.runs, progress: context.progress });
    rows.push([hash, '1 update()', `${((timed[0].ms / 1000) * 1000).toFixed(2)} µs`]);
    rows.push([hash, 'updateMany(1,000)', `${timed[1].ms.toFixed(2)} ms`]);
    rows.push([hash, 'updateMany(1,000) + root()', `${timed[2].ms.toFixed(2)} ms`]);
    const root = tree.root();
    let k = 0;
    const proofs = indices.map((i) => tree.prove(i));
    const current = new Map<number, Uint8Array>(entries);
    const checks = indices.map((i, j) => ({ leaf: current.get(i) ?? leaves[i], proof: proofs[j] }));
    const measured = measure(
      [
        { name: 'prove()', fn: () => tree.prove(indices[k++ % 1000]) },
        { name: 'verifyInclusion()', fn: () => { const c = checks[k++ % 1000]; return verifyInclusion(c.proof, c.leaf, root); } },
        { name: 'proveConsistency()', fn: () => tree.proveConsistency(1 + (indices[k++ % 1000] % (size - 1))) },
      ],
      context,
    );
    if (!checks.every((c) => verifyInclusion(c.proof, c.leaf, root))) throw new Error('bench proofs do not verify');
    for (const m of measured) rows.push([hash, m.name, `${(m.hz / 1000).toFixed(1)} k/s`]);
    results.push({ hash, size, updates: timed, proofs: measured });
  }
  return { text: table([`${pow(size)}-leaf tree`, 'operation', 'median'], rows), results };
}

async function poolScaling(context: BenchContext) {
  const size = context.quick ? 2 ** 15 : 2 ** 20;
  const leaves = randomLeaves(size);
  const max = Math.max(2, availableParallelism());
  const pools = Array.from({ length: max }, (_, i) => createPool({ threads: i + 1 }));
  const rows: (string | number)[][] = [];
  const results: unknown[] = [];
  try {
    for (const p of pools) await warmUp(p);
    for (const hash of ['sha256', 'blake3'] as const) {
      context.progress(`pool scaling, root of ${pow(size)} leaves, ${hash}`);
      const timed = await timeRounds(
        [{ name: 'inline (no pool)', fn: () => merkleRoot(leaves, { hash }) }, ...pools.map((p) => ({ name: `pool ${p.threads} thread(s)`, fn: () => p.merkleRoot(leaves, { hash }) }))],
        { runs: Math.min(context.runs, 3), progress: context.progress },
      );
      for (const t of timed) rows.push([hash, t.name, t.ms.toFixed(1), (timed[0].ms / t.ms).toFixed(2)]);
      results.push({ hash, size, timed });
    }
  } finally {
    await Promise.all(pools.map((p) => p.close()));
  }
  return { text: table([`root of ${pow(size)}`, 'threads', 'ms (median)', 'x inline'], rows), results };
}

/** A 2^24-leaf tree (full run only): build time, memory, a proof and an update. */
async function hugeTree(context: BenchContext) {
  const size = 2 ** 24;
  const chunk = 2 ** 16;
  const batch = randomLeaves(chunk);
  const tree = new MerkleTree({ hash: 'sha256' });
  context.progress(`building a ${pow(size)}-leaf sha256 tree`);
  const t0 = performance.now();
  for (let done = 0; done < size; done += chunk) {
    // Distinct leaves per chunk: stamp the chunk number into each.
    for (const leaf of batch) new DataView(leaf.buffer, leaf.byteOffset).setUint32(0, done / chunk);
    tree.appendMany(batch);
  }
  const root = tree.root();
  const buildMs = performance.now() - t0;
  const index = size - 12345;
  const proof = tree.prove(index);
  const ok = verifyInclusion(proof, batch[chunk - 12345], root);
  const t1 = performance.now();
  tree.update(index, 'changed');
  const updated = tree.root();
  const updateMs = performance.now() - t1;
  const rss = process.memoryUsage().rss / 2 ** 30;
  const rows = [
    ['build (appendMany in 2^16 chunks) + root', `${(buildMs / 1000).toFixed(2)} s`],
    ['proof verifies', String(ok)],
    ['update + root', `${updateMs.toFixed(3)} ms (root changed: ${Buffer.compare(Buffer.from(root), Buffer.from(updated)) !== 0})`],
    ['process RSS', `${rss.toFixed(2)} GiB`],
  ];
  return { text: table([`${pow(size)} leaves`, 'result'], rows), results: { size, buildMs, proofVerifies: ok, updateMs, rssGiB: rss } };
}

const suite: BenchSuite = {
  name: 'merkle',
  sampled: true,
  description: 'RFC 9162 Merkle roots (simd, scalar, pool vs node:crypto, hash-wasm, merkletreejs), append rate, updates, proofs, pool scaling, 2^24 leaves',
  async run(context): Promise<BenchReport> {
    const threads = Math.max(2, availableParallelism());
    const parts: { text: string; results: unknown }[] = [await roots(context, threads), await appendRate(context), await updatesAndProofs(context), await poolScaling(context)];
    if (!context.quick) parts.push(await hugeTree(context));
    return {
      text: parts.map((p) => p.text).join('\n\n'),
      results: { roots: parts[0].results, append: parts[1].results, updatesAndProofs: parts[2].results, poolScaling: parts[3].results, huge: parts[4]?.results },
    };
  },
};

export default suite;
