import { createHash, createPrivateKey, createPublicKey, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createBackend, ed25519 } from '../../src/index.js';
import { bindSig } from '../../src/sig/index.js';
import { instantiate } from '../../src/wasm/index.js';
import { Rng, testSeed } from '../_support/seed.js';

const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

function nodeKeys(seed: Uint8Array) {
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const publicKey = createPublicKey(privateKey);
  const raw = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }).subarray(12));
  return { privateKey, raw };
}

function nodeVerifyRaw(sig: Uint8Array, msg: Uint8Array, pk: Uint8Array): boolean {
  try {
    return nodeVerify(null, msg, createPublicKey({ key: Buffer.concat([SPKI_PREFIX, pk]), format: 'der', type: 'spki' }), sig);
  } catch {
    return false;
  }
}

function flipBit(bytes: Uint8Array, rng: Rng): Uint8Array {
  const out = bytes.slice();
  const bit = rng.int(out.length * 8);
  out[bit >> 3] ^= 1 << (bit & 7);
  return out;
}

describe('ed25519 vs node:crypto on random keys and messages', () => {
  for (const name of ['scalar', 'simd'] as const) {
    const api = createBackend(name).ed25519;

    it(`${name}: public keys and signatures are byte-identical; both rules agree with node on valid and mutated inputs`, () => {
      const rng = new Rng(testSeed(`ed25519 differential ${name}`));
      for (let i = 0; i < 1200; i++) {
        const seed = rng.bytes(32);
        const msg = rng.bytes(rng.int(i % 50 === 0 ? 3000 : 200));
        const { privateKey, raw } = nodeKeys(seed);
        const pk = api.getPublicKey(seed);
        expect(pk).toEqual(raw);
        const sig = api.sign(msg, seed);
        expect(Buffer.from(sig)).toEqual(nodeSign(null, msg, privateKey));
        expect(api.verify(sig, msg, pk)).toBe(true);
        expect(api.verify(sig, msg, pk, { strict: true })).toBe(true);
        // One mutation per round, cycling through signature, key and message.
        const kind = i % 3;
        const [s2, m2, p2] =
          kind === 0 ? [flipBit(sig, rng), msg, pk] : kind === 1 ? [sig, msg, flipBit(pk, rng)] : [sig, msg.length ? flipBit(msg, rng) : new Uint8Array([0]), pk];
        const want = nodeVerifyRaw(s2, m2, p2);
        expect(api.verify(s2, m2, p2, { strict: true })).toBe(want);
        expect(api.verify(s2, m2, p2)).toBe(want);
      }
    });
  }

  it('the scalar and simd builds give identical keys, signatures and VRF proofs', () => {
    const rng = new Rng(testSeed('ed25519 scalar == simd'));
    const scalar = createBackend('scalar');
    const simd = createBackend('simd');
    for (let i = 0; i < 100; i++) {
      const seed = rng.bytes(32);
      const msg = rng.bytes(rng.int(300));
      expect(simd.ed25519.getPublicKey(seed)).toEqual(scalar.ed25519.getPublicKey(seed));
      expect(simd.ed25519.sign(msg, seed)).toEqual(scalar.ed25519.sign(msg, seed));
      const suite = i % 2 ? 'TAI' : 'ELL2';
      expect(simd.vrf.prove(msg, seed, { suite })).toEqual(scalar.vrf.prove(msg, seed, { suite }));
    }
  });

  it('generateKeyPair(seed) is deterministic and generateKeyPair() is random', () => {
    const seed = new Uint8Array(32).fill(7);
    const a = ed25519.generateKeyPair(seed);
    expect(a.secretKey).toEqual(seed);
    expect(a.secretKey).not.toBe(seed);
    expect(a.publicKey).toEqual(nodeKeys(seed).raw);
    const b = ed25519.generateKeyPair();
    const c = ed25519.generateKeyPair();
    expect(b.secretKey).not.toEqual(c.secretKey);
    expect(ed25519.verify(ed25519.sign('hi', b.secretKey), 'hi', b.publicKey)).toBe(true);
  });

  it('signs strings as UTF-8', () => {
    const { secretKey, publicKey } = ed25519.generateKeyPair(new Uint8Array(32).fill(1));
    const sig = ed25519.sign('héllo', secretKey);
    expect(sig).toEqual(ed25519.sign(new TextEncoder().encode('héllo'), secretKey));
    expect(ed25519.verify(sig, 'héllo', publicKey)).toBe(true);
  });
});

