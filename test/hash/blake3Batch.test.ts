import { blake3 as nobleBlake3 } from '@noble/hashes/blake3.js';
import { describe, expect, it } from 'vitest';
import { bindBlake3 } from '../../src/hash/blake3.js';
import { blake3Many as defaultMany, blake3Pairs as defaultPairs } from '../../src/index.js';
import { instantiate } from '../../src/wasm/index.js';
import { Rng, testSeed } from '../_support/seed.js';

const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const enc = new TextEncoder();
const CONTEXT = 'swarmguard 2026-11-23 blake3 batch context';

const backends = { scalar: bindBlake3(instantiate('hash', 'scalar')), simd: bindBlake3(instantiate('hash', 'simd')) };

/** Messages of mixed lengths: mostly single-chunk (lane path), some spanning several chunks. */
function mixedMessages(rng: Rng, count: number): Uint8Array[] {
  return Array.from({ length: count }, () => {
    const r = rng.int(10);
    const len = r < 3 ? 64 : r < 7 ? rng.int(1025) : r < 9 ? rng.int(130) : 1025 + rng.int(9000);
    return rng.bytes(len);
  });
}

for (const [backend, api] of Object.entries(backends)) {
  const { blake3, blake3Many, blake3Pairs } = api;

  describe(`blake3Many (${backend})`, () => {
    it('equals item-by-item hashing in every mode and output length', () => {
      const rng = new Rng(testSeed(`blake3Many ${backend}`));
      const key = rng.bytes(32);
      for (const count of [0, 1, 2, 3, 4, 5, 7, 8, 9, 33, 257]) {
        const messages = mixedMessages(rng, count);
        for (const options of [{}, { key }, { context: CONTEXT }, { length: 16 }, { length: 0 }, { key, length: 100 }]) {
          const many = blake3Many(messages, options);
          expect(many.length).toBe(count);
          messages.forEach((m, i) => expect(toHex(many[i]), `count ${count} #${i} ${JSON.stringify(options)}`).toBe(toHex(blake3(m, options))));
        }
      }
    });

    it('handles every single-chunk length 0..1024 side by side, and agrees with @noble/hashes', () => {
      const rng = new Rng(testSeed(`blake3Many lengths ${backend}`));
      const messages = Array.from({ length: 1025 }, (_, len) => rng.bytes(len));
      const many = blake3Many(messages);
      messages.forEach((m, len) => expect(toHex(many[len]), `len ${len}`).toBe(toHex(nobleBlake3(m))));
      // Reversed, so each group of four mixes different block counts the other way round.
      const reversed = blake3Many([...messages].reverse());
      reversed.forEach((d, i) => expect(toHex(d)).toBe(toHex(many[1024 - i])));
    });

    it('accepts strings and batches beyond one scratch slice', () => {
      const rng = new Rng(testSeed(`blake3Many big ${backend}`));
      const big = rng.bytes(5 << 20);
      const messages = ['abc', big, rng.bytes(3 << 20), rng.bytes(2 << 20), ''];
      const many = blake3Many(messages);
      messages.forEach((m, i) => expect(toHex(many[i]), `#${i}`).toBe(toHex(nobleBlake3(typeof m === 'string' ? enc.encode(m) : m))));
    });

    it('rejects non-arrays and bad items with a TypeError naming them', () => {
      expect(() => blake3Many('abc' as never)).toThrow(/messages must be an array/);
      expect(() => blake3Many([new Uint8Array(1), 5 as never])).toThrow(/messages\[1\]/);
      expect(() => blake3Many([], { key: new Uint8Array(3) })).toThrow(RangeError);
    });
  });

  describe(`blake3Pairs (${backend})`, () => {
    it('equals per-item hashing of pair and prefix ‖ pair', () => {
      const rng = new Rng(testSeed(`blake3Pairs ${backend}`));
      for (const count of [0, 1, 3, 4, 5, 8, 13, 100]) {
        const pairs = rng.bytes(count * 64);
        for (const prefix of [undefined, 0, 1, 0x7f, 255]) {
          const out = blake3Pairs(pairs, prefix === undefined ? undefined : { prefix });
          expect(out.length).toBe(count * 32);
          for (let i = 0; i < count; i++) {
            const pair = pairs.subarray(i * 64, (i + 1) * 64);
            const message = prefix === undefined ? pair : Uint8Array.of(prefix, ...pair);
            expect(toHex(out.subarray(i * 32, (i + 1) * 32)), `count ${count} #${i} prefix ${prefix}`).toBe(toHex(nobleBlake3(message)));
          }
        }
      }
    });

    it('processes more pairs than fit one scratch slice', () => {
      const rng = new Rng(testSeed(`blake3Pairs big ${backend}`));
      const count = (4 << 20) / 64 + 37;
      const pairs = rng.bytes(count * 64);
      const out = blake3Pairs(pairs, { prefix: 1 });
      for (const i of [0, 1, 65535, 65536, 65537, count - 1]) {
        expect(toHex(out.subarray(i * 32, (i + 1) * 32))).toBe(toHex(nobleBlake3(Uint8Array.of(1, ...pairs.subarray(i * 64, (i + 1) * 64)))));
      }
    });

    it('rejects bad arguments', () => {
      expect(() => blake3Pairs('ab' as never)).toThrow(/pairs/);
      expect(() => blake3Pairs(new Uint8Array(65))).toThrow(RangeError);
      expect(() => blake3Pairs(new Uint8Array(64), { prefix: 256 })).toThrow(RangeError);
      expect(() => blake3Pairs(new Uint8Array(64), { prefix: 1.5 })).toThrow(/options\.prefix/);
    });
  });
}

