/**
 * Copies `items[from..to)` back to back into `dest` starting at `at`, and writes their
 * (offset, length) u32 pairs into `table` from pair `slot` on, offsets counted from `origin`.
 * Items that already lie back to back in one buffer (views of one block of received or stored
 * data) are copied as one piece. Returns the end position in `dest`.
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
  let runFirst = from;
  let runAt = at;
  let runEnd = -1;
  for (let i = from; i < to; i++) {
    const item = items[i];
    if (item.byteOffset !== runEnd || item.buffer !== items[runFirst].buffer) {
      copyRun(items, runFirst, i, dest, runAt, at - runAt);
      runFirst = i;
      runAt = at;
    }
    runEnd = item.byteOffset + item.length;
    const t = 2 * (slot + i - from);
    table[t] = at - origin;
    table[t + 1] = item.length;
    at += item.length;
  }
  copyRun(items, runFirst, to, dest, runAt, at - runAt);
  return at;
}

function copyRun(items: readonly Uint8Array[], first: number, end: number, dest: Uint8Array, at: number, bytes: number): void {
  if (end - first === 1) dest.set(items[first], at);
  else if (end - first > 1) dest.set(new Uint8Array(items[first].buffer, items[first].byteOffset, bytes), at);
}

/** Bytes of `items[from..to)`. */
export function itemBytes(items: readonly Uint8Array[], from: number, to: number): number {
  let bytes = 0;
  for (let i = from; i < to; i++) bytes += items[i].length;
  return bytes;
}
