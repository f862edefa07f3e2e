import { describe, expect, it } from 'vitest';
import { crc32 } from '../../src/consensus/crc32.js';

describe('crc32', () => {
  it('matches the IEEE check value and continues across pieces', () => {
    const all = new TextEncoder().encode('123456789');
    expect(crc32(all)).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    expect(crc32(all.subarray(4), crc32(all.subarray(0, 4)))).toBe(0xcbf43926);
  });
});
