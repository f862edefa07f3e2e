import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { type Input, requireArray, requireInteger, toBytes } from '../bytes/index.js';
import type { Blake3Options } from '../hash/index.js';
import { joinSubtreeRoots, type MerkleHash } from '../merkle/index.js';
import { type BatchItem, packEd25519BatchItem } from '../sig/index.js';
import { type BackendName, compiledModule, isBackendName, preferredBackend } from '../wasm/index.js';
import { createBatch, packBatch, packRange } from './batch.js';
import { PoolClosedError, PoolTaskError, PoolWorkerMissingError, TaskAbortedError, WorkerCrashedError } from './errors.js';
import type { ShardRequest, ShardResult } from './shard.js';
import { isTaskName, type PoolTask, type TaskName, type TaskParams, tasks } from './tasks.js';

export interface PoolOptions {
  /** Worker threads (default: `os.availableParallelism()`). */
  threads?: number;
  /** WASM backend of the workers (default: the package's preferred backend). */
  backend?: BackendName;
  /** Batches costing less than this many bytes of work run inline on the calling thread (default 64 KiB). */
  inlineBelow?: number;
}

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

  constructor(options: PoolOptions = {}) {
    if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
    this.threads = requireInteger(options.threads ?? availableParallelism(), 'options.threads', 1, 1024);
    if (options.backend !== undefined && !isBackendName(options.backend)) {
      throw new TypeError(`options.backend must be 'scalar' or 'simd', got ${JSON.stringify(options.backend)}`);
    }
    this.backend = options.backend ?? preferredBackend();
    // Fails here (UnsupportedBackendError) rather than in every worker's bootstrap.
    compiledModule(this.backend);
    this.inlineBelow = requireInteger(options.inlineBelow ?? 64 * 1024, 'options.inlineBelow', 0);
    this.piscina = new Piscina({
      filename: workerFile(),
      minThreads: this.threads,
      maxThreads: this.threads,
      workerData: { backend: this.backend },
    });
  }

  /** SHA-256 of each message, like `sha256Many`, spread over the threads. */
  async sha256Many(messages: readonly Input[], options?: RunOptions): Promise<Uint8Array[]> {
    return split(await this.run('sha256Many', messages, {}, options), 32);
  }

  /** BLAKE3 of each message (hash, keyed hash or derive_key, any `length`), like `blake3Many`. */
  async blake3Many(messages: readonly Input[], options: Blake3Options & RunOptions = {}): Promise<Uint8Array[]> {
    const { signal, ...params } = requireRunOptions(options);
    return split(await this.run('blake3Many', messages, params, { signal }), (params as Blake3Options).length ?? 32);
  }

  /** `merkleRoot(leaves, { hash })` with subtrees hashed in parallel and joined; the same root. */
  async merkleRoot(leaves: readonly Input[], options: { hash?: MerkleHash } & RunOptions = {}): Promise<Uint8Array> {
    const { signal, hash = 'sha256' } = requireRunOptions(options);
    if (hash !== 'sha256' && hash !== 'blake3') throw new TypeError(`options.hash must be 'sha256' or 'blake3', got ${JSON.stringify(hash)}`);
    const roots = await this.run('merkleRoot', leaves, { hash }, { signal });
    return roots.length === 32 ? roots : joinSubtreeRoots(split(roots, 32), { hash });
  }

  /** `ed25519.verifyBatch(items)` with shards verified as independent batches on the workers; the same booleans. */
  async verifyBatch(items: readonly BatchItem[], options?: RunOptions): Promise<boolean[]> {
    const packed = requireArray(items, 'items').map((item, i) => packEd25519BatchItem(item as BatchItem, i));
    const out = await this.run('ed25519VerifyBatch', packed, {}, options);
    return Array.from(out, (b) => b === 1);
  }

  /**
   * Runs task `name` of the task table over `items`: inline when the batch is tiny, otherwise
   * as shards on the workers. Returns the packed output (per item, or one root per subtree).
   */
  async run(name: TaskName, items: readonly Input[], params: TaskParams = {}, options: RunOptions = {}): Promise<Uint8Array> {
    if (!isTaskName(name)) throw new TypeError(`unknown pool task ${JSON.stringify(name)}`);
    if (this.closed) throw new PoolClosedError();
    const { signal } = requireRunOptions(options);
    const list = requireArray(items, 'items');
    const task: PoolTask = tasks[name];
    const itemCost = task.itemCost ?? ITEM_COST;
    const bytes = itemsToBytes(list);
    let total = 0;
    for (let i = 0; i < bytes.length; i++) total += bytes[i].length;
    const cost = total + bytes.length * itemCost;
    if (signal?.aborted) throw abortError(signal);
    const outputBytes = task.outputBytes(params);
    if (cost < this.inlineBelow) {
      const out = new Uint8Array(task.shape === 'item' ? bytes.length * outputBytes : outputBytes);
      task.run(packBatch(bytes), 0, bytes.length, out, params);
      this.inlineBatches++;
      return out;
    }
    const ranges = this.shards(task.shape, bytes.length, cost, task.shardsPerThread ?? SHARDS_PER_THREAD);
    const batch = createBatch(total, bytes.length);
    const per = task.shape === 'item' ? (from: number, to: number) => (to - from) * outputBytes : () => outputBytes;
    const output = new SharedArrayBuffer(Math.max(1, ranges.reduce((n, [from, to]) => n + per(from, to), 0)));
    let offset = 0;
    let start = 0;
    // Each shard leaves as soon as its items are copied: workers start while the rest is packed.
    const shards = ranges.map(([from, to]) => {
      start = packRange(batch, bytes, from, to, start);
      const request: ShardRequest = { task: name, params, batch, from, to, output, outputOffset: offset, outputLength: per(from, to) };
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
      throw new WorkerCrashedError(`a pool worker died while running ${request.task}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    if (!result.ok) {
      if (result.name === 'RangeError') throw new RangeError(result.message);
      if (result.name === 'TypeError') throw new TypeError(result.message);
      throw new PoolTaskError(`${request.task} failed in a worker: ${result.name}: ${result.message}`);
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

function requireRunOptions<T extends RunOptions>(options: T | undefined): T {
  if (options === undefined) return {} as T;
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) throw new TypeError('options.signal must be an AbortSignal');
  return options;
}

/** `list` as bytes (strings as UTF-8), without copying a list that holds bytes only. */
function itemsToBytes(list: unknown[]): readonly Uint8Array[] {
  let allBytes = true;
  for (let i = 0; i < list.length && allBytes; i++) allBytes = list[i] instanceof Uint8Array;
  if (allBytes) return list as Uint8Array[];
  return list.map((item, i) => toBytes(item, `items[${i}]`));
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
