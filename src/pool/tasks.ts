// The table of batch operations the pool runs. Each task maps one shard of a packed batch to
// bytes in the output; the same function runs inline (tiny batches, tests, the simulator) and
// in workers. To add an operation: add one entry here (see docs/pool.md).
import { blake3Many, type Blake3Options, sha256Many } from '../hash/index.js';
import { rootOfPackedBatch } from '../merkle/index.js';
import { type PackedBatch, unpackItems } from './batch.js';
import { verifyEd25519Packed } from '../sig/index.js';

/** Options a task receives; structured-clonable. */
export type TaskParams = Record<string, unknown>;

export interface PoolTask {
  /**
   * `item`: the output holds `outputBytes(params)` bytes per item, shards are any item ranges.
   * `subtree`: one output per shard, and shards are RFC 9162 subtrees (aligned power-of-two
   * ranges, the last possibly shorter) whose outputs the host joins.
   */
  shape: 'item' | 'subtree';
  outputBytes(params: TaskParams): number;
  /** Fixed work of one item in bytes of hashing, for shard sizing (default 64). */
  itemCost?: number;
  /** Shards per thread for a large batch (default 4, for load balance); 1 where bigger batches run cheaper per item. */
  shardsPerThread?: number;
  /** Fills `out` (this shard's part of the output) from items [from, to) of `batch` (`unpackItems` gives views). */
  run(batch: PackedBatch, from: number, to: number, out: Uint8Array, params: TaskParams): void;
}

function writeAll(digests: Uint8Array[], out: Uint8Array): void {
  let at = 0;
  for (const d of digests) {
    out.set(d, at);
    at += d.length;
  }
}

export const tasks = {
  sha256Many: {
    shape: 'item',
    outputBytes: () => 32,
    run: (batch, from, to, out) => writeAll(sha256Many(unpackItems(batch, from, to)), out),
  },
  blake3Many: {
    shape: 'item',
    outputBytes: (params) => (params as Blake3Options).length ?? 32,
    run: (batch, from, to, out, params) => writeAll(blake3Many(unpackItems(batch, from, to), params as Blake3Options), out),
  },
  merkleRoot: {
    shape: 'subtree',
    outputBytes: () => 32,
    // Zero-copy path: each chunk of the shard goes into WASM as one copy of its packed bytes.
    run: (batch, from, to, out, params) =>
      out.set(rootOfPackedBatch(new Uint8Array(batch.data), new Uint32Array(batch.table), from, to, { hash: params.hash as 'sha256' | 'blake3' })),
  },
  ed25519VerifyBatch: {
    shape: 'item',
    outputBytes: () => 1,
    // A signature costs about as much as hashing 16 KiB, but batch verification gets cheaper per
    // signature as batches grow: counting 4 KiB keeps shards at 32 signatures or more.
    itemCost: 4 * 1024,
    shardsPerThread: 1,
    run: (batch, from, to, out) => verifyEd25519Packed(unpackItems(batch, from, to)).forEach((ok, i) => (out[i] = ok ? 1 : 0)),
  },
} satisfies Record<string, PoolTask>;

export type TaskName = keyof typeof tasks;

export function isTaskName(name: unknown): name is TaskName {
  return typeof name === 'string' && Object.hasOwn(tasks, name);
}
