import { hkdfSync } from 'node:crypto';
import { blake3 as nobleBlake3 } from '@noble/hashes/blake3.js';
import { hkdf as nobleHkdf } from '@noble/hashes/hkdf.js';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backend/index.js';
import { hkdf } from '../../src/hash/index.js';
import { sha256 } from '../../src/index.js';
import { expectRefusals, type Refusal } from '../_support/refusals.js';
import { Rng, testSeed } from '../_support/seed.js';

const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const run = (from: number, to: number): Uint8Array => Uint8Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** RFC 5869 Appendix A.1–A.3: the HKDF-SHA-256 cases (A.4–A.7 are SHA-1). */
const RFC5869: { section: string; ikm: Uint8Array; salt: Uint8Array; info: Uint8Array; length: number; prk: string; okm: string }[] = [
  {
    section: 'A.1 (Test Case 1: basic test case with SHA-256)',
    ikm: new Uint8Array(22).fill(0x0b),
    salt: hex('000102030405060708090a0b0c'),
    info: hex('f0f1f2f3f4f5f6f7f8f9'),
    length: 42,
    prk: '077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5',
    okm: '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
  },
  {
    section: 'A.2 (Test Case 2: SHA-256 with longer inputs/outputs)',
    ikm: run(0x00, 0x4f),
    salt: run(0x60, 0xaf),
    info: run(0xb0, 0xff),
    length: 82,
    prk: '06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244',
    okm: 'b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87',
  },
  {
    section: 'A.3 (Test Case 3: SHA-256 with zero-length salt/info)',
    ikm: new Uint8Array(22).fill(0x0b),
    salt: new Uint8Array(0),
    info: new Uint8Array(0),
    length: 42,
    prk: '19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04',
    okm: '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
  },
];

for (const backend of ['scalar', 'simd'] as const) {
  const api = createBackend(backend);

  describe(`HKDF (${backend})`, () => {
    for (const c of RFC5869) {
      it(`RFC 5869 §${c.section}`, () => {
        const prk = hkdf.extract(api.sha256, c.ikm, c.salt);
        expect(toHex(prk), 'PRK').toBe(c.prk);
        expect(toHex(hkdf.expand(api.sha256, prk, c.info, c.length)), 'OKM from PRK').toBe(c.okm);
        expect(toHex(hkdf(api.sha256, c.ikm, c.salt, c.info, c.length)), 'OKM').toBe(c.okm);
      });
    }

    it('agrees with node:crypto hkdfSync and @noble/hashes on random inputs and lengths', () => {
      const rng = new Rng(testSeed(`hkdf differential ${backend}`));
      for (let i = 0; i < 40; i++) {
        const ikm = rng.bytes(rng.int(100));
        const salt = rng.bytes(rng.int(200));
        const info = rng.bytes(rng.int(100));
        const length = i < 4 ? [0, 1, 255 * 32, 255 * 64][i] : rng.int(600);
        const sha256Length = Math.min(length, 255 * 32);
        expect(toHex(hkdf(api.sha256, ikm, salt, info, sha256Length)), `sha256 ${i}`).toBe(Buffer.from(hkdfSync('sha256', ikm, salt, info, sha256Length)).toString('hex'));
        expect(toHex(hkdf(api.sha512, ikm, salt, info, length)), `sha512 ${i}`).toBe(Buffer.from(hkdfSync('sha512', ikm, salt, info, length)).toString('hex'));
        expect(toHex(hkdf(api.blake3, ikm, salt, info, sha256Length)), `blake3 ${i}`).toBe(toHex(nobleHkdf(nobleBlake3, ikm, salt, info, sha256Length)));
      }
    });
  });
}

describe('HKDF defaults and refusals', () => {
  const ikm = new Uint8Array(22).fill(0x0b);

  it('a missing salt is HashLen zeros (RFC 5869 §2.2); info may be a string (UTF-8); expand defaults to HashLen bytes', () => {
    expect(toHex(hkdf.extract(sha256, ikm))).toBe(toHex(hkdf.extract(sha256, ikm, new Uint8Array(32))));
    expect(toHex(hkdf(sha256, ikm, undefined, 'label', 50))).toBe(Buffer.from(hkdfSync('sha256', ikm, new Uint8Array(0), 'label', 50)).toString('hex'));
    const prk = hkdf.extract(sha256, ikm);
    expect(toHex(hkdf.expand(sha256, prk))).toBe(toHex(hkdf.expand(sha256, prk, new Uint8Array(0), 32)));
    expect(hkdf(sha256, ikm, undefined, undefined, 0)).toHaveLength(0);
  });

  it('refuses bad hashes, keys, salts, infos and lengths, naming the function and the argument', () => {
    const prk = new Uint8Array(32);
    const rows: Refusal[] = [
      ['hkdf hash', () => hkdf({} as never, ikm, undefined, undefined, 32), 'type', 'hkdf', 'hash'],
      ['hkdf ikm string', () => hkdf(sha256, 'secret' as never, undefined, undefined, 32), 'type', 'hkdf', 'ikm'],
      ['hkdf salt string', () => hkdf(sha256, ikm, 'salt' as never, undefined, 32), 'type', 'hkdf', 'salt'],
      ['hkdf info number', () => hkdf(sha256, ikm, undefined, 7 as never, 32), 'type', 'hkdf', 'info'],
      ['hkdf length too long', () => hkdf(sha256, ikm, undefined, undefined, 255 * 32 + 1), 'range', 'hkdf', 'length', 'must be an integer in [0, 8160], got 8161'],
      ['hkdf length fractional', () => hkdf(sha256, ikm, undefined, undefined, 1.5), 'range', 'hkdf', 'length'],
      ['hkdf length missing', () => (hkdf as (...a: unknown[]) => unknown)(sha256, ikm, undefined, undefined), 'type', 'hkdf', 'length'],
      ['extract ikm', () => hkdf.extract(sha256, undefined as never), 'type', 'hkdf.extract', 'ikm'],
      ['extract hash', () => hkdf.extract(5 as never, ikm), 'type', 'hkdf.extract', 'hash'],
      ['expand short prk', () => hkdf.expand(sha256, new Uint8Array(31)), 'range', 'hkdf.expand', 'prk', 'must be at least 32 bytes'],
      ['expand length', () => hkdf.expand(sha256, prk, undefined, -1), 'range', 'hkdf.expand', 'length'],
      ['expand info', () => hkdf.expand(sha256, prk, [1] as never), 'type', 'hkdf.expand', 'info'],
    ];
    expectRefusals(rows);
  });
});
