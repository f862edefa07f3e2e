import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bindSha2, SHA2_SLICE_BYTES } from '../../src/hash/sha2.js';
import { instantiate } from '../../src/wasm/index.js';
import { Rng, testSeed } from '../_support/seed.js';

const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const nodeSha256 = (...parts: Uint8Array[]): string => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

const scalar = bindSha2(instantiate('hash', 'scalar'));
const simd = bindSha2(instantiate('hash', 'simd'));

/** Messages whose lengths mix tiny, boundary and multi-block sizes, so the four lanes finish at different times. */
function mixedMessages(rng: Rng, count: number): Uint8Array[] {
  const sizes = [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 200, 1000, 4096, 20_000];
  return Array.from({ length: count }, () => rng.bytes(rng.int(3) === 0 ? sizes[rng.int(sizes.length)] : rng.int(rng.int(2) ? 300 : 5000)));
}

for (const [backend, api] of [['scalar', scalar], ['simd', simd]] as const) {
  describe(`sha256Many (${backend})`, () => {
    it('equals hashing item by item on random mixes of lengths', () => {
      const rng = new Rng(testSeed(`sha256Many mixes ${backend}`));
      for (let trial = 0; trial < 25; trial++) {
        const messages = mixedMessages(rng, rng.int(40));
        const digests = api.sha256Many(messages);
        expect(digests.length).toBe(messages.length);
        digests.forEach((d, i) => expect(toHex(d), `trial ${trial} item ${i} (${messages[i].length} bytes)`).toBe(nodeSha256(messages[i])));
      }
    });

    it('handles empty lists, single items, strings and equal 64-byte messages', () => {
      expect(api.sha256Many([])).toEqual([]);
      expect(toHex(api.sha256Many(['abc'])[0])).toBe(nodeSha256(new TextEncoder().encode('abc')));
      const rng = new Rng(testSeed(`sha256Many 64-byte ${backend}`));
      const messages = Array.from({ length: 1001 }, () => rng.bytes(64));
      api.sha256Many(messages).forEach((d, i) => expect(toHex(d)).toBe(nodeSha256(messages[i])));
    });

    it('finishes the last busy messages correctly wherever they stand (full blocks or padded tail)', () => {
      const rng = new Rng(testSeed(`sha256Many tails ${backend}`));
      const shapes = [[20_000, 10, 30_000], [10, 20_000], [119, 120, 56, 55], [1_000, 1_000, 1_000, 1_000, 5_000, 64], [0, 0, 0, 0, 0, 129]];
      for (const lengths of shapes) {
        const messages = lengths.map((n) => rng.bytes(n));
        api.sha256Many(messages).forEach((d, i) => expect(toHex(d), `lengths ${lengths} item ${i}`).toBe(nodeSha256(messages[i])));
      }
    });

    it('returns the digests as 32-byte views of one buffer per batch, as blake3Many does', () => {
      const [a, b] = api.sha256Many(['a', 'b']);
      expect(a.buffer).toBe(b.buffer);
      expect([a.byteLength, a.byteOffset, b.byteOffset]).toEqual([32, 0, 32]);
      a.fill(0);
      expect(toHex(b)).toBe(nodeSha256(new TextEncoder().encode('b')));
    });

    it('64-byte messages back to back take the pairs path; one other length anywhere takes the general one', () => {
      const rng = new Rng(testSeed(`sha256Many 64-byte runs ${backend}`));
      for (const count of [1, 3, 4, 5, 64, 257]) {
        const messages = Array.from({ length: count }, () => rng.bytes(64));
        api.sha256Many(messages).forEach((d, i) => expect(toHex(d), `${count} items, item ${i}`).toBe(nodeSha256(messages[i])));
        const odd = messages.slice();
        odd[rng.int(count)] = rng.bytes(rng.int(2) ? 63 : 65);
        api.sha256Many(odd).forEach((d, i) => expect(toHex(d), `${count} items with one odd, item ${i}`).toBe(nodeSha256(odd[i])));
      }
    });

    it('splits batches larger than the scratch slice, including items bigger than a slice', () => {
      const rng = new Rng(testSeed(`sha256Many big ${backend}`));
      const big = rng.bytes(SHA2_SLICE_BYTES + 1000);
      const messages = [rng.bytes(3_000_000), rng.bytes(100), big, rng.bytes(3_000_000), rng.bytes(3_000_000), rng.bytes(64)];
      api.sha256Many(messages).forEach((d, i) => expect(toHex(d), `item ${i}`).toBe(nodeSha256(messages[i])));
    });

    it('splits lists with more messages than one call takes', () => {
      const messages = Array.from({ length: 70_000 }, (_, i) => new Uint8Array(i % 3).fill(i & 0xff));
      const digests = api.sha256Many(messages);
      expect(digests.length).toBe(messages.length);
      for (const i of [0, 1, 2, 65_535, 65_536, 65_537, 69_999]) expect(toHex(digests[i]), `item ${i}`).toBe(nodeSha256(messages[i]));
    });

    it('rejects a non-array and names the bad element', () => {
      expect(() => api.sha256Many('abc' as never)).toThrow(TypeError);
      expect(() => api.sha256Many('abc' as never)).toThrow(/messages/);
      expect(() => api.sha256Many([new Uint8Array(1), 5 as never])).toThrow(/messages\[1\]/);
    });
  });

  describe(`sha256Pairs (${backend})`, () => {
    it('equals per-item SHA-256 of each 64-byte pair, with and without a prefix', () => {
      const rng = new Rng(testSeed(`sha256Pairs ${backend}`));
      for (const count of [0, 1, 2, 3, 4, 5, 7, 8, 9, 63, 64, 65, 257]) {
        const pairs = rng.bytes(64 * count);
        for (const prefix of [undefined, 0, 1, 255]) {
          const out = api.sha256Pairs(pairs, prefix === undefined ? undefined : { prefix });
          expect(out.length).toBe(32 * count);
          for (let i = 0; i < count; i++) {
            const pair = pairs.subarray(64 * i, 64 * i + 64);
            const expected = prefix === undefined ? nodeSha256(pair) : nodeSha256(new Uint8Array([prefix]), pair);
            expect(toHex(out.subarray(32 * i, 32 * i + 32)), `count ${count} item ${i} prefix ${prefix}`).toBe(expected);
          }
        }
      }
    });

    it('the kernel may write its output over its input (in-place Merkle level reduction)', () => {
      const inst = instantiate('hash', backend);
      const rng = new Rng(testSeed(`sha256_pairs in place ${backend}`));
      for (const count of [1, 4, 7, 33]) {
        for (const prefix of [-1, 1]) {
          const pairs = rng.bytes(64 * count);
          const out = inst.scoped(() => {
            const ptr = inst.put(pairs);
            inst.kernels.sha256Pairs(ptr, ptr, count, prefix);
            return inst.read(ptr, 32 * count);
          });
          expect(toHex(out), `count ${count} prefix ${prefix}`).toBe(toHex(api.sha256Pairs(pairs, prefix < 0 ? undefined : { prefix })));
        }
      }
    });

    it('hashes more pairs than fit in one scratch slice', () => {
      const rng = new Rng(testSeed(`sha256Pairs big ${backend}`));
      const count = SHA2_SLICE_BYTES / 64 + 37;
      const pairs = rng.bytes(64 * count);
      const out = api.sha256Pairs(pairs, { prefix: 1 });
      for (const i of [0, 1, SHA2_SLICE_BYTES / 64 - 1, SHA2_SLICE_BYTES / 64, count - 1]) {
        expect(toHex(out.subarray(32 * i, 32 * i + 32))).toBe(nodeSha256(new Uint8Array([1]), pairs.subarray(64 * i, 64 * i + 64)));
      }
    });

    it('rejects bad pairs and options', () => {
      expect(() => api.sha256Pairs(new Uint8Array(65))).toThrow(RangeError);
      expect(() => api.sha256Pairs('x'.repeat(64) as never)).toThrow(/pairs/);
      expect(() => api.sha256Pairs(new Uint8Array(64), { prefix: 256 })).toThrow(RangeError);
      expect(() => api.sha256Pairs(new Uint8Array(64), { prefix: 1.5 })).toThrow(RangeError);
      expect(() => api.sha256Pairs(new Uint8Array(64), { prefix: '1' as never })).toThrow(/options\.prefix/);
      expect(() => api.sha256Pairs(new Uint8Array(64), 3 as never)).toThrow(/options/);
    });
  });

  describe(`inputs larger than the scratch slice (${backend})`, () => {
    it('a 40 MiB message hashes like node:crypto through every entry point', () => {
      const big = new Uint8Array(40 * 1024 * 1024 + 123);
      for (let i = 0; i < big.length; i += 4096) big[i] = (i * 2654435761) >>> 24;
      const expected256 = nodeSha256(big);
      expect(toHex(api.sha256(big))).toBe(expected256);
      expect(toHex(api.sha256.create().update(big.subarray(0, 5)).update(big.subarray(5)).digest())).toBe(expected256);
      expect(toHex(api.sha512(big))).toBe(createHash('sha512').update(big).digest('hex'));
    });
  });
}

describe('scalar and simd backends agree', () => {
  it('on random inputs through every SHA-2 function', () => {
    const rng = new Rng(testSeed('sha2 scalar vs simd'));
    for (let trial = 0; trial < 20; trial++) {
      const m = rng.bytes(rng.int(10_000));
      expect(toHex(simd.sha256(m))).toBe(toHex(scalar.sha256(m)));
      expect(toHex(simd.sha512(m))).toBe(toHex(scalar.sha512(m)));
      const messages = mixedMessages(rng, rng.int(30));
      expect(simd.sha256Many(messages).map(toHex)).toEqual(scalar.sha256Many(messages).map(toHex));
      const pairs = rng.bytes(64 * rng.int(50));
      const prefix = rng.int(2) ? { prefix: rng.int(256) } : undefined;
      expect(toHex(simd.sha256Pairs(pairs, prefix))).toBe(toHex(scalar.sha256Pairs(pairs, prefix)));
    }
  });
});
