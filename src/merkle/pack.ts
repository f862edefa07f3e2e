/**
 * Copies `items[from..to)` back to back into `dest` starting at `at`, and writes their
 * (offset, length) u32 pairs into `table` from pair `slot` on, offsets counted from `origin`.
 * Returns the end position in `dest`. (One `set` per item measured 3× faster than detecting
 * items that already lie back to back: reading `.buffer` per item costs more than the copy.)
 */
export function packItems(
  items: readonly Uint8Array[],
  from: number,
  to: number,
  dest: Uint8Array,
  at: number,
  table: Uint32Array,
  slot: number,
  origin: number,
): number {
  let t = 2 * slot;
  for (let i = from; i < to; i++) {
    const item = items[i];
    dest.set(item, at);
    table[t++] = at - origin;
    table[t++] = item.length;
    at += item.length;
  }
  return at;
}

/** Bytes of `items[from..to)`. */
export function itemBytes(items: readonly Uint8Array[], from: number, to: number): number {
  let bytes = 0;
  for (let i = from; i < to; i++) bytes += items[i].length;
  return bytes;
}
