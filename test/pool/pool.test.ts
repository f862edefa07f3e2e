import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { blake3 } from '@noble/hashes/blake3.js';
import { afterAll, describe, expect, it } from 'vitest';
import { merkleRoot, SwarmguardError } from '../../src/index.js';
import { createPool, PoolClosedError, TaskAbortedError, WorkerCrashedError } from '../../src/pool/index.js';
import { Rng, testSeed } from '../_support/seed.js';

const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const sha256 = (m: Uint8Array) => toHex(createHash('sha256').update(m).digest());

describe('worker pool', () => {
  const pool = createPool({ threads: 2, inlineBelow: 0 });
  afterAll(() => pool.close());

  it('sha256Many and blake3Many (plain, keyed, long output) over the workers equal node:crypto and @noble/hashes', async () => {
    const rng = new Rng(testSeed('pool hashes'));
    const messages = Array.from({ length: 3000 }, () => rng.bytes(rng.int(600)));
    const before = pool.stats.shards;
    expect((await pool.sha256Many(messages)).map(toHex)).toEqual(messages.map(sha256));
    expect(pool.stats.shards).toBeGreaterThan(before + 1);
    expect((await pool.blake3Many(messages)).map(toHex)).toEqual(messages.map((m) => toHex(blake3(m))));
    const key = rng.bytes(32);
    expect((await pool.blake3Many(messages, { key, length: 48 })).map(toHex)).toEqual(messages.map((m) => toHex(blake3(m, { key, dkLen: 48 }))));
  });

  it('merkleRoot joins parallel subtrees into the same root as merkleRoot, for random and edge sizes', async () => {
    const rng = new Rng(testSeed('pool merkleRoot'));
    for (const n of [0, 1, 2, 3, 8, 9, 1000, 4097, 65_537, rng.int(100_000)]) {
      const leaves = Array.from({ length: n }, () => rng.bytes(rng.int(3) === 0 ? rng.int(90) : 32));
      for (const hash of ['sha256', 'blake3'] as const) {
        expect(toHex(await pool.merkleRoot(leaves, { hash })), `n=${n} ${hash}`).toBe(toHex(merkleRoot(leaves, { hash })));
      }
    }
  });

  it('merkleRoot of large leaves (several 4 MiB packing rounds per shard) and of tiny inline batches', async () => {
    const rng = new Rng(testSeed('pool merkleRoot large leaves'));
    const big = Array.from({ length: 300 }, () => rng.bytes(20_000 + rng.int(80_000)));
    expect(toHex(await pool.merkleRoot(big, { hash: 'blake3' }))).toBe(toHex(merkleRoot(big, { hash: 'blake3' })));
    const block = rng.bytes(40 * 70_000);
    const views = Array.from({ length: 70_000 }, (_, i) => block.subarray(i * 40 + (i % 3), i * 40 + 33 + (i % 7)));
    expect(toHex(await pool.merkleRoot(views))).toBe(toHex(merkleRoot(views.map((v) => v.slice()))));
    const inlinePool = createPool({ threads: 2 });
    try {
      const few = Array.from({ length: 50 }, () => rng.bytes(32));
      expect(toHex(await inlinePool.merkleRoot(few))).toBe(toHex(merkleRoot(few)));
      expect(inlinePool.stats).toEqual({ inlineBatches: 1, shards: 0 });
    } finally {
      await inlinePool.close();
    }
  });

  it('accepts strings and rejects bad arguments before any work', async () => {
    expect((await pool.sha256Many(['abc'])).map(toHex)).toEqual([sha256(new TextEncoder().encode('abc'))]);
    await expect(pool.sha256Many('abc' as never)).rejects.toThrow(TypeError);
    await expect(pool.sha256Many([1 as never])).rejects.toThrow(/messages\[0\]/);
    await expect(pool.merkleRoot([], { hash: 'md5' as never })).rejects.toThrow(RangeError);
    await expect(pool.run('nope' as never, [])).rejects.toThrow(RangeError);
    await expect(pool.sha256Many([], { signal: 'x' as never })).rejects.toThrow(TypeError);
    expect(() => createPool({ threads: 0 })).toThrow(RangeError);
    expect(() => createPool({ backend: 'gpu' as never })).toThrow(RangeError);
  });
});

