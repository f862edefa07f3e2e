import { createHash } from 'node:crypto';
import { blake3 as nobleBlake3 } from '@noble/hashes/blake3.js';
import { hkdf as nobleHkdf } from '@noble/hashes/hkdf.js';
import { hmac as nobleHmac } from '@noble/hashes/hmac.js';
import { pbkdf2 as noblePbkdf2 } from '@noble/hashes/pbkdf2.js';
import { sha256 as nobleSha256, sha512 as nobleSha512 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backend/index.js';
import { HashFinalizedError } from '../../src/hash/index.js';
import { expectRefusals, type Refusal } from '../_support/refusals.js';

const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const enc = new TextEncoder();

/** Runs `call`, which must throw; returns what it threw. */
function thrown(call: () => unknown): unknown {
  try {
    call();
  } catch (err) {
    return err;
  }
  throw new Error('did not throw');
}

function expectFinalized(call: () => unknown, where: string, says: string): void {
  const err = thrown(call);
  expect(err, where).toBeInstanceOf(HashFinalizedError);
  expect((err as HashFinalizedError).code).toBe('ERR_CRYPTO_HASH_FINALIZED');
  expect((err as Error).name).toBe('HashFinalizedError');
  expect((err as Error).message).toBe(`${where}: ${says}`);
}

const GAVE = 'the hasher already gave its digest (clone() before digest() to keep hashing, or reset() to start over)';

describe('what the reference libraries do with a finished hash (the rule below matches it)', () => {
  it('@noble/hashes throws on update() after digest() and on a second digest() (its digest destroys the hash)', () => {
    const h = nobleSha256.create().update(enc.encode('a'));
    h.digest();
    expect(() => h.update(enc.encode('b'))).toThrow(/hash was destroyed/); // digest() destroys it
    expect(() => h.digest()).toThrow(/hash was destroyed/);
  });

  it('node:crypto throws ERR_CRYPTO_HASH_FINALIZED on both', () => {
    const h = createHash('sha256').update('a');
    h.digest();
    expect(thrown(() => h.update('b'))).toMatchObject({ code: 'ERR_CRYPTO_HASH_FINALIZED' });
    expect(thrown(() => h.digest())).toMatchObject({ code: 'ERR_CRYPTO_HASH_FINALIZED' });
  });
});

for (const backend of ['scalar', 'simd'] as const) {
  const api = createBackend(backend);
  const functions = [
    ['sha256', () => api.sha256.create(), nobleSha256],
    ['sha512', () => api.sha512.create(), nobleSha512],
    ['blake3', () => api.blake3.create(), nobleBlake3],
  ] as const;

  describe(`a hasher gives one digest (${backend})`, () => {
    for (const [name, create] of functions) {
      it(`${name}: update, digest and digestInto after digest() throw HashFinalizedError naming the method`, () => {
        const h = create().update('abc');
        h.digest();
        expectFinalized(() => h.update('d'), `${name}.create().update`, GAVE);
        expectFinalized(() => h.digest(), `${name}.create().digest`, GAVE);
        expectFinalized(() => h.digestInto(new Uint8Array(64)), `${name}.create().digestInto`, GAVE);
        const g = create();
        g.digestInto(new Uint8Array(64));
        expectFinalized(() => g.digest(), `${name}.create().digest`, GAVE);
      });

      it(`${name}: reset() and a clone taken before digest() keep going; a clone of a finished hasher is finished`, () => {
        const h = create().update('ab');
        const before = h.clone();
        const first = h.digest();
        expect(toHex(h.reset().update('ab').digest())).toBe(toHex(first));
        expect(toHex(before.update('c').digest())).toBe(toHex(create().update('abc').digest()));
        expectFinalized(() => h.clone().update('x'), `${name}.create().update`, GAVE);
      });

      it(`${name}: destroy() wipes the hasher; nothing but a new one works after it`, () => {
        const h = create().update('secret');
        h.destroy();
        for (const method of ['update', 'digest', 'reset', '_cloneInto'] as const) {
          const call = method === 'update' ? () => h.update('x') : () => (h[method] as () => unknown)();
          expectFinalized(call, `${name}.create().${method}`, 'the hasher was destroyed');
        }
      });

      it(`${name}: digestInto writes outputLen bytes and leaves the rest; _cloneInto copies into a hasher of the same function`, () => {
        const out = new Uint8Array(200).fill(0xee);
        const h = create().update('abc');
        const target = create().update('something else');
        expect(h._cloneInto(target)).toBe(target);
        h.digestInto(out);
        expect(toHex(out.subarray(0, h.outputLen))).toBe(toHex(create().update('abc').digest()));
        expect(out.subarray(h.outputLen).every((b) => b === 0xee)).toBe(true);
        expect(toHex(target.digest())).toBe(toHex(out.subarray(0, h.outputLen)));
      });
    }

    it('argument errors of digestInto and _cloneInto name the hasher method and the argument', () => {
      const rows: Refusal[] = [
        ['sha256 out short', () => api.sha256.create().digestInto(new Uint8Array(31)), 'range', 'sha256.create().digestInto', 'out', 'must have room for 32 bytes, got 31'],
        ['sha512 out array', () => api.sha512.create().digestInto([] as never), 'type', 'sha512.create().digestInto', 'out', 'must be a Uint8Array'],
        ['blake3 out short', () => api.blake3.create({ length: 40 }).digestInto(new Uint8Array(32)), 'range', 'blake3.create().digestInto', 'out', 'room for 40 bytes'],
        ['sha256 into sha512', () => api.sha256.create()._cloneInto(api.sha512.create()), 'type', 'sha256.create()._cloneInto', 'to', 'same sha256'],
        ['blake3 into sha256', () => api.blake3.create()._cloneInto(api.sha256.create() as never), 'type', 'blake3.create()._cloneInto', 'to'],
      ];
      expectRefusals(rows);
      // A refused digestInto leaves the hasher usable.
      const h = api.sha256.create().update('x');
      expect(() => h.digestInto(new Uint8Array(1))).toThrow(RangeError);
      expect(toHex(h.digest())).toBe(toHex(nobleSha256(enc.encode('x'))));
    });
  });

  describe(`@noble/hashes' own constructions run over swarmguard hashes (${backend})`, () => {
    const key = enc.encode('key');
    const message = enc.encode('The quick brown fox jumps over the lazy dog');
    it('noble hmac, hkdf and pbkdf2 with our sha256, sha512 and blake3 give what they give with noble’s', () => {
      for (const [name, , noble] of functions) {
        const ours = api[name];
        expect(toHex(nobleHmac(ours, key, message)), `hmac ${name}`).toBe(toHex(nobleHmac(noble, key, message)));
        expect(toHex(nobleHkdf(ours, key, message, key, 100)), `hkdf ${name}`).toBe(toHex(nobleHkdf(noble, key, message, key, 100)));
        expect(toHex(noblePbkdf2(ours, key, message, { c: 3, dkLen: 70 })), `pbkdf2 ${name}`).toBe(toHex(noblePbkdf2(noble, key, message, { c: 3, dkLen: 70 })));
      }
    });
  });
}
