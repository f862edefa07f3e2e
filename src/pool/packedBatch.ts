// The packed form in which a batch crosses threads: item bytes back to back in one buffer and
// a table of (offset, length) u32 pairs, both in SharedArrayBuffers that every worker reads
// without copies; results go to a shared output buffer. No per-item messages.
import { itemBytes, packItems } from '../wasm/index.js';

export interface PackedBatch {
  data: SharedArrayBuffer;
  /** (offset into data, length) u32 pairs, one per item. */
  table: SharedArrayBuffer;
  count: number;
}

/** Shared buffers for `count` items of `bytes` bytes in all; `packRange` fills them shard by shard. */
export function createBatch(bytes: number, count: number): PackedBatch {
  return { data: new SharedArrayBuffer(Math.max(bytes, 1)), table: new SharedArrayBuffer(Math.max(count * 8, 8)), count };
}

/** Copies items [from, to) and their table entries into the batch from byte `start`; returns where the next range starts. */
export function packRange(batch: PackedBatch, items: readonly Uint8Array[], from: number, to: number, start: number): number {
  return packItems(items, from, to, new Uint8Array(batch.data), start, new Uint32Array(batch.table), from, 0);
}

export function packBatch(items: readonly Uint8Array[]): PackedBatch {
  const batch = createBatch(itemBytes(items, 0, items.length), items.length);
  packRange(batch, items, 0, items.length, 0);
  return batch;
}

/** Views of items [from, to) of a packed batch (no copies). */
export function unpackItems(batch: PackedBatch, from: number, to: number): Uint8Array[] {
  const words = new Uint32Array(batch.table);
  const items = new Array<Uint8Array>(to - from);
  for (let i = from; i < to; i++) items[i - from] = new Uint8Array(batch.data, words[2 * i], words[2 * i + 1]);
  return items;
}
