import type { Input } from '../bytes/index.js';
import { ArgumentRangeError, requireBytes, requireInput, requireInteger } from '../check/index.js';
import { type CHash, hmac, requireHash } from './hmac.js';

// HKDF (RFC 5869) over any hash in @noble/hashes' shape, with noble's argument order. Key material
// (ikm, prk) and salt are bytes; info, a label more often than not, may be a string (UTF-8).

const EMPTY = /* @__PURE__ */ new Uint8Array(0);

function extractFor(hash: CHash, ikm: Uint8Array, salt: Uint8Array | undefined): Uint8Array {
  // §2.2: a missing salt is HashLen zeros, which HMAC pads exactly as it pads an empty key.
  return hmac(hash, salt ?? new Uint8Array(hash.outputLen), ikm);
}

function expandFor(where: string, hash: CHash, prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  // §2.3: T(i) = HMAC-Hash(PRK, T(i-1) ‖ info ‖ i), the first `length` bytes of T(1) ‖ T(2) ‖ …
  const hashLen = hash.outputLen;
  if (prk.length < hashLen) throw new ArgumentRangeError(where, 'prk', `must be at least ${hashLen} bytes (the hash's output: RFC 5869 §2.3), got ${prk.length}`);
  const okm = new Uint8Array(length);
  let previous: Uint8Array = EMPTY;
  const counter = new Uint8Array(1);
  for (let at = 0, i = 1; at < length; at += hashLen, i++) {
    counter[0] = i;
    previous = hmac.create(hash, prk).update(previous).update(info).update(counter).digest();
    okm.set(previous.subarray(0, Math.min(hashLen, length - at)), at);
  }
  return okm;
}

function requireSalt(salt: unknown, where: string): Uint8Array | undefined {
  return salt === undefined ? undefined : requireBytes(salt, where, 'salt');
}

function requireLength(length: unknown, where: string, hash: CHash): number {
  return requireInteger(length, where, 'length', 0, 255 * hash.outputLen);
}

/**
 * HKDF (RFC 5869): `length` bytes (at most 255 · `hash.outputLen`) of key material from `ikm`,
 * `salt` (optional: HashLen zeros) and `info` (optional context) — extract, then expand.
 * `hkdf.extract` and `hkdf.expand` are the two steps.
 */
export const hkdf: {
  (hash: CHash, ikm: Uint8Array, salt: Uint8Array | undefined, info: Input | undefined, length: number): Uint8Array;
  /** RFC 5869 §2.2: the pseudorandom key PRK = HMAC-Hash(salt, ikm), `hash.outputLen` bytes. */
  extract(hash: CHash, ikm: Uint8Array, salt?: Uint8Array): Uint8Array;
  /** RFC 5869 §2.3: `length` bytes (default `hash.outputLen`) of key material from a PRK of at least `hash.outputLen` bytes. */
  expand(hash: CHash, prk: Uint8Array, info?: Input, length?: number): Uint8Array;
} = /* @__PURE__ */ Object.assign(
  (hash: CHash, ikm: Uint8Array, salt: Uint8Array | undefined, info: Input | undefined, length: number): Uint8Array => {
    const where = 'hkdf';
    const h = requireHash(hash, where);
    const key = requireBytes(ikm, where, 'ikm');
    const s = requireSalt(salt, where);
    const context = info === undefined ? EMPTY : requireInput(info, where, 'info');
    const n = requireLength(length, where, h);
    return expandFor(where, h, extractFor(h, key, s), context, n);
  },
  {
    extract: (hash: CHash, ikm: Uint8Array, salt?: Uint8Array): Uint8Array => {
      const where = 'hkdf.extract';
      const h = requireHash(hash, where);
      return extractFor(h, requireBytes(ikm, where, 'ikm'), requireSalt(salt, where));
    },
    expand: (hash: CHash, prk: Uint8Array, info?: Input, length?: number): Uint8Array => {
      const where = 'hkdf.expand';
      const h = requireHash(hash, where);
      const key = requireBytes(prk, where, 'prk');
      const context = info === undefined ? EMPTY : requireInput(info, where, 'info');
      return expandFor(where, h, key, context, length === undefined ? h.outputLen : requireLength(length, where, h));
    },
  },
);
