// The packed form in which a batch crosses threads: item bytes back to back in one buffer and
// a table of (offset, length) u32 pairs, both in SharedArrayBuffers that every worker reads
// without copies; results go to a shared output buffer. No per-item messages.
import { packItems } from '../merkle/index.js';

export interface PackedBatch {
  data: SharedArrayBuffer;
  /** (offset into data, length) u32 pairs, one per item. */
  table: SharedArrayBuffer;
  count: number;
}

/**
 * Allocates the shared buffers for `items` and writes the table; `packRange` copies the bytes,
 * so shards can be dispatched while later ones are still being copied.
 */
export function allocateBatch(items: readonly Uint8Array[]): PackedBatch {
  const table = new SharedArrayBuffer(Math.max(items.length * 8, 8));
  const words = new Uint32Array(table);
  let at = 0;
  for (let i = 0; i < items.length; i++) {
    words[2 * i] = at;
    words[2 * i + 1] = items[i].length;
    at += items[i].length;
  }
  return { data: new SharedArrayBuffer(Math.max(at, 1)), table, count: items.length };
}

/** Copies items [from, to) into an allocated batch (items back to back in one buffer in one piece). */
export function packRange(batch: PackedBatch, items: readonly Uint8Array[], from: number, to: number): void {
  const words = new Uint32Array(batch.table);
  const start = from < batch.count ? words[2 * from] : 0;
  // The table is already final; packItems rewrites the same entries.
  packItems(items, from, to, new Uint8Array(batch.data), start, words, from, 0);
}

export function packBatch(items: readonly Uint8Array[]): PackedBatch {
  const batch = allocateBatch(items);
  packRange(batch, items, 0, items.length);
  return batch;
}

/** Views of items [from, to) of a packed batch (no copies). */
export function unpackItems(batch: PackedBatch, from: number, to: number): Uint8Array[] {
  const words = new Uint32Array(batch.table);
  const items = new Array<Uint8Array>(to - from);
  for (let i = from; i < to; i++) items[i - from] = new Uint8Array(batch.data, words[2 * i], words[2 * i + 1]);
  return items;
}
