import { describe, expect, it } from 'vitest';
import { type BatchItem, createBackend } from '../../src/index.js';
import { Rng, testSeed } from '../_support/seed.js';

const L = 2n ** 252n + 27742317777372353535851937790883648493n;

/** Encodings that are not points, small-order points, and non-canonical ones (ZIP-215 accepts the latter). */
const notOnCurve = Buffer.from('0200000000000000000000000000000000000000000000000000000000000000', 'hex');
const smallOrder = Buffer.from('26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05', 'hex');
const identityNonCanonical = Buffer.from('eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', 'hex');

function addL(sig: Uint8Array): Uint8Array {
  let s = 0n;
  for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(sig[i]);
  s += L;
  const out = sig.slice();
  for (let i = 32; i < 64; i++) {
    out[i] = Number(s & 0xffn);
    s >>= 8n;
  }
  return out;
}

for (const name of ['scalar', 'simd'] as const) {
  describe(`verifyBatch equals items.map(verify) (${name})`, () => {
    const { ed25519 } = createBackend(name);
    const keys = Array.from({ length: 16 }, (_, i) => ed25519.generateKeyPair(new Uint8Array(32).fill(i + 1)));

    /** A random mix: mostly valid, and every kind of invalid or edge item. */
    function mix(rng: Rng, n: number, badRate: number): BatchItem[] {
      return Array.from({ length: n }, () => {
        const key = keys[rng.int(keys.length)];
        const message = rng.bytes(rng.int(100));
        const signature = ed25519.sign(message, key.secretKey);
        const item: BatchItem = { signature, message, publicKey: key.publicKey };
        if (rng.u32() / 2 ** 32 >= badRate) return item;
        const sig = signature.slice();
        switch (rng.int(9)) {
          case 0:
            sig[rng.int(64)] ^= 1 << rng.int(8);
            return { ...item, signature: sig };
          case 1:
            return { ...item, message: new Uint8Array([...message, 1]) };
          case 2:
            return { ...item, publicKey: keys[(keys.indexOf(key) + 1) % keys.length].publicKey };
          case 3:
            return { ...item, signature: addL(signature) };
          case 4:
            sig.set(notOnCurve, 0);
            return { ...item, signature: sig };
          case 5:
            return { ...item, publicKey: notOnCurve };
          case 6:
            // Small-order A with R = identity and S = 0: valid under the cofactored rule.
            return { signature: new Uint8Array([...identityNonCanonical, ...new Uint8Array(32)]), message, publicKey: smallOrder };
          case 7:
            // R with a torsion component added: fails.
            sig.set(smallOrder, 0);
            return { ...item, signature: sig };
          default:
            return { ...item, signature: sig.subarray(0, 63) };
        }
      });
    }

    it('on random mixes at every size from 1 to 40 and at sizes up to 300 (Straus and Pippenger)', () => {
      const rng = new Rng(testSeed(`verifyBatch mixes ${name}`));
      const sizes = [...Array.from({ length: 40 }, (_, i) => i + 1), 63, 64, 100, 191, 192, 193, 256, 300];
      for (const n of sizes) {
        const items = mix(rng, n, [0, 0.02, 0.2, 0.7, 1][rng.int(5)]);
        const expected = items.map((i) => ed25519.verify(i.signature, i.message, i.publicKey));
        expect(ed25519.verifyBatch(items), `size ${n}`).toEqual(expected);
      }
    });

    it('finds a single invalid item at any position of a large batch', () => {
      const rng = new Rng(testSeed(`verifyBatch single bad ${name}`));
      const items = mix(rng, 257, 0);
      for (const pos of [0, 128, 256]) {
        const bad = items.slice();
        bad[pos] = { ...bad[pos], message: 'tampered' };
        const result = ed25519.verifyBatch(bad);
        expect(result.filter((x) => !x).length).toBe(1);
        expect(result[pos]).toBe(false);
      }
    });

    it('splits batches beyond 4096 items into several WASM calls with the same answers', () => {
      const items = mix(new Rng(testSeed(`verifyBatch chunks ${name}`)), 64, 0);
      const big = Array.from({ length: 4100 }, (_, i) => items[i % items.length]);
      for (const pos of [5, 4095, 4096, 4099]) big[pos] = { ...big[pos], message: 'forged' };
      const result = ed25519.verifyBatch(big);
      expect(result.length).toBe(4100);
      expect(result.flatMap((ok, i) => (ok ? [] : [i]))).toEqual([5, 4095, 4096, 4099]);
    });

    it('takes its coefficients from options.random, and any coefficients give the same answer', () => {
      const rng = new Rng(testSeed(`verifyBatch coefficients ${name}`));
      const items = mix(rng, 30, 0.3);
      const expected = items.map((i) => ed25519.verify(i.signature, i.message, i.publicKey));
      let asked = 0;
      const seeded = (bytes: Uint8Array) => {
        asked = bytes.length;
        bytes.set(rng.bytes(bytes.length));
      };
      expect(ed25519.verifyBatch(items, { random: seeded })).toEqual(expected);
      expect(asked).toBe(16 * items.filter((i) => i.signature.length === 64 && i.publicKey.length === 32).length);
      expect(ed25519.verifyBatch(items, { random: (b) => b.fill(0) })).toEqual(expected);
      expect(ed25519.verifyBatch(items, { random: (b) => b.fill(0xff) })).toEqual(expected);
      expect(() => ed25519.verifyBatch(items, { random: 5 as never })).toThrow(TypeError);
    });

    it('cuts batches by message bytes too (16 MiB per WASM call, a longer message verified alone), one draw of coefficients per call', () => {
      const rng = new Rng(testSeed(`verifyBatch large messages ${name}`));
      const sizes = [7 << 20, 7 << 20, 3 << 20, 17 << 20, 1, 5 << 20];
      const items: BatchItem[] = sizes.map((size, i) => {
        const message = rng.bytes(size);
        const key = keys[i % keys.length];
        const signature = ed25519.sign(message, key.secretKey);
        if (i === 2) signature[0] ^= 1;
        return { signature, message, publicKey: key.publicKey };
      });
      const draws: number[] = [];
      const random = (bytes: Uint8Array) => {
        draws.push(bytes.length / 16);
        bytes.set(rng.bytes(bytes.length));
      };
      expect(ed25519.verifyBatch(items, { random })).toEqual([true, true, false, true, true, true]);
      // 7+7 | 3 | 17 (longer than a batch: verified alone, streamed, no coefficients) | 1+5.
      expect(draws).toEqual([2, 1, 2]);
    });
  });
}
