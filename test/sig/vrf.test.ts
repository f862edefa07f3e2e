import { ed25519_hasher } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { createBackend, vrf } from '../../src/index.js';
import { instantiateTestBuild } from '../_support/testBuild.js';
import { vrfProveWithTrace } from '../_support/vrfTrace.js';
import { Rng, testSeed } from '../_support/seed.js';

const ELL2_DST = new Uint8Array([...new TextEncoder().encode('ECVRF_edwards25519_XMD:SHA-512_ELL2_NU_'), 4]);

for (const name of ['scalar', 'simd'] as const) {
  describe(`ECVRF round trips and rejections (${name})`, () => {
    const backend = createBackend(name);
    const instance = instantiateTestBuild(name);

    it('proves and verifies random keys and inputs in both suites; mutated proofs, keys and inputs fail', () => {
      const rng = new Rng(testSeed(`vrf round trip ${name}`));
      for (let i = 0; i < 120; i++) {
        const suite = i % 2 === 0 ? 'ELL2' : 'TAI';
        const { secretKey, publicKey } = backend.ed25519.generateKeyPair(rng.bytes(32));
        const alpha = rng.bytes(rng.int(80));
        const pi = backend.vrf.prove(alpha, secretKey, { suite });
        const beta = backend.vrf.verify(pi, alpha, publicKey, { suite });
        expect(beta).not.toBeNull();
        expect(backend.vrf.proofToHash(pi, { suite })).toEqual(beta);
        expect(backend.vrf.prove(alpha, secretKey, { suite })).toEqual(pi);
        const bad = pi.slice();
        bad[rng.int(80)] ^= 1 << rng.int(8);
        expect(backend.vrf.verify(bad, alpha, publicKey, { suite })).toBeNull();
        const otherKey = backend.ed25519.getPublicKey(rng.bytes(32));
        expect(backend.vrf.verify(pi, alpha, otherKey, { suite })).toBeNull();
        expect(backend.vrf.verify(pi, new Uint8Array([...alpha, 1]), publicKey, { suite })).toBeNull();
      }
    });

    it('ELL2 encode_to_curve equals @noble/curves encodeToCurve (RFC 9380, edwards25519_XMD:SHA-512_ELL2_NU_)', () => {
      const rng = new Rng(testSeed(`vrf ell2 h2c ${name}`));
      for (let i = 0; i < 150; i++) {
        const seed = rng.bytes(32);
        const alpha = rng.bytes(rng.int(200));
        const { trace } = vrfProveWithTrace(instance, alpha, seed, { suite: 'ELL2' });
        const pk = backend.ed25519.getPublicKey(seed);
        const expected = ed25519_hasher.encodeToCurve(new Uint8Array([...pk, ...alpha]), { DST: ELL2_DST }).toBytes();
        expect(trace.H).toEqual(expected);
      }
    });

    it('rejects small-order public keys (validate_key), non-canonical Gamma and s >= q', () => {
      const { secretKey, publicKey } = backend.ed25519.generateKeyPair(new Uint8Array(32).fill(2));
      const pi = backend.vrf.prove('x', secretKey);
      const identity = new Uint8Array(32);
      identity[0] = 1;
      expect(backend.vrf.verify(pi, 'x', identity)).toBeNull();
      const sPlusQ = pi.slice();
      let s = 0n;
      for (let i = 79; i >= 48; i--) s = (s << 8n) | BigInt(pi[i]);
      s += 2n ** 252n + 27742317777372353535851937790883648493n;
      for (let i = 48; i < 80; i++) {
        sPlusQ[i] = Number(s & 0xffn);
        s >>= 8n;
      }
      expect(backend.vrf.verify(sPlusQ, 'x', publicKey)).toBeNull();
      expect(() => backend.vrf.proofToHash(sPlusQ)).toThrow(RangeError);
      const nonCanonical = pi.slice();
      nonCanonical.set(Buffer.from('eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f', 'hex'), 0);
      expect(backend.vrf.verify(nonCanonical, 'x', publicKey)).toBeNull();
      expect(() => backend.vrf.proofToHash(nonCanonical)).toThrow(RangeError);
    });
  });
}

describe('vrf argument checks', () => {
  const seed = new Uint8Array(32).fill(4);
  it('throws TypeError for wrong types, RangeError for unknown suites and wrong-length keys and proofs', () => {
    expect(() => vrf.prove('a', 'k' as never)).toThrow(/secretKey/);
    expect(() => vrf.prove(5 as never, seed)).toThrow(/alpha/);
    expect(() => vrf.prove('a', seed, { suite: 'SSWU' as never })).toThrow(RangeError);
    expect(() => vrf.prove('a', seed, null as never)).toThrow(TypeError);
    expect(() => vrf.prove('a', new Uint8Array(31))).toThrow(RangeError);
    expect(() => vrf.verify(new Uint8Array(80), 'a', null as never)).toThrow(/publicKey/);
    expect(() => vrf.proofToHash(new Uint8Array(79))).toThrow(RangeError);
  });
  it('returns null for wrong-length keys and proofs', () => {
    const pi = vrf.prove('a', seed);
    expect(vrf.verify(pi, 'a', new Uint8Array(31))).toBeNull();
    expect(vrf.verify(pi.subarray(1), 'a', new Uint8Array(32))).toBeNull();
  });
  it('defaults to ELL2 and accepts strings as UTF-8', () => {
    const pi = vrf.prove('héllo', seed);
    expect(pi).toEqual(vrf.prove(new TextEncoder().encode('héllo'), seed, { suite: 'ELL2' }));
    expect(pi).not.toEqual(vrf.prove('héllo', seed, { suite: 'TAI' }));
  });
});
