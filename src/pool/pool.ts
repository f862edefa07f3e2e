import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { Input } from '../bytes/index.js';
import { ArgumentRangeError, requireArray, requireInputs, requireInteger, requireOneOf, requireOptions, requireSignal } from '../check/index.js';
import { BLAKE3_OPTIONS, type Blake3Options } from '../hash/index.js';
import { joinSubtreeRoots, type MerkleHash } from '../merkle/index.js';
import { type BatchItem, packBatchItem } from '../sig/index.js';
import { BACKEND_NAMES, type BackendName, compiledModule, INSPECT, preferredBackend } from '../wasm/index.js';
import { PoolClosedError, PoolTaskError, PoolWorkerMissingError, TaskAbortedError, WorkerCrashedError } from './errors.js';
import { createBatch, packBatch, packRange } from './packedBatch.js';
import { OPERATION_NAMES, operations, type PoolOperation, type PoolOperationName, type PoolOperationParams } from './operations.js';
import type { ShardRequest, ShardResult } from './shard.js';

export interface PoolOptions {
  /** Worker threads (default: `os.availableParallelism()`). */
  threads?: number;
  /** WASM backend of the workers (default: the package's preferred backend). */
  backend?: BackendName;
  /** Batches costing less than this many bytes of work run inline on the calling thread (default 64 KiB). */
  inlineBelow?: number;
}

/**
 * Most bytes a batch's items may hold together, and most bytes of output it may produce: the
 * packed table holds u32 offsets, and the output is one typed array.
 */
export const MAX_POOL_BATCH_BYTES = 2 ** 32 - 1;

/** The keys of `RunOptions`. */
const RUN_OPTIONS = ['signal'];

export interface RunOptions {
  /** Cancels the batch: queued shards never start, and a running shard's worker is stopped and replaced. */
  signal?: AbortSignal;
}

/** Work below which a shard is not worth a thread hop: ~0.3 ms of hashing. */
const MIN_SHARD_COST = 128 * 1024;
/** Shards per thread: a little slack so a slow core does not hold up the batch. */
const SHARDS_PER_THREAD = 4;
/** Fixed cost of one item, in bytes of hashing. */
const ITEM_COST = 64;

/**
 * The compiled worker. Under vitest or a TypeScript loader this module runs from src/*.ts, but
 * worker threads need JavaScript: use the `tsc` output in dist/ (the test command builds it).
 */
function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return join(dirname(here), 'worker.js');
  const compiled = join(dirname(here), '..', '..', 'dist', 'src', 'pool', 'worker.js');
  if (!existsSync(compiled)) {
    throw new PoolWorkerMissingError(`the pool runs its workers from compiled JavaScript; ${compiled} is missing — run \`npx tsc -p tsconfig.json\` first`);
  }
  return compiled;
}

function abortError(signal: AbortSignal): TaskAbortedError {
  return new TaskAbortedError({ cause: signal.reason });
}

/**
 * A pool of worker threads running swarmguard's batch operations on their own WASM instances.
 * Batches cross threads packed in SharedArrayBuffers; tiny batches run inline. Idle workers
 * never keep the process alive; `close()` drains and stops them.
 */
export class Pool {
  readonly threads: number;
  readonly backend: BackendName;
  private readonly inlineBelow: number;
  private readonly piscina: Piscina<ShardRequest, ShardResult>;
  /** Batches in flight, which `close()` waits for. */
  private readonly running = new Set<Promise<unknown>>();
  private closed = false;
  private inlineBatches = 0;
  private dispatchedShards = 0;

  /** Prefer `createPool`, whose name the argument errors carry. */
  constructor(options?: PoolOptions) {
    const where = 'createPool';
    const { threads, backend, inlineBelow } = requireOptions(options, where, 'options', ['threads', 'backend', 'inlineBelow']);
    this.threads = threads === undefined ? availableParallelism() : requireInteger(threads, where, 'options.threads', 1, 1024);
    this.backend = backend === undefined ? preferredBackend() : requireOneOf(backend, where, 'options.backend', BACKEND_NAMES);
    this.inlineBelow = inlineBelow === undefined ? 64 * 1024 : requireInteger(inlineBelow, where, 'options.inlineBelow', 0);
    // Fails here (UnsupportedBackendError) rather than in every worker's bootstrap.
    compiledModule(this.backend);
    this.piscina = new Piscina({
      filename: workerFile(),
      minThreads: this.threads,
      maxThreads: this.threads,
      workerData: { backend: this.backend },
    });
  }

