import { createMLDSA44, createMLDSA65, createMLDSA87 } from '@oqs/liboqs-js';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../src/index.js';
import { Rng, testSeed } from '../_support/seed.js';

// ML-DSA against two independent implementations on seeded random inputs, on both backends:
// @noble/post-quantum (same keys from the same seed, byte-identical deterministic signatures,
// each side verifies the other's hedged signatures, same verdicts on mutations) and liboqs
// compiled to WASM (@oqs/liboqs-js: verifies ours; we verify its signatures, empty context).

const SETS = [
  { api: 'mldsa44', noble: ml_dsa44, oqs: createMLDSA44 },
  { api: 'mldsa65', noble: ml_dsa65, oqs: createMLDSA65 },
  { api: 'mldsa87', noble: ml_dsa87, oqs: createMLDSA87 },
] as const;
const ROUNDS = 6;

type Oqs = Awaited<ReturnType<typeof createMLDSA65>>;

function mutate(rng: Rng, bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  out[rng.int(out.length)] ^= 1 << rng.int(8);
  return out;
}

for (const set of SETS) {
  describe(`${set.api} against @noble/post-quantum and liboqs`, () => {
    let oqs: Oqs;
    beforeAll(async () => {
      oqs = await set.oqs();
    });
    afterAll(() => oqs?.destroy());

    for (const name of ['scalar', 'simd'] as const) {
      const api = createBackend(name)[set.api];

      it(`${name}: keys, deterministic signatures and verdicts match noble on random seeds, messages and contexts`, () => {
        const rng = new Rng(testSeed(`${set.api} ${name} noble`));
        for (let round = 0; round < ROUNDS; round++) {
          const seed = rng.bytes(32);
          const ours = api.generateKeyPair(seed);
          const theirs = set.noble.keygen(seed);
          expect(ours.publicKey).toEqual(theirs.publicKey);
          expect(ours.secretKey).toEqual(theirs.secretKey);
          const message = rng.bytes(rng.int(3) === 0 ? 0 : rng.int(2000));
          const context = rng.bytes(rng.int(4) === 0 ? 255 : rng.int(40));
          const sig = api.sign(message, ours.secretKey, { context, deterministic: true });
          expect(sig).toEqual(set.noble.sign(message, theirs.secretKey, { context, extraEntropy: false }));
          // Hedged both ways.
          const hedged = api.sign(message, ours.secretKey, { context });
          expect(set.noble.verify(hedged, message, theirs.publicKey, { context })).toBe(true);
          const nobleHedged = set.noble.sign(message, theirs.secretKey, { context });
          expect(api.verify(nobleHedged, message, ours.publicKey, { context })).toBe(true);
          // Mutations: the same verdict (false) from both.
          const cases = [
            { s: mutate(rng, sig), m: message, p: ours.publicKey, c: context },
            { s: sig, m: message.length ? mutate(rng, message) : new Uint8Array([1]), p: ours.publicKey, c: context },
            { s: sig, m: message, p: mutate(rng, ours.publicKey), c: context },
            { s: sig, m: message, p: ours.publicKey, c: context.length ? mutate(rng, context) : new Uint8Array([0]) },
          ];
          for (const t of cases) {
            const expected = set.noble.verify(t.s, t.m, t.p, { context: t.c });
            expect(api.verify(t.s, t.m, t.p, { context: t.c })).toBe(expected);
            expect(expected).toBe(false);
          }
        }
      });

      it(`${name}: liboqs verifies our signatures and we verify liboqs's`, () => {
        const rng = new Rng(testSeed(`${set.api} ${name} liboqs`));
        for (let round = 0; round < ROUNDS; round++) {
          const message = rng.bytes(rng.int(500));
          const ours = api.generateKeyPair(rng.bytes(32));
          const sig = api.sign(message, ours.secretKey);
          expect(oqs.verify(message, sig, ours.publicKey)).toBe(true);
          expect(oqs.verify(message, mutate(rng, sig), ours.publicKey)).toBe(false);
          const theirs = oqs.generateKeyPair();
          const theirSig = oqs.sign(message, theirs.secretKey);
          expect(api.verify(theirSig, message, theirs.publicKey)).toBe(true);
          expect(api.verify(mutate(rng, theirSig), message, theirs.publicKey)).toBe(false);
          expect(api.verifyBatch([{ signature: theirSig, message, publicKey: theirs.publicKey }, { signature: sig, message, publicKey: ours.publicKey }])).toEqual([true, true]);
        }
      });
    }
  });
}