describe('ed25519 argument checks', () => {
  const { secretKey, publicKey } = ed25519.generateKeyPair(new Uint8Array(32).fill(3));
  const sig = ed25519.sign('m', secretKey);

  it('throws TypeError naming the argument for wrong types', () => {
    expect(() => ed25519.sign(42 as never, secretKey)).toThrow(/message/);
    expect(() => ed25519.sign('m', 'key' as never)).toThrow(TypeError);
    expect(() => ed25519.getPublicKey([1, 2] as never)).toThrow(/secretKey/);
    expect(() => ed25519.verify('sig' as never, 'm', publicKey)).toThrow(/signature/);
    expect(() => ed25519.verify(sig, 'm', null as never)).toThrow(/publicKey/);
    expect(() => ed25519.verifyBatch('x' as never)).toThrow(/items/);
    expect(() => ed25519.verifyBatch([null as never])).toThrow(/items\[0\]/);
    expect(() => ed25519.verifyBatch([{ signature: sig, message: 'm', publicKey: 5 as never }])).toThrow(/items\[0\]\.publicKey/);
    expect(() => ed25519.generateKeyPair('seed' as never)).toThrow(/seed/);
    expect(() => ed25519.verify(sig, 'm', publicKey, { strict: 1 as never })).toThrow(/options\.strict/);
    expect(() => ed25519.verify(sig, 'm', publicKey, null as never)).toThrow(TypeError);
  });

  it('throws RangeError for wrong-length secret keys and seeds', () => {
    expect(() => ed25519.sign('m', new Uint8Array(31))).toThrow(RangeError);
    expect(() => ed25519.sign('m', new Uint8Array(64))).toThrow(RangeError);
    expect(() => ed25519.getPublicKey(new Uint8Array(33))).toThrow(RangeError);
    expect(() => ed25519.generateKeyPair(new Uint8Array(16))).toThrow(RangeError);
  });

  it('returns false for wrong-length signatures and keys, in verify and verifyBatch', () => {
    expect(ed25519.verify(sig.subarray(0, 63), 'm', publicKey)).toBe(false);
    expect(ed25519.verify(new Uint8Array([...sig, 0]), 'm', publicKey)).toBe(false);
    expect(ed25519.verify(sig, 'm', publicKey.subarray(1))).toBe(false);
    expect(
      ed25519.verifyBatch([
        { signature: sig, message: 'm', publicKey },
        { signature: sig.subarray(1), message: 'm', publicKey },
        { signature: sig, message: 'm', publicKey: new Uint8Array(33) },
      ]),
    ).toEqual([true, false, false]);
    expect(ed25519.verifyBatch([])).toEqual([]);
  });

  it('rejects S >= L in both rules (S + L is the classic malleability)', () => {
    const L = 2n ** 252n + 27742317777372353535851937790883648493n;
    let s = 0n;
    for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(sig[i]);
    s += L;
    const mauled = sig.slice();
    for (let i = 32; i < 64; i++) {
      mauled[i] = Number(s & 0xffn);
      s >>= 8n;
    }
    expect(ed25519.verify(mauled, 'm', publicKey)).toBe(false);
    expect(ed25519.verify(mauled, 'm', publicKey, { strict: true })).toBe(false);
    expect(ed25519.verifyBatch([{ signature: mauled, message: 'm', publicKey }])).toEqual([false]);
  });

  it('leaves no copy of the seed, the secret scalar or the nonce prefix in WASM memory', () => {
    const instance = instantiate('sig', 'scalar');
    const api = bindSig(instance).ed25519;
    const seed = new Uint8Array(32).fill(0xa5);
    const expanded = createHash('sha512').update(seed).digest();
    const scalar = expanded.subarray(0, 32);
    scalar[0] &= 248;
    scalar[31] = (scalar[31] & 127) | 64;
    api.sign('a message', seed);
    api.getPublicKey(seed);
    // A long message is signed in three steps over scratch SHA-512 states (streamed): wiped too.
    api.sign(new Uint8Array((1 << 20) + 100).fill(1), seed);
    const memory = Buffer.from(instance.u8.buffer);
    expect(memory.indexOf(seed)).toBe(-1);
    expect(memory.indexOf(scalar)).toBe(-1);
    expect(memory.indexOf(expanded.subarray(32))).toBe(-1);
  });
});