  [INSPECT](): string {
    return `Pool { threads: ${this.threads}, backend: '${this.backend}', inlineBelow: ${this.inlineBelow}${this.closed ? ', closed' : ''} }`;
  }

  // Each method checks its arguments as the inline function of the same name does, with the
  // same messages, before anything is packed or dispatched.

  /** SHA-256 of each message, like `sha256Many`, spread over the threads. */
  async sha256Many(messages: readonly Input[], options?: RunOptions): Promise<Uint8Array[]> {
    const where = 'sha256Many';
    const list = requireInputs(messages, where, 'messages');
    const signal = requireSignal(requireOptions(options, where, 'options', RUN_OPTIONS).signal, where, 'options.signal');
    return split(await this.execute('sha256Many', list, {}, signal, where, 'messages'), 32);
  }

  /** BLAKE3 of each message (hash, keyed hash or derive_key, any `length`), like `blake3Many`. */
  async blake3Many(messages: readonly Input[], options?: Blake3Options & RunOptions): Promise<Uint8Array[]> {
    const where = 'blake3Many';
    const list = requireInputs(messages, where, 'messages');
    const { signal: givenSignal, ...rest } = requireOptions(options, where, 'options', [...BLAKE3_OPTIONS, ...RUN_OPTIONS]);
    const params = operations.blake3Many.params(rest, where);
    const signal = requireSignal(givenSignal, where, 'options.signal');
    return split(await this.execute('blake3Many', list, params, signal, where, 'messages'), params.length);
  }

  /** `merkleRoot(leaves, { hash })` with subtrees hashed in parallel and joined; the same root. */
  async merkleRoot(leaves: readonly Input[], options?: { hash?: MerkleHash } & RunOptions): Promise<Uint8Array> {
    const where = 'merkleRoot';
    const list = requireInputs(leaves, where, 'leaves');
    const { signal: givenSignal, ...rest } = requireOptions(options, where, 'options', ['hash', ...RUN_OPTIONS]);
    const params = operations.merkleRoot.params(rest, where);
    const signal = requireSignal(givenSignal, where, 'options.signal');
    const roots = await this.execute('merkleRoot', list, params, signal, where, 'leaves');
    return roots.length === 32 ? roots : joinSubtreeRoots(split(roots, 32), params);
  }

  /** `ed25519.verifyBatch(items)` with shards verified as independent batches on the workers; the same booleans. */
  async verifyBatch(items: readonly BatchItem[], options?: RunOptions): Promise<boolean[]> {
    const where = 'ed25519.verifyBatch';
    const list = requireArray(items, where, 'items');
    const packed = new Array<Uint8Array>(list.length);
    for (let i = 0; i < list.length; i++) packed[i] = packBatchItem(list[i], i, where);
    const signal = requireSignal(requireOptions(options, where, 'options', RUN_OPTIONS).signal, where, 'options.signal');
    const out = await this.execute('ed25519VerifyBatch', packed, {}, signal, where, 'items');
    return Array.from(out, (b) => b === 1);
  }

  /**
   * Runs operation `name` of the operation table over `items`: inline when the batch is tiny,
   * otherwise as shards on the workers. `params` are checked as that operation's options.
   * Returns the packed output (per item, or one root per subtree).
   */
  async run(name: PoolOperationName, items: readonly Input[], params?: PoolOperationParams, options?: RunOptions): Promise<Uint8Array> {
    const where = 'Pool.run';
    const operation: PoolOperation = operations[requireOneOf(name, where, 'name', OPERATION_NAMES)];
    const list = requireInputs(items, where, 'items');
    // An operation without params refuses any: a key it would ignore is a mistake to report.
    const checked = operation.params ? operation.params(requireOptions(params, where, 'params'), where) : requireOptions(params, where, 'params', []);
    const signal = requireSignal(requireOptions(options, where, 'options', RUN_OPTIONS).signal, where, 'options.signal');
    return this.execute(name, list, checked, signal, where, 'items');
  }