describe('blake3 scalar == simd', () => {
  it('gives identical output for random inputs, modes, streaming splits and batches', () => {
    const rng = new Rng(testSeed('blake3 scalar==simd'));
    const { scalar, simd } = backends;
    for (let i = 0; i < 40; i++) {
      const m = rng.bytes(rng.int(3) === 0 ? rng.int(3000) : rng.int(300_000));
      const options = [{}, { key: rng.bytes(32) }, { context: 'ctx', length: rng.int(500) }][i % 3];
      expect(toHex(simd.blake3(m, options))).toBe(toHex(scalar.blake3(m, options)));
      const hs = scalar.blake3.create(options);
      const hv = simd.blake3.create(options);
      for (let pos = 0; pos < m.length; ) {
        const step = rng.int(70_000);
        hs.update(m.subarray(pos, pos + step));
        hv.update(m.subarray(pos, pos + step));
        pos += step;
      }
      expect(toHex(hv.digest())).toBe(toHex(hs.digest()));
    }
    const messages = mixedMessages(rng, 301);
    expect(simd.blake3Many(messages).map(toHex)).toEqual(scalar.blake3Many(messages).map(toHex));
    const pairs = rng.bytes(64 * 203);
    expect(toHex(simd.blake3Pairs(pairs, { prefix: 9 }))).toBe(toHex(scalar.blake3Pairs(pairs, { prefix: 9 })));
  });
});

describe('blake3 beyond the scratch size', () => {
  it('a 40 MiB input (one-shot, streaming, long XOF) equals @noble/hashes', () => {
    const rng = new Rng(testSeed('blake3 40 MiB'));
    const m = rng.bytes(40 << 20);
    const want = nobleBlake3(m, { dkLen: 64 });
    for (const { blake3 } of Object.values(backends)) {
      expect(toHex(blake3(m, { length: 64 }))).toBe(toHex(want));
      const h = blake3.create();
      h.update(m.subarray(0, 12_345_678)).update(m.subarray(12_345_678));
      expect(toHex(h.digest(64))).toBe(toHex(want));
    }
    const xof = backends.simd.blake3('xof', { length: (9 << 20) + 5 });
    expect(toHex(xof)).toBe(toHex(nobleBlake3(enc.encode('xof'), { dkLen: (9 << 20) + 5 })));
  });
});

describe('blake3Many / blake3Pairs on the default backend', () => {
  it('are exported from the package entry', () => {
    expect(toHex(defaultMany(['a', 'b'])[1])).toBe(toHex(nobleBlake3(enc.encode('b'))));
    expect(toHex(defaultPairs(new Uint8Array(64)))).toBe(toHex(nobleBlake3(new Uint8Array(64))));
  });
});
