// The packed form in which a batch crosses threads: item bytes back to back in one buffer and
// a table of (offset, length) u32 pairs, both in SharedArrayBuffers that every worker reads
// without copies; results go to a shared output buffer. No per-item messages.

export interface PackedBatch {
  data: SharedArrayBuffer;
  /** (offset into data, length) u32 pairs, one per item. */
  table: SharedArrayBuffer;
  count: number;
}

/** Packs `items`, each behind the byte `prefix` when given (the table then covers prefix and item). */
export function packBatch(items: readonly Uint8Array[], prefix?: number): PackedBatch {
  const extra = prefix === undefined ? 0 : 1;
  let bytes = 0;
  for (const item of items) bytes += item.length + extra;
  const data = new SharedArrayBuffer(Math.max(bytes, 1));
  const table = new SharedArrayBuffer(Math.max(items.length * 8, 8));
  const u8 = new Uint8Array(data);
  const words = new Uint32Array(table);
  let at = 0;
  for (let i = 0; i < items.length; i++) {
    words[2 * i] = at;
    words[2 * i + 1] = items[i].length + extra;
    if (prefix !== undefined) u8[at] = prefix;
    u8.set(items[i], at + extra);
    at += items[i].length + extra;
  }
  return { data, table, count: items.length };
}

/** Views of items [from, to) of a packed batch (no copies). */
export function unpackItems(batch: PackedBatch, from: number, to: number): Uint8Array[] {
  const words = new Uint32Array(batch.table);
  const items = new Array<Uint8Array>(to - from);
  for (let i = from; i < to; i++) items[i - from] = new Uint8Array(batch.data, words[2 * i], words[2 * i + 1]);
  return items;
}
