import type { Input } from '../bytes/index.js';
import { ArgumentRangeError, requireArray, requireInputs, requireInteger, requireOneOf, requireOptions, requireSignal } from '../check/index.js';
import { BLAKE3_OPTIONS, type Blake3Options } from '../hash/index.js';
import { joinSubtreeRoots, type MerkleHash } from '../merkle/index.js';
import { type BatchItem, type MlDsaBatchItem, type MlDsaName, packBatchItems, packMlDsaBatch } from '../sig/index.js';
import { BACKEND_NAMES, type BackendName, inspectAs, preferredBackend } from '../wasm/index.js';
import { PoolClosedError, PoolTaskError, TaskAbortedError } from './errors.js';
import { OPERATION_NAMES, operations, type PoolOperation, type PoolOperationName, type PoolOperationParams } from './operations.js';
import { type PackedBatch, packBatch, packRange } from './packedBatch.js';
import type { ShardRequest, ShardResult } from './shard.js';
import { BufferCache } from './bufferCache.js';

// What the Node pool (worker threads) and the browser pool (Web Workers) share: the public
// methods and their argument checks, the batch limits, inline execution of tiny batches, shard
// sizing, packing and joining. A subclass only starts workers and carries one shard to one.

export interface PoolOptions {
  /** Workers (default: the host's core count: `os.availableParallelism()`, `navigator.hardwareConcurrency`). */
  threads?: number;
  /** WASM backend of the workers (default: the package's preferred backend). */
  backend?: BackendName;
  /** Batches costing less than this many bytes of work run inline on the calling thread (default 64 KiB). */
  inlineBelow?: number;
  /**
   * Browsers only (Node's pool refuses it): where the page serves the worker script
   * `swarmguard/pool/worker.js`, for a Content-Security-Policy that refuses `blob:` workers
   * (default: the same script built into the package, started from a Blob URL).
   */
  workerUrl?: string | URL;
}

/**
 * Most bytes a batch's items may hold together, and most bytes of output it may produce: the
 * packed table holds u32 offsets, and the output is one typed array.
 */
export const MAX_POOL_BATCH_BYTES = 2 ** 32 - 1;

/** `pool.mldsaVerifyBatch`'s own option. */
export interface MlDsaPoolOptions {
  /** The parameter set of every item: `'ML-DSA-44'`, `'ML-DSA-65'` or `'ML-DSA-87'` (as `mldsa65.name` spells it). */
  algorithm: MlDsaName;
}

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
 * How batches reach the workers: `shared`, packed once into SharedArrayBuffers every worker
 * reads in place (Node; cross-origin-isolated pages); `transfer`, each shard packed into
 * ArrayBuffers of its own that move to its worker and back without copies (other pages).
 */
export type PoolBuffers = 'shared' | 'transfer';

/** `createPool`'s checked options, with what the subclass decided. */
export interface PoolSettings {
  threads: number;
  backend: BackendName;
  inlineBelow: number;
  buffers: PoolBuffers;
}

/** The keys of `PoolOptions`: both pools know them all, so a misspelt one gets the same answer on both. */
const POOL_OPTIONS: readonly (keyof PoolOptions)[] = ['threads', 'backend', 'inlineBelow', 'workerUrl'];

/** Checks `createPool`'s options but `workerUrl` (each pool its own way); `threads` defaults to `cores()`. */
export function checkPoolOptions(options: PoolOptions | undefined, cores: () => number): Omit<PoolSettings, 'buffers'> & PoolOptions {
  const where = 'createPool';
  const checked = requireOptions(options, where, 'options', POOL_OPTIONS);
  return {
    ...checked,
    threads: checked.threads === undefined ? cores() : requireInteger(checked.threads, where, 'options.threads', 1, 1024),
    backend: checked.backend === undefined ? preferredBackend() : requireOneOf(checked.backend, where, 'options.backend', BACKEND_NAMES),
    inlineBelow: checked.inlineBelow === undefined ? 64 * 1024 : requireInteger(checked.inlineBelow, where, 'options.inlineBelow', 0),
  };
}

