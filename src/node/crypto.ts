import { createHash, createPrivateKey, createPublicKey, type KeyObject, randomBytes, sign, verify } from 'node:crypto';
import { bytesToHex, concatBytes } from '../bytes/index.js';
import { requireByteLength } from '../check/index.js';
import type { HashFunction, SignatureCheck, Signer, Verifier } from '../consensus/index.js';

// The consensus ports (`Signer`, `Verifier`, `HashFunction`) on node:crypto. They live in node/,
// not consensus/, so the replica imports no `node:` module and runs in browsers as it is.

// DER prefixes wrapping a raw Ed25519 seed (PKCS#8) and public key (SPKI), RFC 8410.
const PKCS8_PREFIX = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);
const SPKI_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);

/** An Ed25519 `Signer` on node:crypto from a 32-byte seed (fresh random seed when omitted). */
export function nodeEd25519Signer(seed?: Uint8Array): Signer {
  const secret = seed === undefined ? new Uint8Array(randomBytes(32)) : requireByteLength(seed, 'nodeEd25519Signer', 'seed', 32);
  const privateKey = createPrivateKey({ key: Buffer.from(concatBytes(PKCS8_PREFIX, secret)), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const publicKey = new Uint8Array(spki.subarray(spki.length - 32));
  return {
    publicKey,
    sign: (message) => new Uint8Array(sign(null, message, privateKey)),
  };
}

/** An Ed25519 `Verifier` on node:crypto; a KeyObject is created once per public key and reused. */
export function nodeEd25519Verifier(): Verifier {
  const keys = new Map<string, KeyObject | null>();
  const keyFor = (raw: Uint8Array): KeyObject | null => {
    const id = bytesToHex(raw);
    let key = keys.get(id);
    if (key === undefined) {
      try {
        key = raw.length === 32 ? createPublicKey({ key: Buffer.from(concatBytes(SPKI_PREFIX, raw)), format: 'der', type: 'spki' }) : null;
      } catch {
        key = null;
      }
      keys.set(id, key);
    }
    return key;
  };
  return {
    verifyBatch: (checks: SignatureCheck[]) =>
      checks.map(({ publicKey, message, signature }) => {
        const key = keyFor(publicKey);
        if (key === null || signature.length !== 64) return false;
        try {
          return verify(null, message, key, signature);
        } catch {
          return false;
        }
      }),
  };
}

/** SHA-256 on node:crypto, for block and checkpoint digests. */
export const nodeSha256: HashFunction = (data) => new Uint8Array(createHash('sha256').update(data).digest());