  /** Runs checked arguments; `where` and `listArgument` name the call in the limit errors. */
  private async execute(
    name: PoolOperationName,
    bytes: readonly Uint8Array[],
    params: PoolOperationParams,
    signal: AbortSignal | undefined,
    where: string,
    listArgument: string,
  ): Promise<Uint8Array> {
    if (this.closed) throw new PoolClosedError();
    const operation: PoolOperation = operations[name];
    const itemCost = operation.itemCost ?? ITEM_COST;
    let total = 0;
    for (let i = 0; i < bytes.length; i++) total += bytes[i].length;
    if (total > MAX_POOL_BATCH_BYTES) {
      throw new ArgumentRangeError(where, listArgument, `must hold at most MAX_POOL_BATCH_BYTES = ${MAX_POOL_BATCH_BYTES} bytes in all, got ${total}`);
    }
    const outputBytes = operation.outputBytes(params);
    const outputTotal = operation.shape === 'item' ? bytes.length * outputBytes : outputBytes;
    if (outputTotal > MAX_POOL_BATCH_BYTES) {
      throw new ArgumentRangeError(where, listArgument, `would produce ${outputTotal} bytes of output, more than MAX_POOL_BATCH_BYTES = ${MAX_POOL_BATCH_BYTES}`);
    }
    const cost = total + bytes.length * itemCost;
    if (signal?.aborted) throw abortError(signal);
    if (cost < this.inlineBelow) {
      const out = new Uint8Array(outputTotal);
      operation.run(packBatch(bytes), 0, bytes.length, out, params);
      this.inlineBatches++;
      return out;
    }
    const ranges = this.shards(operation.shape, bytes.length, cost, operation.shardsPerThread ?? SHARDS_PER_THREAD);
    const batch = createBatch(total, bytes.length);
    const per = operation.shape === 'item' ? (from: number, to: number) => (to - from) * outputBytes : () => outputBytes;
    const output = new SharedArrayBuffer(Math.max(1, ranges.reduce((n, [from, to]) => n + per(from, to), 0)));
    let offset = 0;
    let start = 0;
    // Each shard leaves as soon as its items are copied: workers start while the rest is packed.
    const shards = ranges.map(([from, to]) => {
      start = packRange(batch, bytes, from, to, start);
      const request: ShardRequest = { operation: name, params, batch, from, to, output, outputOffset: offset, outputLength: per(from, to) };
      offset += per(from, to);
      return this.dispatch(request, signal);
    });
    const all = Promise.all(shards);
    this.running.add(all);
    try {
      await all;
    } finally {
      this.running.delete(all);
    }
    return new Uint8Array(output).slice(0, offset);
  }

  /** Stops accepting work (later calls reject with `PoolClosedError`), lets every batch in flight finish, and ends the threads. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
    await this.piscina.close();
  }

  /** Item ranges [from, to) to dispatch; subtree shards are aligned powers of two. */
  private shards(shape: 'item' | 'subtree', count: number, cost: number, perThread: number): [number, number][] {
    const wanted = Math.max(1, Math.min(this.threads * perThread, Math.floor(cost / MIN_SHARD_COST)));
    let span: number;
    if (shape === 'subtree') {
      span = 1;
      while (span * wanted < count) span *= 2;
    } else {
      span = Math.max(1, Math.ceil(count / wanted));
    }
    const ranges: [number, number][] = [];
    for (let from = 0; from < count; from += span) ranges.push([from, Math.min(from + span, count)]);
    if (ranges.length === 0) ranges.push([0, 0]);
    return ranges;
  }

  private async dispatch(request: ShardRequest, signal: AbortSignal | undefined): Promise<void> {
    this.dispatchedShards++;
    let result: ShardResult;
    try {
      result = await this.piscina.run(request, { signal });
    } catch (err) {
      if (signal?.aborted) throw abortError(signal);
      throw new WorkerCrashedError(`a pool worker died while running ${request.operation}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    // Arguments were checked before dispatch; what is left is the operation's own failure (a
    // RangeError such as the WASM memory limit keeps its class, as it would inline).
    if (!result.ok) {
      if (result.name === 'RangeError') throw new RangeError(result.message);
      if (result.name === 'TypeError') throw new TypeError(result.message);
      throw new PoolTaskError(`${request.operation} failed in a worker: ${result.name}: ${result.message}`);
    }
  }

  /** Batches run inline (too small for a thread hop) and shards sent to workers so far. */
  get stats(): { inlineBatches: number; shards: number } {
    return { inlineBatches: this.inlineBatches, shards: this.dispatchedShards };
  }

  /** The live worker threads (diagnostics; tests stop one to check recovery). */
  get workers(): readonly import('node:worker_threads').Worker[] {
    return this.piscina.threads;
  }
}

function split(packed: Uint8Array, size: number): Uint8Array[] {
  const out = new Array<Uint8Array>(packed.length / size);
  for (let i = 0; i < out.length; i++) out[i] = packed.slice(i * size, (i + 1) * size);
  return out;
}

/** Creates a worker pool; see `Pool`. */
export function createPool(options?: PoolOptions): Pool {
  return new Pool(options);
}
