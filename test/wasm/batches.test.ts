import { describe, expect, it } from 'vitest';
import { forEachBatch, itemBytes, packItems } from '../../src/wasm/index.js';

function cuts(items: readonly Uint8Array[] | Uint32Array, from: number, to: number, maxBytes: number, maxItems: number): number[][] {
  const out: number[][] = [];
  forEachBatch(items, from, to, maxBytes, maxItems, (a, b, bytes) => out.push([a, b, bytes]));
  return out;
}

const sized = (...lengths: number[]) => lengths.map((n) => new Uint8Array(n));

describe('forEachBatch', () => {
  it('cuts by bytes and by items, in order, and puts an item longer than maxBytes alone', () => {
    expect(cuts(sized(3, 3, 3, 3), 0, 4, 6, 10)).toEqual([[0, 2, 6], [2, 4, 6]]);
    expect(cuts(sized(1, 1, 1, 1, 1), 0, 5, 100, 2)).toEqual([[0, 2, 2], [2, 4, 2], [4, 5, 1]]);
    expect(cuts(sized(2, 9, 2, 2), 0, 4, 5, 10)).toEqual([[0, 1, 2], [1, 2, 9], [2, 4, 4]]);
    expect(cuts(sized(9, 9), 0, 2, 5, 10)).toEqual([[0, 1, 9], [1, 2, 9]]);
    expect(cuts(sized(0, 0, 0), 0, 3, 0, 10)).toEqual([[0, 3, 0]]);
    expect(cuts(sized(1, 2, 3), 1, 1, 5, 5)).toEqual([]);
  });

  it('reads lengths from a packed (offset, length) table the same way', () => {
    const items = sized(4, 1, 7, 2, 2);
    const table = new Uint32Array(2 * items.length);
    const data = new Uint8Array(itemBytes(items, 0, items.length));
    expect(packItems(items, 0, items.length, data, 0, table, 0, 0)).toBe(16);
    expect(Array.from(table)).toEqual([0, 4, 4, 1, 5, 7, 12, 2, 14, 2]);
    for (const [maxBytes, maxItems] of [[5, 10], [8, 2], [1, 1], [100, 3]]) {
      expect(cuts(table, 1, 5, maxBytes, maxItems)).toEqual(cuts(items, 1, 5, maxBytes, maxItems));
    }
  });
});