export function abortError(signal: AbortSignal): TaskAbortedError {
  return new TaskAbortedError({ cause: signal.reason });
}

/** A pool of workers running swarmguard's batch operations on their own WASM instances; see docs/pool.md. */
export abstract class ShardedPool {
  readonly threads: number;
  readonly backend: BackendName;
  readonly buffers: PoolBuffers;
  private readonly inlineBelow: number;
  /** Batches in flight until their last shard settles, which `close()` waits for. */
  private readonly running = new Set<Promise<unknown>>();
  private readonly sharedBuffers = new BufferCache((bytes) => new SharedArrayBuffer(bytes));
  private readonly plainBuffers = new BufferCache((bytes) => new ArrayBuffer(bytes));
  private closed = false;
  private inlineBatches = 0;
  private dispatchedShards = 0;

  protected constructor(settings: PoolSettings) {
    this.threads = settings.threads;
    this.backend = settings.backend;
    this.inlineBelow = settings.inlineBelow;
    this.buffers = settings.buffers;
    inspectAs(this, () => `Pool { threads: ${this.threads}, backend: '${this.backend}', inlineBelow: ${this.inlineBelow}${this.closed ? ', closed' : ''} }`);
  }

  /**
   * Runs one shard on a worker. Rejects with `TaskAbortedError` when `signal` stops it and with
   * `WorkerCrashedError` when its worker dies; either way the worker is replaced.
   */
  protected abstract send(request: ShardRequest, signal: AbortSignal | undefined): Promise<ShardResult>;

  /** Ends the workers (no batch is in flight any more). */
  protected abstract stop(): Promise<void>;

  // Each method checks its arguments as the inline function of the same name does, with the
  // same messages, before anything is packed or dispatched.

