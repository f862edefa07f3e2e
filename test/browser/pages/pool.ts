// Runs in Chromium (bundled by test/_support/browser.ts): the Web Worker pool as a page imports
// it (`swarmguard/pool`, resolved through the exports map's browser condition). Each export
// makes its own pool, closes it, and reports what it saw for the test to judge.
import { blake3Many, bytesToHex, ed25519, init, merkleRoot, mldsa65, sha256Many } from 'swarmguard';
import { createPool, type Pool } from 'swarmguard/pool';
import { CRASH_LEAF } from './crashOnShard.js';
import { badPoolCalls, type ErrorReport, errorOf, refusal } from './poolCalls.js';
import { rng } from './rng.js';

type Backend = 'scalar' | 'simd';

const hex = (x: Uint8Array | Uint8Array[] | boolean[]) => (x instanceof Uint8Array ? bytesToHex(x) : x.map((v) => (typeof v === 'boolean' ? String(v) : bytesToHex(v))).join());
const leavesOf = (n: number) => Array.from({ length: n }, (_, i) => new Uint8Array([i & 255, (i >> 8) & 255, i >> 16]));
const rootHex = (leaves: Uint8Array[]) => bytesToHex(merkleRoot(leaves));

async function withPool<T>(options: Parameters<typeof createPool>[0], body: (pool: Pool) => Promise<T>): Promise<T> {
  const pool = createPool(options);
  try {
    return await body(pool);
  } finally {
    await pool.close();
  }
}

export interface Equality {
  backend: string;
  buffers: string;
  crossOriginIsolated: boolean;
  checked: number;
  wrong: string[];
  shards: number;
  /** The caller's arrays are still whole after their batches went to the workers (transfer moves copies). */
  inputsIntact: boolean;
}

/** Every operation on the pool against the inline function, on seeded random batches. */
export async function equalsInline(backend: Backend, seed: number): Promise<Equality> {
  await init({ backend });
  const r = rng(seed);
  return withPool({ threads: 2, backend, inlineBelow: 0 }, async (pool) => {
    const wrong: string[] = [];
    let checked = 0;
    const same = (label: string, got: Uint8Array | Uint8Array[] | boolean[], want: Uint8Array | Uint8Array[] | boolean[]) => {
      checked++;
      if (hex(got) !== hex(want)) wrong.push(label);
    };
    const messages = Array.from({ length: 2000 + r.int(2000) }, () => r.bytes(r.int(700)));
    same('sha256Many', await pool.sha256Many(messages), sha256Many(messages));
    same('blake3Many', await pool.blake3Many(messages), blake3Many(messages));
    const key = r.bytes(32);
    same('blake3Many keyed, 48 bytes', await pool.blake3Many(messages, { key, length: 48 }), blake3Many(messages, { key, length: 48 }));
    same('blake3Many derive_key', await pool.blake3Many(messages, { context: 'swarmguard pool test' }), blake3Many(messages, { context: 'swarmguard pool test' }));
    const strings = messages.slice(0, 500).map((m) => bytesToHex(m));
    same('sha256Many of strings', await pool.sha256Many(strings), sha256Many(strings));
    for (const n of [0, 1, 2, 3, 9, 1000, 4097, 65_537, r.int(100_000)]) {
      const leaves = Array.from({ length: n }, () => r.bytes(r.int(3) === 0 ? r.int(90) : 32));
      for (const hash of ['sha256', 'blake3'] as const) same(`merkleRoot n=${n} ${hash}`, await pool.merkleRoot(leaves, { hash }), merkleRoot(leaves, { hash }));
    }
    const big = Array.from({ length: 60 }, () => r.bytes(20_000 + r.int(80_000)));
    same('merkleRoot of large leaves', await pool.merkleRoot(big, { hash: 'blake3' }), merkleRoot(big, { hash: 'blake3' }));
    const items = Array.from({ length: 300 + r.int(300) }, (_, i) => {
      const { secretKey, publicKey } = ed25519.generateKeyPair(r.bytes(32));
      const message = r.bytes(r.int(200));
      const signature = ed25519.sign(message, secretKey);
      if (i % 37 === 5) signature[r.int(64)] ^= 1 << r.int(8);
      return { signature, message, publicKey };
    });
    same('verifyBatch', await pool.verifyBatch(items), ed25519.verifyBatch(items));
    const pairs = Array.from({ length: 3 }, () => mldsa65.generateKeyPair(r.bytes(32)));
    const pq = Array.from({ length: 24 }, (_, i) => {
      const { secretKey, publicKey } = pairs[r.int(3)];
      const message = r.bytes(r.int(100));
      const context = i % 4 === 0 ? r.bytes(r.int(256)) : undefined;
      const signature = mldsa65.sign(message, secretKey, { context });
      if (i % 5 === 2) signature[r.int(signature.length)] ^= 1 << r.int(8);
      return { signature: i % 11 === 3 ? signature.subarray(1) : signature, message, publicKey, context };
    });
    same('mldsaVerifyBatch', await pool.mldsaVerifyBatch(pq, { algorithm: 'ML-DSA-65' }), mldsa65.verifyBatch(pq));
    const detached = (view: Uint8Array) => (view.buffer as { detached?: boolean }).detached !== false;
    const inputsIntact = !messages.some(detached) && !items.some((i) => detached(i.signature) || detached(i.message));
    return { backend: pool.backend, buffers: pool.buffers, crossOriginIsolated: globalThis.crossOriginIsolated, checked, wrong, shards: pool.stats.shards, inputsIntact };
  });
}

