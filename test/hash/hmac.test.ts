import { createHmac } from 'node:crypto';
import { blake3 as nobleBlake3 } from '@noble/hashes/blake3.js';
import { hmac as nobleHmac } from '@noble/hashes/hmac.js';
import { sha256 as nobleSha256, sha512 as nobleSha512 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backend/index.js';
import { HashFinalizedError, hmac } from '../../src/hash/index.js';
import { sha256 as defaultSha256 } from '../../src/index.js';
import { detached, expectRefusals, type Refusal } from '../_support/refusals.js';
import { Rng, testSeed } from '../_support/seed.js';

const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const repeat = (byte: number, n: number): Uint8Array => new Uint8Array(n).fill(byte);

/**
 * RFC 4231 §4.2–§4.8, HMAC-SHA-256 and HMAC-SHA-512. Test Case 5 (§4.6) gives only the first
 * 128 bits of each tag (truncated output).
 */
const RFC4231: { section: string; key: Uint8Array; data: Uint8Array; sha256: string; sha512: string }[] = [
  {
    section: '4.2 (Test Case 1)',
    key: repeat(0x0b, 20),
    data: text('Hi There'),
    sha256: 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
    sha512: '87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854',
  },
  {
    section: '4.3 (Test Case 2: a key shorter than the length of the HMAC output)',
    key: text('Jefe'),
    data: text('what do ya want for nothing?'),
    sha256: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    sha512: '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737',
  },
  {
    section: '4.4 (Test Case 3: combined length of key and data larger than 64 bytes)',
    key: repeat(0xaa, 20),
    data: repeat(0xdd, 50),
    sha256: '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe',
    sha512: 'fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb',
  },
  {
    section: '4.5 (Test Case 4)',
    key: hex('0102030405060708090a0b0c0d0e0f10111213141516171819'),
    data: repeat(0xcd, 50),
    sha256: '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b',
    sha512: 'b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3dba91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd',
  },
  {
    section: '4.6 (Test Case 5: truncation to 128 bits)',
    key: repeat(0x0c, 20),
    data: text('Test With Truncation'),
    sha256: 'a3b6167473100ee06e0c796c2955552b',
    sha512: '415fad6271580a531d4179bc891d87a6',
  },
  {
    section: '4.7 (Test Case 6: a key larger than 128 bytes)',
    key: repeat(0xaa, 131),
    data: text('Test Using Larger Than Block-Size Key - Hash Key First'),
    sha256: '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
    sha512: '80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598',
  },
  {
    section: '4.8 (Test Case 7: a key and data larger than 128 bytes)',
    key: repeat(0xaa, 131),
    data: text(
      'This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.',
    ),
    sha256: '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
    sha512: 'e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58',
  },
];

for (const backend of ['scalar', 'simd'] as const) {
  const api = createBackend(backend);

  describe(`HMAC (${backend})`, () => {
    for (const c of RFC4231) {
      it(`RFC 4231 §${c.section}`, () => {
        for (const alg of ['sha256', 'sha512'] as const) {
          const want = c[alg];
          const n = want.length / 2;
          expect(toHex(hmac(api[alg], c.key, c.data).subarray(0, n)), `${alg} one-shot`).toBe(want);
          const streamed = hmac.create(api[alg], c.key);
          for (let at = 0; at < c.data.length; at += 7) streamed.update(c.data.subarray(at, at + 7));
          const out = new Uint8Array(api[alg].outputLen);
          streamed.digestInto(out);
          expect(toHex(out.subarray(0, n)), `${alg} streamed`).toBe(want);
        }
      });
    }

    it('agrees with node:crypto createHmac and @noble/hashes on random keys and messages (keys around the block size)', () => {
      const rng = new Rng(testSeed(`hmac differential ${backend}`));
      for (let i = 0; i < 60; i++) {
        const key = rng.bytes([0, 1, 31, 32, 63, 64, 65, 127, 128, 129, 300][i % 11] + rng.int(2));
        const message = rng.bytes(rng.int(i % 4 === 0 ? 20_000 : 300));
        expect(toHex(hmac(api.sha256, key, message)), `sha256 ${i}`).toBe(createHmac('sha256', key).update(message).digest('hex'));
        expect(toHex(hmac(api.sha512, key, message)), `sha512 ${i}`).toBe(createHmac('sha512', key).update(message).digest('hex'));
        expect(toHex(hmac(api.blake3, key, message)), `blake3 ${i}`).toBe(toHex(nobleHmac(nobleBlake3, key, message)));
        expect(toHex(hmac(api.sha256, key, message)), `noble sha256 ${i}`).toBe(toHex(nobleHmac(nobleSha256, key, message)));
      }
    });
  });
}

describe('HMAC over any hash in noble’s shape', () => {
  it('takes @noble/hashes’ own hash functions, and strings as UTF-8 messages', () => {
    const key = text('key');
    expect(toHex(hmac(nobleSha512, key, 'message'))).toBe(createHmac('sha512', key).update('message').digest('hex'));
    expect(toHex(hmac(defaultSha256, key, 'héllo'))).toBe(createHmac('sha256', key).update('héllo', 'utf8').digest('hex'));
  });

  it('a streaming HMAC gives one tag; clone() forks it first', () => {
    const key = text('k');
    const mac = hmac.create(defaultSha256, key).update('ab');
    const fork = mac.clone();
    expect(toHex(mac.digest())).toBe(createHmac('sha256', key).update('ab').digest('hex'));
    expect(toHex(fork.update('c').digest())).toBe(createHmac('sha256', key).update('abc').digest('hex'));
    expect(() => mac.update('x')).toThrow(HashFinalizedError);
    expect(() => mac.digest()).toThrow(/^hmac\.create\(\)\.digest: the hasher already gave its digest/);
    const gone = hmac.create(defaultSha256, key);
    gone.destroy();
    expect(() => gone.update('x')).toThrow(/hmac\.create\(\)\.update: the hasher was destroyed/);
  });

  it('refuses what is not a hash, a key or a message, naming the function and the argument', () => {
    const key = new Uint8Array(4);
    const fake = Object.assign((m: Uint8Array) => m, { create: () => undefined as never, outputLen: 0, blockLen: 64 });
    const rows: Refusal[] = [
      ['hash: string', () => hmac('sha256' as never, key, 'm'), 'type', 'hmac', 'hash', "must be a hash function with create(), outputLen and blockLen (e.g. sha256), got a string"],
      ['hash: no create', () => hmac(((m: Uint8Array) => m) as never, key, 'm'), 'type', 'hmac', 'hash'],
      ['hash: outputLen 0', () => hmac(fake, key, 'm'), 'range', 'hmac', 'hash.outputLen', 'got 0'],
      ['key: string', () => hmac(defaultSha256, 'key' as never, 'm'), 'type', 'hmac', 'key', 'must be a Uint8Array, got a string'],
      ['key: detached', () => hmac(defaultSha256, detached(), 'm'), 'type', 'hmac', 'key', 'detached'],
      ['message: number', () => hmac(defaultSha256, key, 5 as never), 'type', 'hmac', 'message'],
      ['create: hash null', () => hmac.create(null as never, key), 'type', 'hmac.create', 'hash'],
      ['create: key array', () => hmac.create(defaultSha256, [1] as never), 'type', 'hmac.create', 'key'],
      ['update: number', () => hmac.create(defaultSha256, key).update(5 as never), 'type', 'hmac.create().update', 'input'],
      ['digestInto: short', () => hmac.create(defaultSha256, key).digestInto(new Uint8Array(31)), 'range', 'hmac.create().digestInto', 'out', 'room for 32 bytes'],
    ];
    expectRefusals(rows);
  });
});
