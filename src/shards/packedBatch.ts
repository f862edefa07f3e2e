// The packed form in which a batch crosses to workers: item bytes back to back in one buffer and
// a table of (offset, length) u32 pairs. No per-item messages. Shared buffers (Node, and
// cross-origin-isolated pages) are read by every worker in place; plain ones are packed per
// shard and transferred to the one worker that runs it.
import { itemBytes, packItems } from '../wasm/index.js';

export interface PackedBatch {
  data: ArrayBuffer | SharedArrayBuffer;
  /** (offset into data, length) u32 pairs, one per item. */
  table: ArrayBuffer | SharedArrayBuffer;
}

/** Copies items [from, to) and their table entries into the batch from byte `start`; returns where the next range starts. */
export function packRange(batch: PackedBatch, items: readonly Uint8Array[], from: number, to: number, start: number): number {
  return packItems(items, from, to, new Uint8Array(batch.data), start, new Uint32Array(batch.table), from, 0);
}

/**
 * Items [from, to) of `items` (all of them by default) as a batch of their own, in plain buffers
 * of at least the size asked (`allocate`: where they come from).
 */
export function packBatch(items: readonly Uint8Array[], from = 0, to = items.length, allocate = (bytes: number) => new ArrayBuffer(bytes)): PackedBatch {
  const batch = { data: allocate(itemBytes(items, from, to)), table: allocate((to - from) * 8) };
  packItems(items, from, to, new Uint8Array(batch.data), 0, new Uint32Array(batch.table), 0, 0);
  return batch;
}

/** Views of items [from, to) of a packed batch (no copies). */
export function unpackItems(batch: PackedBatch, from: number, to: number): Uint8Array[] {
  const words = new Uint32Array(batch.table);
  const items = new Array<Uint8Array>(to - from);
  for (let i = from; i < to; i++) items[i - from] = new Uint8Array(batch.data, words[2 * i], words[2 * i + 1]);
  return items;
}