export interface Crash {
  error: ErrorReport | null;
  /** Workers alive after the crash (the dead one replaced). */
  workers: number;
  /** A batch after the crash gives the right root. */
  recovered: boolean;
}

/**
 * A worker dies while the batch runs: `terminate` stops the real worker from the page;
 * `throw` and `close` use /crashing-worker.js (test/browser/pages/crashingWorker.ts), where the
 * worker given the shard holding CRASH_LEAF throws an uncaught error or calls self.close().
 */
export async function crashMidBatch(how: 'terminate' | 'throw' | 'close'): Promise<Crash> {
  const threads = how === 'terminate' ? 1 : 2;
  return withPool({ threads, inlineBelow: 0, ...(how === 'terminate' ? {} : { workerUrl: `/crashing-worker.js?crash=${how}` }) }, async (pool) => {
    const leaves = leavesOf(how === 'terminate' ? 1 << 20 : 1 << 16);
    if (how === 'terminate') await pool.sha256Many(leaves.slice(0, 10_000)); // the worker is up and holds its lock
    const doomed = pool.merkleRoot(how === 'terminate' ? leaves : [...leaves.slice(0, 40_000), new TextEncoder().encode(CRASH_LEAF), ...leaves.slice(40_000)]);
    if (how === 'terminate') {
      await new Promise((resolve) => setTimeout(resolve, 30));
      void pool.workers[0].terminate();
    }
    const error = await doomed.then(() => null, errorOf);
    const small = leaves.slice(0, 30_000);
    const recovered = bytesToHex(await pool.merkleRoot(small)) === rootHex(small);
    return { error, workers: pool.workers.length, recovered };
  });
}

/** close() lets the batch in flight finish, ends the workers, and refuses later calls. */
export async function closeDrains() {
  const pool = createPool({ threads: 2, inlineBelow: 0 });
  const messages = leavesOf(20_000);
  const pending = pool.sha256Many(messages);
  await pool.close();
  const drained = hex(await pending) === hex(sha256Many(messages));
  return { drained, workers: pool.workers.length, after: await refusal(() => pool.sha256Many(messages)), closeAgain: await refusal(() => pool.close()) };
}

/** Abort: a queued batch, a running shard (its worker replaced), an already-aborted signal. */
export async function aborts() {
  return withPool({ threads: 1, inlineBelow: 0 }, async (pool) => {
    const leaves = leavesOf(1 << 18);
    await pool.sha256Many(leaves.slice(0, 10_000));
    const running = pool.merkleRoot(leaves);
    const queuedController = new AbortController();
    const queued = pool.sha256Many(leaves.slice(0, 50_000), { signal: queuedController.signal });
    queuedController.abort(new Error('no longer needed'));
    const queuedError = await queued.then(() => null, (e: unknown) => ({ ...errorOf(e), cause: String((e as Error).cause) }));
    const runningOk = bytesToHex(await running) === rootHex(leaves);
    // The worker is idle and ready: the first shard of this batch starts at once, then is stopped.
    const worker = pool.workers[0];
    const runningController = new AbortController();
    const stopped = pool.merkleRoot(leaves, { signal: runningController.signal });
    runningController.abort();
    const runningError = await stopped.then(() => null, errorOf);
    const replaced = pool.workers.length === 1 && pool.workers[0] !== worker;
    const afterOk = bytesToHex(await pool.merkleRoot(leaves)) === rootHex(leaves);
    const already = await refusal(() => pool.sha256Many(leaves, { signal: AbortSignal.abort() }));
    return { queuedError, runningOk, runningError, replaced, afterOk, already };
  });
}

/** The pool's refusals (the test compares them with the Node pool's), and the browser-only option. */
export async function argumentErrors() {
  return withPool({ threads: 1, inlineBelow: 0 }, async (pool) => {
    const before = { ...pool.stats };
    const refusals: [string, ErrorReport | null][] = [];
    for (const [label, call] of badPoolCalls(pool, createPool)) refusals.push([label, await refusal(call)]);
    const workerUrl = [await refusal(() => createPool({ workerUrl: 5 as never })), await refusal(() => createPool({ workerUrl: '' }))];
    return { refusals, workerUrl, untouched: JSON.stringify(pool.stats) === JSON.stringify(before) };
  });
}

/** A pool whose worker script cannot start (a CSP refusing blob:, a wrong workerUrl), or one that can. */
export async function startWith(workerUrl?: string) {
  await init(); // on a fresh page (the CSP test's): the pool posts the modules init() fetched
  return withPool({ threads: 2, inlineBelow: 0, workerUrl }, async (pool) => {
    const leaves = leavesOf(50_000);
    const first = await pool.merkleRoot(leaves).then((root) => bytesToHex(root) === rootHex(leaves), errorOf);
    return { first, buffers: pool.buffers };
  });
}
