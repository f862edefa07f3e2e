import { blake3 as nobleBlake3 } from '@noble/hashes/blake3.js';
import { describe, expect, it } from 'vitest';
import { bindBlake3 } from '../../src/hash/blake3.js';
import { HashFinalizedError } from '../../src/hash/index.js';
import { blake3 as defaultBlake3 } from '../../src/index.js';
import { instantiate } from '../../src/wasm/index.js';
import { Rng, testSeed } from '../_support/seed.js';
import { haveVectors, missingVectorsReason, readVectors } from '../_support/vectors.js';

interface Blake3Vectors {
  key: string;
  context_string: string;
  cases: { input_len: number; hash: string; keyed_hash: string; derive_key: string }[];
}

const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const enc = new TextEncoder();

/** The official vectors' input: byte i is i % 251. */
function vectorInput(len: number): Uint8Array {
  const m = new Uint8Array(len);
  for (let i = 0; i < len; i++) m[i] = i % 251;
  return m;
}

/** Lengths on and around block, chunk and subtree boundaries. */
const boundaryLengths = [
  0, 1, 63, 64, 65, 127, 128, 1023, 1024, 1025, 2047, 2048, 2049, 3071, 3072, 3073, 4095, 4096, 4097, 5120, 8191, 8192,
  8193, 16385, 65535, 65536, 65537, 131072, 200000,
];

const KEY = enc.encode('whats the Elvish word for friend');
const CONTEXT = 'swarmguard 2026-11-23 blake3 test context';

/** @noble/hashes in the mode of our options object. */
function nobleHash(m: Uint8Array, options: { key?: Uint8Array; context?: string }): Uint8Array {
  if (options.key) return nobleBlake3(m, { key: options.key });
  if (options.context !== undefined) return nobleBlake3(m, { context: enc.encode(options.context) });
  return nobleBlake3(m);
}