describe('worker pool scheduling', () => {
  it('runs tiny batches inline and big ones as shards', async () => {
    const pool = createPool({ threads: 2 });
    try {
      await pool.sha256Many([new Uint8Array(10), new Uint8Array(20)]);
      expect(pool.stats).toEqual({ inlineBatches: 1, shards: 0 });
      await pool.sha256Many(Array.from({ length: 4000 }, () => new Uint8Array(500)));
      expect(pool.stats.shards).toBeGreaterThan(1);
    } finally {
      await pool.close();
    }
  });

  it('an AbortSignal cancels queued work with a TaskAbortedError; running work finishes', async () => {
    const pool = createPool({ threads: 1, inlineBelow: 0 });
    try {
      const leaves = Array.from({ length: 1 << 18 }, (_, i) => new Uint8Array([i & 255, i >> 8, i >> 16]));
      const running = pool.merkleRoot(leaves);
      const controller = new AbortController();
      const queued = pool.sha256Many(leaves.slice(0, 50_000), { signal: controller.signal });
      controller.abort(new Error('no longer needed'));
      const err = await queued.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(TaskAbortedError);
      expect((err as TaskAbortedError).name).toBe('AbortError');
      expect((err as TaskAbortedError).code).toBe('ERR_TASK_ABORTED');
      expect(toHex(await running)).toBe(toHex(merkleRoot(leaves)));
      const already = AbortSignal.abort();
      await expect(pool.sha256Many([new Uint8Array(1)], { signal: already })).rejects.toBeInstanceOf(TaskAbortedError);
    } finally {
      await pool.close();
    }
  });

  it('a worker that dies rejects its task with WorkerCrashedError and is replaced', async () => {
    const pool = createPool({ threads: 1, inlineBelow: 0 });
    try {
      const leaves = Array.from({ length: 1 << 20 }, (_, i) => new Uint8Array([i & 255, i >> 8, i >> 16]));
      const doomed = pool.merkleRoot(leaves);
      await new Promise((r) => setTimeout(r, 200));
      await pool.workers[0].terminate();
      const err = await doomed.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(WorkerCrashedError);
      expect(err).toBeInstanceOf(SwarmguardError);
      expect((err as WorkerCrashedError).code).toBe('ERR_WORKER_CRASHED');
      const small = leaves.slice(0, 30_000);
      expect(toHex(await pool.merkleRoot(small))).toBe(toHex(merkleRoot(small)));
    } finally {
      await pool.close();
    }
  });

  it('close() drains running work', async () => {
    const pool = createPool({ threads: 2, inlineBelow: 0 });
    const messages = Array.from({ length: 20_000 }, (_, i) => new Uint8Array([i & 255, i >> 8]));
    const pending = pool.sha256Many(messages);
    await pool.close();
    expect((await pending).map(toHex)).toEqual(messages.map(sha256));
    await expect(pool.sha256Many(messages)).rejects.toBeInstanceOf(PoolClosedError);
  });

  it('an idle pool never keeps the process alive (a script that never closes its pool exits)', async () => {
    const entry = fileURLToPath(new URL('../../dist/src/entries/pool.js', import.meta.url));
    const script = `import { createPool } from ${JSON.stringify(entry)};
const pool = createPool({ threads: 2, inlineBelow: 0 });
const out = await pool.sha256Many(Array.from({ length: 5000 }, () => new Uint8Array(100)));
console.log(out.length);`;
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--input-type=module', '-e', script], { timeout: 60_000 }, (err, out) => (err ? reject(err) : resolve(out)));
    });
    expect(stdout.trim()).toBe('5000');
  });
});
