import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createBackend, MalformedSecretKeyError, SwarmguardError } from '../../src/index.js';
import { mldsaOn } from '../../src/sig/index.js';
import { instantiate } from '../../src/wasm/index.js';
import { detached, expectRefusals, holes, type Refusal } from '../_support/refusals.js';
import { Rng, testSeed } from '../_support/seed.js';

// Bad input to ML-DSA: wrong types and lengths are argument errors naming the function and the
// argument; a secret key no key generation produces is a typed error; wrong-length keys and
// signatures, malformed hint encodings and random bytes verify false — nothing escapes from WASM
// as an untyped RuntimeError.

for (const name of ['scalar', 'simd'] as const) {
  describe(`ML-DSA bad input (${name})`, () => {
    const { mldsa44, mldsa65, mldsa87 } = createBackend(name);
    const { publicKey, secretKey } = mldsa65.generateKeyPair(new Uint8Array(32).fill(3));
    const signature = mldsa65.sign('m', secretKey, { deterministic: true });
    const item = { signature, message: 'm', publicKey };

    it('refuses wrong types and lengths, naming the function and the argument', () => {
      const e = mldsa65;
      const rows: Refusal[] = [
        ['seed string', () => e.generateKeyPair('s' as never), 'type', 'mldsa65.generateKeyPair', 'seed'],
        ['seed 31 bytes', () => e.generateKeyPair(new Uint8Array(31)), 'range', 'mldsa65.generateKeyPair', 'seed', 'must be 32 bytes, got 31'],
        ['sign number message', () => e.sign(5 as never, secretKey), 'type', 'mldsa65.sign', 'message'],
        ['sign detached message', () => e.sign(detached(), secretKey), 'type', 'mldsa65.sign', 'message', 'detached'],
        ['sign short key', () => e.sign('m', secretKey.subarray(1)), 'range', 'mldsa65.sign', 'secretKey', 'must be 4032 bytes, got 4031'],
        ['sign ML-DSA-44 key', () => e.sign('m', mldsa44.generateKeyPair(new Uint8Array(32)).secretKey), 'range', 'mldsa65.sign', 'secretKey', 'got 2560'],
        ['sign unknown option', () => e.sign('m', secretKey, { ctx: new Uint8Array(1) } as never), 'type', 'mldsa65.sign', 'options.ctx', 'is not an option'],
        ['sign context string', () => e.sign('m', secretKey, { context: 'c' as never }), 'type', 'mldsa65.sign', 'options.context'],
        ['sign context 256 bytes', () => e.sign('m', secretKey, { context: new Uint8Array(256) }), 'range', 'mldsa65.sign', 'options.context', 'at most 255 bytes'],
        ['sign deterministic 1', () => e.sign('m', secretKey, { deterministic: 1 as never }), 'type', 'mldsa65.sign', 'options.deterministic'],
        ['sign random not a function', () => e.sign('m', secretKey, { random: 7 as never }), 'type', 'mldsa65.sign', 'options.random'],
        ['verify string signature', () => e.verify('s' as never, 'm', publicKey), 'type', 'mldsa65.verify', 'signature'],
        ['verify null key', () => e.verify(signature, 'm', null as never), 'type', 'mldsa65.verify', 'publicKey'],
        ['verify context 300 bytes', () => e.verify(signature, 'm', publicKey, { context: new Uint8Array(300) }), 'range', 'mldsa65.verify', 'options.context'],
        ['verifyBatch not an array', () => e.verifyBatch({} as never), 'type', 'mldsa65.verifyBatch', 'items'],
        ['verifyBatch hole', () => e.verifyBatch(holes(2)), 'type', 'mldsa65.verifyBatch', 'items[0]'],
        ['verifyBatch item without signature', () => e.verifyBatch([item, { message: 'm', publicKey } as never]), 'type', 'mldsa65.verifyBatch', 'items[1].signature'],
        ['verifyBatch long context', () => e.verifyBatch([{ ...item, context: new Uint8Array(256) }]), 'range', 'mldsa65.verifyBatch', 'items[0].context'],
        ['mldsa87 names itself', () => mldsa87.verify(signature, 3 as never, publicKey), 'type', 'mldsa87.verify', 'message'],
      ];
      expectRefusals(rows);
    });

    it('refuses a secret key whose s1 or s2 holds a coefficient outside [-eta, eta], with a typed error', () => {
      const bad = secretKey.slice();
      bad[128] = 0xff; // the first packed s1 coefficients (4 bits each at eta = 4): 15 > 2 * eta
      const err = (() => {
        try {
          mldsa65.sign('m', bad);
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(MalformedSecretKeyError);
      expect(err).toBeInstanceOf(SwarmguardError);
      expect((err as MalformedSecretKeyError).code).toBe('ERR_MALFORMED_SECRET_KEY');
      expect((err as Error).message).toMatch(/^mldsa65\.sign: secretKey/);
      // The instance is intact: the next signature with the good key verifies.
      expect(mldsa65.verify(mldsa65.sign('m', secretKey), 'm', publicKey)).toBe(true);
    });

    it('verifies false for wrong lengths, malformed hints and random bytes, in verify and verifyBatch', () => {
      const rng = new Rng(testSeed(`mldsa bad input ${name}`));
      const hints = 3309 - (55 + 6); // ML-DSA-65: c~ 48 + z 5 x 640, then omega + k hint bytes
      const unordered = signature.slice();
      // Two hint positions of the first polynomial, not increasing: HintBitUnpack must refuse.
      unordered[hints] = 9;
      unordered[hints + 1] = 4;
      unordered[hints + 55] = Math.max(unordered[hints + 55], 2);
      const overflow = signature.slice();
      overflow[hints + 55] = 56; // a count past omega
      const cases = [
        { signature: signature.subarray(1), message: 'm', publicKey },
        { signature: new Uint8Array(3310), message: 'm', publicKey },
        { signature, message: 'm', publicKey: publicKey.subarray(0, 1312) },
        { signature: unordered, message: 'm', publicKey },
        { signature: overflow, message: 'm', publicKey },
        ...Array.from({ length: 8 }, () => ({ signature: rng.bytes(3309), message: rng.bytes(10), publicKey: rng.bytes(1952) })),
        { signature, message: 'm', publicKey: rng.bytes(1952) },
      ];
      for (const c of cases) expect(mldsa65.verify(c.signature, c.message, c.publicKey)).toBe(false);
      expect(mldsa65.verifyBatch([item, ...cases, item])).toEqual([true, ...cases.map(() => false), true]);
      expect(mldsa65.verifyBatch([])).toEqual([]);
    });
  });
}

describe('ML-DSA secrets in WASM memory', () => {
  it('leaves no copy of the key seed, K, the packed s1, rho-prime-prime or the mask stream after keygen and sign', () => {
    const instance = instantiate('pq', 'scalar');
    const api = mldsaOn('ML-DSA-44', () => instance);
    const xi = new Uint8Array(32).fill(0x5a);
    const { publicKey, secretKey } = api.generateKeyPair(xi);
    const message = new TextEncoder().encode('a message');
    api.sign(message, secretKey, { deterministic: true });
    const shake = (parts: Uint8Array[], length: number) => {
      const h = createHash('shake256', { outputLength: length });
      for (const p of parts) h.update(p);
      return new Uint8Array(h.digest());
    };
    const key = secretKey.subarray(32, 64);
    const tr = secretKey.subarray(64, 128);
    const mu = shake([tr, new Uint8Array([0, 0]), message], 64);
    const rhoSecond = shake([key, new Uint8Array(32), mu], 64);
    const memory = Buffer.from(instance.u8.buffer);
    expect(memory.indexOf(xi)).toBe(-1);
    expect(memory.indexOf(key)).toBe(-1);
    expect(memory.indexOf(secretKey.subarray(128, 128 + 96))).toBe(-1);
    expect(memory.indexOf(rhoSecond)).toBe(-1);
    // ExpandMask's bytes for every kappa the loop may have reached (l = 4 per iteration).
    for (let kappa = 0; kappa < 4 * 40; kappa++) {
      expect(memory.indexOf(shake([rhoSecond, new Uint8Array([kappa & 255, kappa >> 8])], 32)), `kappa ${kappa}`).toBe(-1);
    }
    expect(api.verify(api.sign(message, secretKey), message, publicKey)).toBe(true);
  });
});
