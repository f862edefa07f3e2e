import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bindSha2 } from '../../src/hash/sha2.js';
import { instantiate } from '../../src/wasm/index.js';
import { Rng, testSeed } from '../_support/seed.js';
import { haveVectors, hex, missingVectorsReason, readVectors } from '../_support/vectors.js';

interface ShaCase {
  msg?: string;
  repeat?: { byte: string; count: number };
  lenBits: number;
  md: string;
  description?: string;
}
interface ShaFile {
  examples: ShaCase[];
  shortMsg: { cases: ShaCase[] };
  longMsg: { cases: ShaCase[] };
}

function message(c: ShaCase): Uint8Array {
  if (c.repeat) return new Uint8Array(c.repeat.count).fill(parseInt(c.repeat.byte, 16));
  return hex(c.msg ?? '');
}

const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const nodeHash = (alg: 'sha256' | 'sha512', m: Uint8Array): string => createHash(alg).update(m).digest('hex');

/** Lengths on and around the block boundaries of both functions. */
const boundaryLengths = [
  0, 1, 55, 56, 57, 63, 64, 65, 111, 112, 113, 127, 128, 129, 239, 240, 255, 256, 1023, 1024, 1025, 2047, 2048, 2049,
  4095, 4096, 4097, 65535, 65536, 65537,
];

for (const backend of ['scalar', 'simd'] as const) {
  const api = bindSha2(instantiate(backend));

  for (const alg of ['sha256', 'sha512'] as const) {
    describe.skipIf(!haveVectors)(`${alg} vectors from shared/vectors/sha (${backend})${haveVectors ? '' : ` — ${missingVectorsReason}`}`, () => {
      const file = haveVectors ? readVectors<ShaFile>('sha', `${alg}_vectors.json`) : undefined;
      const cases = file ? [...file.examples, ...file.shortMsg.cases, ...file.longMsg.cases] : [];

      it(`has the expected case count`, () => {
        expect(cases.length).toBe(alg === 'sha256' ? 78 : 142);
      });

      it('matches every one-shot digest', () => {
        for (const c of cases) {
          const m = message(c);
          expect(m.length * 8).toBe(c.lenBits);
          expect(toHex(api[alg](m)), c.description ?? `${c.lenBits} bits`).toBe(c.md);
        }
      });

      it('matches every digest when streamed in uneven pieces', () => {
        for (const c of cases) {
          const m = message(c);
          const h = api[alg].create();
          for (let at = 0, step = 1; at < m.length; at += step, step = (step * 7 + 3) % 200_003) h.update(m.subarray(at, at + step));
          expect(toHex(h.digest()), c.description ?? `${c.lenBits} bits`).toBe(c.md);
        }
      });
    });

    describe(`${alg} against node:crypto (${backend})`, () => {
      it('agrees on every block-boundary length', () => {
        const rng = new Rng(testSeed(`${alg} boundaries ${backend}`));
        for (const len of boundaryLengths) {
          const m = rng.bytes(len);
          expect(toHex(api[alg](m)), `length ${len}`).toBe(nodeHash(alg, m));
        }
      });

      it('agrees on random lengths up to 200,000 bytes', () => {
        const rng = new Rng(testSeed(`${alg} random lengths ${backend}`));
        for (let i = 0; i < 40; i++) {
          const len = rng.int(4) === 0 ? rng.int(300) : rng.int(200_001);
          const m = rng.bytes(len);
          expect(toHex(api[alg](m)), `length ${len}`).toBe(nodeHash(alg, m));
        }
      });

      it('agrees when streamed with random splits, digesting midway', () => {
        const rng = new Rng(testSeed(`${alg} streaming ${backend}`));
        for (let i = 0; i < 30; i++) {
          const m = rng.bytes(rng.int(i < 20 ? 600 : 70_000));
          const h = api[alg].create();
          const reference = createHash(alg);
          let at = 0;
          while (at < m.length) {
            const step = Math.min(m.length - at, rng.int(4) === 0 ? rng.int(3 * 128) : rng.int(260));
            h.update(m.subarray(at, at + step));
            reference.update(m.subarray(at, at + step));
            at += step;
            if (rng.int(5) === 0) expect(toHex(h.clone().digest())).toBe(reference.copy().digest('hex'));
          }
          expect(toHex(h.digest()), `length ${m.length}`).toBe(reference.digest('hex'));
        }
      });

      it('hashes strings as UTF-8', () => {
        for (const s of ['', 'abc', 'héllo wörld ✓ 🚀', 'x'.repeat(1000)]) {
          expect(toHex(api[alg](s))).toBe(createHash(alg).update(s, 'utf8').digest('hex'));
          expect(toHex(api[alg].create().update(s).update(s).digest())).toBe(createHash(alg).update(s + s, 'utf8').digest('hex'));
        }
      });
    });

    describe(`${alg} hasher (${backend})`, () => {
      it('a clone digests midway while the original goes on', () => {
        const h = api[alg].create().update('hello ');
        expect(toHex(h.clone().digest())).toBe(nodeHash(alg, new TextEncoder().encode('hello ')));
        h.update('world');
        expect(toHex(h.digest())).toBe(nodeHash(alg, new TextEncoder().encode('hello world')));
      });

      it('clone() forks an independent copy and reset() starts over', () => {
        const rng = new Rng(testSeed(`${alg} clone ${backend}`));
        const a = rng.bytes(rng.int(300));
        const b = rng.bytes(rng.int(300));
        const c = rng.bytes(rng.int(300));
        const h = api[alg].create().update(a);
        const fork = h.clone();
        h.update(b);
        fork.update(c);
        expect(toHex(h.digest())).toBe(nodeHash(alg, Buffer.concat([a, b])));
        expect(toHex(fork.digest())).toBe(nodeHash(alg, Buffer.concat([a, c])));
        expect(h.reset()).toBe(h);
        expect(toHex(h.digest())).toBe(nodeHash(alg, new Uint8Array(0)));
        expect(toHex(h.reset().update(c).digest())).toBe(nodeHash(alg, c));
      });

      it('interleaved hashers do not disturb each other', () => {
        const x = api[alg].create();
        const y = api[alg].create();
        for (let i = 0; i < 50; i++) {
          x.update(new Uint8Array(37).fill(i));
          y.update(new Uint8Array(91).fill(255 - i));
          api[alg](new Uint8Array(200).fill(7));
        }
        const xs = Buffer.concat(Array.from({ length: 50 }, (_, i) => new Uint8Array(37).fill(i)));
        const ys = Buffer.concat(Array.from({ length: 50 }, (_, i) => new Uint8Array(91).fill(255 - i)));
        expect(toHex(x.digest())).toBe(nodeHash(alg, xs));
        expect(toHex(y.digest())).toBe(nodeHash(alg, ys));
      });

      it('rejects inputs that are neither bytes nor strings, naming the argument', () => {
        for (const bad of [123, null, undefined, [1, 2], { length: 3 }, new ArrayBuffer(4)]) {
          expect(() => api[alg](bad as never)).toThrow(TypeError);
          expect(() => api[alg](bad as never)).toThrow(/input/);
          expect(() => api[alg].create().update(bad as never)).toThrow(/input/);
        }
      });

      it('accepts subarray views and Buffers', () => {
        const big = new Uint8Array(300).map((_, i) => i);
        const view = big.subarray(17, 250);
        expect(toHex(api[alg](view))).toBe(nodeHash(alg, view));
        expect(toHex(api[alg](Buffer.from(view)))).toBe(nodeHash(alg, view));
      });
    });
  }
}
