import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes/index.js';
import { Reader, Writer } from '../../src/consensus/index.js';
import { sha256 } from '../../src/hash/index.js';
import { keyOf, readAmount, SortedTable, writeAmount } from '../../src/validators/table.js';
import { Rng, testSeed } from '../_support/seed.js';

// SortedTable keeps its order, leaf hashes and leaf list incrementally; a plain Map and the
// definition of the root (SHA-256 over the leaf hashes SHA-256(u32 length ‖ key ‖ encoding) in
// key order) are the reference it must match after any sequence of changes.

const amountCodec = { encode: (w: Writer, v: bigint) => void writeAmount(w, v), decode: readAmount };

function referenceRoot(map: Map<string, bigint>): string {
  const keys = [...map.keys()].sort();
  const leaves = new Uint8Array(keys.length * 32);
  keys.forEach((k, i) => {
    const w = new Writer().u32(k.length).raw(Uint8Array.from(k, (c) => c.charCodeAt(0)));
    writeAmount(w, map.get(k) as bigint);
    leaves.set(sha256(w.finish()), i * 32);
  });
  return bytesToHex(sha256(leaves));
}

describe('SortedTable', () => {
  const seed = testSeed('SortedTable');

  it('matches a plain map and the root definition through random inserts, updates, deletes and roots', () => {
    const rng = new Rng(seed);
    const table = new SortedTable(amountCodec);
    const map = new Map<string, bigint>();
    // Few distinct keys, so that keys come back after being deleted; two-byte keys, sharing first bytes.
    const keyOfIndex = (i: number) => keyOf(new Uint8Array([i % 23, (i * 7) % 5]));
    for (let step = 0; step < 3000; step++) {
      const key = keyOfIndex(rng.int(60));
      const action = rng.int(10);
      if (action < 5) {
        const value = rng.int(4) === 0 ? 2n ** 100n + BigInt(rng.u32()) : BigInt(rng.u32());
        table.set(key, value);
        map.set(key, value);
      } else if (action < 8) {
        table.delete(key);
        map.delete(key);
      } else if (action < 9) {
        expect(bytesToHex(table.rootHash())).toBe(referenceRoot(map));
      } else {
        expect(table.keys()).toEqual([...map.keys()].sort());
      }
      expect(table.size).toBe(map.size);
    }
    expect(bytesToHex(table.rootHash())).toBe(referenceRoot(map));
    // keysWithPrefix finds exactly the live keys with that first byte, in order.
    for (let g = 0; g < 5; g++) {
      const prefix = String.fromCharCode(g);
      expect(table.keysWithPrefix(prefix)).toEqual([...map.keys()].filter((k) => k[0] === prefix).sort());
    }
  });

  it('round-trips through encode and decodeFrom with the same root, and reads amounts of every size back', () => {
    const table = new SortedTable(amountCodec);
    const values = [0n, 1n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 64n + 5n, 2n ** 128n - 1n];
    values.forEach((v, i) => table.set(keyOf(new Uint8Array([9 - i, i])), v));
    const w = new Writer();
    table.encode(w);
    const copy = new SortedTable(amountCodec);
    copy.decodeFrom(new Reader(w.finish()));
    expect(bytesToHex(copy.rootHash())).toBe(bytesToHex(table.rootHash()));
    expect(copy.entriesInOrder()).toEqual(table.entriesInOrder());
    expect([...copy.values()].sort((a, b) => (a < b ? -1 : 1))).toEqual(values);
  });

  it('decodes a repeated key as set would: the last value, one entry', () => {
    const w = new Writer().u32(2);
    for (const v of [1n, 2n]) writeAmount(w.u32(1).u8(7), v);
    const table = new SortedTable(amountCodec);
    table.decodeFrom(new Reader(w.finish()));
    const once = new SortedTable(amountCodec);
    once.set(keyOf(new Uint8Array([7])), 2n);
    expect(table.entriesInOrder()).toEqual([[keyOf(new Uint8Array([7])), 2n]]);
    expect(bytesToHex(table.rootHash())).toBe(bytesToHex(once.rootHash()));
  });

  it('forEach visits in key order, skips an entry deleted before its turn and not one inserted meanwhile', () => {
    const table = new SortedTable(amountCodec);
    for (const b of [5, 1, 3, 4]) table.set(keyOf(new Uint8Array([b])), BigInt(b));
    const seen: number[] = [];
    table.forEach((key, value) => {
      seen.push(Number(value));
      if (value === 1n) {
        table.delete(keyOf(new Uint8Array([4])));
        table.set(keyOf(new Uint8Array([2])), 2n);
      }
      if (value === 3n) table.delete(key);
    });
    expect(seen).toEqual([1, 3, 5]);
    expect(table.keys().map((k) => k.charCodeAt(0))).toEqual([1, 2, 5]);
  });
});