  /** SHA-256 of each message, like `sha256Many`, spread over the workers. */
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
    const packed = packBatchItems(list, where, (bytes) => requireBatchBytes(bytes, where, 'items'));
    const signal = requireSignal(requireOptions(options, where, 'options', RUN_OPTIONS).signal, where, 'options.signal');
    const out = await this.execute('ed25519VerifyBatch', packed, {}, signal, where, 'items');
    return Array.from(out, (b) => b === 1);
  }

  /**
   * `verifyBatch` of the parameter set `options.algorithm` (required: the three take keys and
   * signatures of different lengths) over the workers; the same booleans as
   * `mldsa65.verifyBatch(items)` and, for the items, its argument errors. Items are regrouped by
   * public key before sharding, so a key's matrix A is expanded once per shard it appears in.
   */
  async mldsaVerifyBatch(items: readonly MlDsaBatchItem[], options: MlDsaPoolOptions & RunOptions): Promise<boolean[]> {
    const where = 'mldsaVerifyBatch';
    const { signal: givenSignal, ...rest } = requireOptions(options, where, 'options', ['algorithm', ...RUN_OPTIONS]);
    const params = operations.mldsaVerifyBatch.params(rest, where);
    const signal = requireSignal(givenSignal, where, 'options.signal');
    const { packed, index, count } = packMlDsaBatch(items, params.algorithm, (bytes) => requireBatchBytes(bytes, where, 'items'));
    const out = await this.execute('mldsaVerifyBatch', packed, params, signal, where, 'items');
    const result = new Array<boolean>(count).fill(false);
    for (let k = 0; k < index.length; k++) result[index[k]] = out[k] === 1;
    return result;
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
    requireBatchBytes(total, where, listArgument);
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
    const per = operation.shape === 'item' ? (from: number, to: number) => (to - from) * outputBytes : () => outputBytes;
    const length = ranges.reduce((n, [from, to]) => n + per(from, to), 0);
    const shared = this.buffers === 'shared';
    const batch: PackedBatch | undefined = shared ? { data: this.sharedBuffers.take(total), table: this.sharedBuffers.take(bytes.length * 8) } : undefined;
    const sharedOutput = shared ? this.sharedBuffers.take(length) : null;
    const out = shared ? new Uint8Array(sharedOutput as SharedArrayBuffer, 0, length) : new Uint8Array(length);
    let offset = 0;
    let start = 0;
    // Each shard leaves as soon as its items are copied: workers start while the rest is packed.
    const shards = ranges.map(([from, to]) => {
      const at = offset;
      const outputLength = per(from, to);
      offset += outputLength;
      let request: ShardRequest;
      if (batch !== undefined) {
        start = packRange(batch, bytes, from, to, start);
        request = { operation: name, params, batch, from, to, output: sharedOutput, outputOffset: at, outputLength };
      } else {
        const packed = packBatch(bytes, from, to, (n) => this.plainBuffers.take(n));
        request = { operation: name, params, batch: packed, from: 0, to: to - from, output: null, outputOffset: 0, outputLength };
      }
      return this.dispatch(request, signal).then((returned) => {
        if (returned !== undefined) out.set(new Uint8Array(returned), at);
      });
    });
    // A failed batch rejects at its first failure, but its other shards may still be running:
    // the batch counts as in flight, and its shared buffers as in use, until every shard settles.
    const settled = Promise.allSettled(shards).then(() => {
      this.running.delete(settled);
    });
    this.running.add(settled);
    try {
      await Promise.all(shards);
      // A shared output is copied out (its buffer serves later batches): the caller gets an ordinary array either way.
      return shared ? out.slice() : out;
    } finally {
      if (batch !== undefined) {
        const kept = [batch.data as SharedArrayBuffer, batch.table as SharedArrayBuffer, sharedOutput as SharedArrayBuffer];
        void settled.then(() => this.closed || this.sharedBuffers.give(kept));
      }
    }
  }

  /** Stops accepting work (later calls reject with `PoolClosedError`), lets every batch in flight finish, and ends the workers. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.running.size > 0) await Promise.all([...this.running]);
    await this.stop();
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

  /** Sends one shard; resolves to the output the worker sent back (transfer mode) or undefined (shared). */
  private async dispatch(request: ShardRequest, signal: AbortSignal | undefined): Promise<ArrayBuffer | undefined> {
    this.dispatchedShards++;
    const result = await this.send(request, signal);
    // Arguments were checked before dispatch; what is left is the operation's own failure (a
    // RangeError such as the WASM memory limit keeps its class, as it would inline).
    if (!result.ok) {
      if (result.name === 'RangeError') throw new RangeError(result.message);
      if (result.name === 'TypeError') throw new TypeError(result.message);
      throw new PoolTaskError(`${request.operation} failed in a worker: ${result.name}: ${result.message}`);
    }
    if (result.spent) this.plainBuffers.give([result.spent.data as ArrayBuffer, result.spent.table as ArrayBuffer]);
    return result.output;
  }

  /** Batches run inline (too small for a thread hop) and shards sent to workers so far. */
  get stats(): { inlineBatches: number; shards: number } {
    return { inlineBatches: this.inlineBatches, shards: this.dispatchedShards };
  }
}

/**
 * The limit on a batch's bytes (packed, for the signature batches), checked before the batch's
 * buffers are allocated: past it, typed arrays over the packed bytes cannot be made (V8's longest
 * is 2^32 bytes) and the table's u32 offsets would wrap.
 */
function requireBatchBytes(total: number, where: string, argument: string): void {
  if (total > MAX_POOL_BATCH_BYTES) throw new ArgumentRangeError(where, argument, `must hold at most MAX_POOL_BATCH_BYTES = ${MAX_POOL_BATCH_BYTES} bytes in all, got ${total}`);
}

function split(packed: Uint8Array, size: number): Uint8Array[] {
  const out = new Array<Uint8Array>(packed.length / size);
  for (let i = 0; i < out.length; i++) out[i] = packed.slice(i * size, (i + 1) * size);
  return out;
}