for (const backend of ['scalar', 'simd'] as const) {
  const { blake3 } = bindBlake3(instantiate(backend));

  describe.skipIf(!haveVectors)(`blake3 vectors from shared/vectors/blake3 (${backend})${haveVectors ? '' : ` — ${missingVectorsReason}`}`, () => {
    const file = haveVectors ? readVectors<Blake3Vectors>('blake3', 'test_vectors.json') : undefined;
    const key = file ? enc.encode(file.key) : new Uint8Array(32);
    it('has the 35 official cases', () => {
      expect(file?.cases.length).toBe(35);
    });
    for (const c of file?.cases ?? []) {
      it(`input_len ${c.input_len}: hash, keyed_hash, derive_key (131-byte XOF and 32-byte prefix)`, () => {
        const input = vectorInput(c.input_len);
        expect(toHex(blake3(input, { length: 131 }))).toBe(c.hash);
        expect(toHex(blake3(input))).toBe(c.hash.slice(0, 64));
        expect(toHex(blake3(input, { key, length: 131 }))).toBe(c.keyed_hash);
        expect(toHex(blake3(input, { key }))).toBe(c.keyed_hash.slice(0, 64));
        expect(toHex(blake3(input, { context: file!.context_string, length: 131 }))).toBe(c.derive_key);
        expect(toHex(blake3(input, { context: file!.context_string }))).toBe(c.derive_key.slice(0, 64));
        const h = blake3.create({ length: 131 }).update(input);
        expect(toHex(h.clone().digest(32))).toBe(c.hash.slice(0, 64));
        expect(toHex(h.digest())).toBe(c.hash);
      });
    }
  });

  describe(`blake3 vs @noble/hashes (${backend})`, () => {
    it('matches on boundary lengths in every mode', () => {
      const rng = new Rng(testSeed(`blake3 boundaries ${backend}`));
      for (const len of boundaryLengths) {
        const m = rng.bytes(len);
        expect(toHex(blake3(m)), `hash ${len}`).toBe(toHex(nobleBlake3(m)));
        expect(toHex(blake3(m, { key: KEY })), `keyed ${len}`).toBe(toHex(nobleBlake3(m, { key: KEY })));
        expect(toHex(blake3(m, { context: CONTEXT })), `derive ${len}`).toBe(toHex(nobleBlake3(m, { context: enc.encode(CONTEXT) })));
        expect(toHex(blake3(m, { length: 200 })), `xof ${len}`).toBe(toHex(nobleBlake3(m, { dkLen: 200 })));
      }
    });

    it('matches on random lengths 0..200000 with random modes and output lengths', () => {
      const rng = new Rng(testSeed(`blake3 random ${backend}`));
      for (let i = 0; i < 60; i++) {
        const len = rng.int(4) === 0 ? rng.int(2100) : rng.int(200_001);
        const m = rng.bytes(len);
        const length = rng.int(3) === 0 ? rng.int(300) : 32;
        const mode = rng.int(3);
        const key = rng.bytes(32);
        const ours = mode === 0 ? blake3(m, { length }) : mode === 1 ? blake3(m, { key, length }) : blake3(m, { context: CONTEXT, length });
        const theirs =
          mode === 0
            ? nobleBlake3(m, { dkLen: length })
            : mode === 1
              ? nobleBlake3(m, { key, dkLen: length })
              : nobleBlake3(m, { context: enc.encode(CONTEXT), dkLen: length });
        expect(toHex(ours), `len ${len} mode ${mode} length ${length}`).toBe(toHex(theirs));
      }
    });

    it('hashes strings as UTF-8', () => {
      const s = 'héllo, wörld ✓ 🚀';
      expect(toHex(blake3(s))).toBe(toHex(nobleBlake3(enc.encode(s))));
      expect(toHex(blake3.create().update('hé').update('llo').digest())).toBe(toHex(nobleBlake3(enc.encode('héllo'))));
    });

    it('gives any output length, 0 included, each a prefix of the longer ones', () => {
      const m = enc.encode('xof');
      const long = blake3(m, { length: 1000 });
      expect(toHex(long)).toBe(toHex(nobleBlake3(m, { dkLen: 1000 })));
      for (const n of [0, 1, 31, 32, 33, 63, 64, 65, 127, 128, 255, 256, 257, 511, 512, 513, 767, 999]) {
        expect(toHex(blake3(m, { length: n }))).toBe(toHex(long.subarray(0, n)));
      }
    });
  });

  describe(`blake3.create streaming (${backend})`, () => {
    it('random splits equal one-shot, in every mode', () => {
      const rng = new Rng(testSeed(`blake3 streaming ${backend}`));
      for (let i = 0; i < 40; i++) {
        const len = rng.int(3) === 0 ? rng.int(5000) : rng.int(150_000);
        const m = rng.bytes(len);
        const options = [{}, { key: KEY }, { context: CONTEXT }][i % 3];
        const h = blake3.create(options);
        let pos = 0;
        while (pos < len) {
          const step = rng.int(4) === 0 ? rng.int(3) : rng.int(rng.int(2) === 0 ? 200 : 9000);
          h.update(m.subarray(pos, pos + step));
          pos += step;
        }
        expect(toHex(h.clone().digest(77)), `len ${len} xof`).toBe(toHex(blake3(m, { ...options, length: 77 })));
        expect(toHex(h.digest()), `len ${len}`).toBe(toHex(blake3(m, options)));
      }
    });

    it('chunk-aligned splits (whole subtrees pushed unmerged) equal one-shot', () => {
      const rng = new Rng(testSeed(`blake3 aligned splits ${backend}`));
      for (const sizes of [[1024, 1024], [2048], [2048, 2048], [1024, 3072, 4096], [4096, 1], [8192, 8192, 1024], [3072, 5120, 16384, 1]]) {
        const total = sizes.reduce((a, b) => a + b, 0);
        const m = rng.bytes(total);
        const h = blake3.create();
        let pos = 0;
        for (const s of sizes) {
          h.update(m.subarray(pos, pos + s));
          pos += s;
          expect(toHex(h.clone().digest()), `after ${pos} of ${sizes}`).toBe(toHex(nobleBlake3(m.subarray(0, pos))));
        }
      }
    });

    it('clone is independent; reset forgets input (also after digest) but keeps the mode', () => {
      const h = blake3.create({ key: KEY });
      h.update('abc');
      const c = h.clone();
      h.update('def');
      expect(toHex(c.digest())).toBe(toHex(nobleBlake3(enc.encode('abc'), { key: KEY })));
      expect(toHex(h.clone().digest())).toBe(toHex(nobleBlake3(enc.encode('abcdef'), { key: KEY })));
      expect(() => c.update('xyz')).toThrow(HashFinalizedError);
      expect(toHex(h.digest())).toBe(toHex(nobleBlake3(enc.encode('abcdef'), { key: KEY })));
      h.reset().update('q');
      expect(toHex(h.digest())).toBe(toHex(nobleBlake3(enc.encode('q'), { key: KEY })));
      expect(toHex(h.reset().digest())).toBe(toHex(nobleBlake3(new Uint8Array(0), { key: KEY })));
    });

    it('keeps many interleaved hashers (with clones, resets and one-shot calls between) apart', () => {
      const rng = new Rng(testSeed(`blake3 interleaved ${backend}`));
      const modes = [{}, { key: KEY }, { context: CONTEXT }];
      const hashers = modes.flatMap((o) => [blake3.create(o), blake3.create(o)]);
      const fed: Uint8Array[][] = hashers.map(() => []);
      const optionsOf = (i: number) => modes[i >> 1];
      const expected = (i: number) => nobleHash(Buffer.concat(fed[i]), optionsOf(i));
      for (let step = 0; step < 300; step++) {
        const i = rng.int(hashers.length);
        const action = rng.int(20);
        if (action === 0) {
          hashers[i].reset();
          fed[i] = [];
        } else if (action === 1) {
          // Replace a hasher by a clone of another of the same mode.
          const j = i ^ 1;
          hashers[i] = hashers[j].clone();
          fed[i] = [...fed[j]];
        } else if (action === 2) {
          expect(toHex(hashers[i].clone().digest()), `step ${step} hasher ${i}`).toBe(toHex(expected(i)));
        } else if (action === 3) {
          blake3(rng.bytes(rng.int(3000)), optionsOf(i));
        } else {
          const piece = rng.bytes(rng.int(2) === 0 ? rng.int(100) : rng.int(5000));
          hashers[i].update(piece);
          fed[i].push(piece);
        }
      }
      hashers.forEach((h, i) => expect(toHex(h.digest()), `hasher ${i}`).toBe(toHex(expected(i))));
    });

    it('keeps hashers of two bindings of one WASM instance apart', () => {
      const instance = instantiate(backend);
      const a = bindBlake3(instance).blake3.create();
      const b = bindBlake3(instance).blake3.create({ key: KEY });
      a.update('left ');
      b.update('right ');
      a.update('side');
      b.update('side');
      expect(toHex(a.digest())).toBe(toHex(nobleBlake3(enc.encode('left side'))));
      expect(toHex(b.digest())).toBe(toHex(nobleBlake3(enc.encode('right side'), { key: KEY })));
    });

    it('uses its length option as the default digest length', () => {
      const h = blake3.create({ context: CONTEXT, length: 100 }).update('material');
      expect(h.clone().digest(5).length).toBe(5);
      expect(toHex(h.digest())).toBe(toHex(nobleBlake3(enc.encode('material'), { context: enc.encode(CONTEXT), dkLen: 100 })));
    });
  });

  describe(`blake3 argument checks (${backend})`, () => {
    it('rejects bad inputs and options with TypeError / RangeError naming the argument', () => {
      expect(() => blake3(123 as never)).toThrow(/input/);
      expect(() => blake3(123 as never)).toThrow(TypeError);
      expect(() => blake3(null as never)).toThrow(TypeError);
      expect(() => blake3([1, 2] as never)).toThrow(TypeError);
      expect(() => blake3('x', 5 as never)).toThrow(TypeError);
      expect(() => blake3('x', { key: 'k'.repeat(32) as never })).toThrow(/options\.key/);
      expect(() => blake3('x', { key: new Uint8Array(31) })).toThrow(RangeError);
      expect(() => blake3('x', { key: new Uint8Array(33) })).toThrow(/options\.key/);
      expect(() => blake3('x', { key: KEY, context: 'c' })).toThrow(/both key and context/);
      expect(() => blake3('x', { context: 5 as never })).toThrow(/options\.context/);
      expect(() => blake3('x', { length: -1 })).toThrow(RangeError);
      expect(() => blake3('x', { length: 1.5 })).toThrow(/options\.length/);
      expect(() => blake3('x', { length: '32' as never })).toThrow(TypeError);
      expect(() => blake3.create({ key: new Uint8Array(1) })).toThrow(RangeError);
      const h = blake3.create();
      expect(() => h.update({} as never)).toThrow(/input/);
      expect(() => h.digest(-2)).toThrow(/length/);
      // A failed call leaves the hasher as it was.
      expect(toHex(h.update('ok').digest())).toBe(toHex(nobleBlake3(enc.encode('ok'))));
    });
  });
}

describe('blake3 on the default backend', () => {
  it('is usable from the package entry without init', () => {
    expect(toHex(defaultBlake3('abc'))).toBe(toHex(nobleBlake3(enc.encode('abc'))));
    expect(toHex(defaultBlake3.create().update('a').update('bc').digest())).toBe(toHex(nobleBlake3(enc.encode('abc'))));
  });
});
