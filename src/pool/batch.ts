// The packed form in which a batch crosses threads: item bytes back to back in one buffer and
// a table of (offset, length) u32 pairs, both in SharedArrayBuffers that every worker reads
// without copies; results go to a shared output buffer. No per-item messages.

export interface PackedBatch {
  data: SharedArrayBuffer;
  /** (offset into data, length) u32 pairs, one per item. */
  table: SharedArrayBuffer;
  count: number;
}

/**
 * Allocates the shared buffers for `items` (each behind the byte `prefix` when given; the table
 * then covers prefix and item) and writes the table; `packRange` fills in the bytes, so shards
 * can be dispatched while later ones are still being copied.
 */
export function allocateBatch(items: readonly Uint8Array[], prefix?: number): PackedBatch {
  const extra = prefix === undefined ? 0 : 1;
  const table = new SharedArrayBuffer(Math.max(items.length * 8, 8));
  const words = new Uint32Array(table);
  let at = 0;
  for (let i = 0; i < items.length; i++) {
    words[2 * i] = at;
    words[2 * i + 1] = items[i].length + extra;
    at += items[i].length + extra;
  }
  return { data: new SharedArrayBuffer(Math.max(at, 1)), table, count: items.length };
}

/** Copies items [from, to) into an allocated batch. */
export function packRange(batch: PackedBatch, items: readonly Uint8Array[], from: number, to: number, prefix?: number): void {
  const u8 = new Uint8Array(batch.data);
  const words = new Uint32Array(batch.table);
  for (let i = from; i < to; i++) {
    const at = words[2 * i];
    if (prefix === undefined) {
      u8.set(items[i], at);
    } else {
      u8[at] = prefix;
      u8.set(items[i], at + 1);
    }
  }
}

export function packBatch(items: readonly Uint8Array[], prefix?: number): PackedBatch {
  const batch = allocateBatch(items, prefix);
  packRange(batch, items, 0, items.length, prefix);
  return batch;
}

/** Views of items [from, to) of a packed batch (no copies). */
export function unpackItems(batch: PackedBatch, from: number, to: number): Uint8Array[] {
  const words = new Uint32Array(batch.table);
  const items = new Array<Uint8Array>(to - from);
  for (let i = from; i < to; i++) items[i - from] = new Uint8Array(batch.data, words[2 * i], words[2 * i + 1]);
  return items;
}
