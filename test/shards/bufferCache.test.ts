import { describe, expect, it } from 'vitest';
import { BufferCache } from '../../src/shards/bufferCache.js';

describe('BufferCache', () => {
  it('hands back a kept buffer big enough (the smallest such), else allocates a power of two of at least 64 KiB', () => {
    const sizes: number[] = [];
    const cache = new BufferCache((bytes) => (sizes.push(bytes), new ArrayBuffer(bytes)));
    const small = cache.take(10);
    const big = cache.take(300_000);
    expect([small.byteLength, big.byteLength]).toEqual([65_536, 524_288]);
    cache.give([big, small]);
    expect(cache.take(1000)).toBe(small);
    expect(cache.take(70_000)).toBe(big);
    expect(cache.take(1)).not.toBe(small);
    expect(sizes).toEqual([65_536, 524_288, 65_536]);
  });

  it('lets go of detached buffers, buffers over 32 MiB, and the smallest past 64 MiB kept', () => {
    const cache = new BufferCache((bytes) => new ArrayBuffer(bytes));
    const moved = cache.take(1);
    structuredClone(moved, { transfer: [moved] });
    const huge = new ArrayBuffer(33 << 20);
    const kept = [16, 16, 16, 16, 8].map((mib) => new ArrayBuffer(mib << 20));
    cache.give([moved, huge, ...kept]);
    // Smallest fit first: were the 8 MiB buffer kept (72 MiB in all), it would come first.
    const sizes = Array.from({ length: 5 }, () => cache.take(1).byteLength);
    expect(sizes).toEqual([16 << 20, 16 << 20, 16 << 20, 16 << 20, 65_536]);
  });
});
