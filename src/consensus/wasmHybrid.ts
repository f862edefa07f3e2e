import { concatBytes, equalBytes } from '../bytes/index.js';
import { ArgumentRangeError, requireByteLength } from '../check/index.js';
import { ed25519, type MlDsaBatchItem, mldsa65OnDemand as mldsa65 } from '../sig/index.js';
import type { SignatureCheck, Signer, Verifier } from './crypto.js';
import { schemeFormat } from './scheme.js';

// 'ed25519+mldsa65': every consensus message carries an Ed25519 signature and an ML-DSA-65 one
// (FIPS 204, pure mode), both over the same bytes (`domain ‖ frame`), and a message counts only
// when both verify. A forger must break both: Ed25519 today, ML-DSA-65 against a quantum computer.
// Keys and signatures are the pairs Ed25519 ‖ ML-DSA-65. The ML-DSA half is signed under a fixed
// FIPS 204 context naming the scheme, so it is never valid as a signature of another protocol
// over the same key; the Ed25519 half is bound to the scheme by the domain (the validator set's
// id names it) and by the frame's first byte (the scheme's wire version).

/** The FIPS 204 context string of the ML-DSA-65 half of every 'ed25519+mldsa65' consensus signature. */
export const HYBRID_MLDSA_CONTEXT: Uint8Array = new TextEncoder().encode('swarmguard/consensus/ed25519+mldsa65/v1');

const HYBRID = schemeFormat('ed25519+mldsa65');
const ED_KEY = 32;
const ED_SIG = 64;

/**
 * An 'ed25519+mldsa65' consensus key from its two halves: Ed25519 (32 bytes) ‖ ML-DSA-65 (1,952).
 * What genesis lists per validator, joined, is what `ReplicaConfig.validators` takes.
 */
export function hybridPublicKey(ed25519Key: Uint8Array, mldsa65Key: Uint8Array): Uint8Array {
  const where = 'hybridPublicKey';
  return concatBytes(requireByteLength(ed25519Key, where, 'ed25519Key', ED_KEY), requireByteLength(mldsa65Key, where, 'mldsa65Key', mldsa65.lengths.publicKey));
}

/**
 * A `Signer` of scheme 'ed25519+mldsa65' from two 32-byte seeds (Ed25519's RFC 8032 seed and
 * ML-DSA-65's key-generation seed xi), which must differ: each half's key from its own secret.
 * Signing gives Ed25519 ‖ ML-DSA-65 over the same message; there is no way to get one half
 * alone. Both halves are deterministic (ML-DSA's deterministic variant): like an Ed25519 signer,
 * it signs one message to one byte string, which the protocol's retransmissions and equivocation
 * evidence (and the simulator's reproducible traces) rely on.
 */
export function wasmHybridSigner(ed25519Seed: Uint8Array, mldsa65Seed: Uint8Array): Signer {
  const where = 'wasmHybridSigner';
  requireByteLength(ed25519Seed, where, 'ed25519Seed', 32);
  requireByteLength(mldsa65Seed, where, 'mldsa65Seed', 32);
  if (equalBytes(ed25519Seed, mldsa65Seed)) throw new ArgumentRangeError(where, 'mldsa65Seed', 'must differ from ed25519Seed (each half of the key needs a secret of its own)');
  const ed = ed25519.generateKeyPair(ed25519Seed);
  const ml = mldsa65.generateKeyPair(mldsa65Seed);
  const options = { context: HYBRID_MLDSA_CONTEXT, deterministic: true };
  return {
    publicKey: concatBytes(ed.publicKey, ml.publicKey),
    scheme: 'ed25519+mldsa65',
    sign: (message) => concatBytes(ed25519.sign(message, ed.secretKey), mldsa65.sign(message, ml.secretKey, options)),
  };
}

/** A consensus key's two halves, split once per key object (the replica passes the same key objects every step). */
const halves = new WeakMap<Uint8Array, { ed: Uint8Array; ml: Uint8Array }>();

function split(key: Uint8Array): { ed: Uint8Array; ml: Uint8Array } {
  let h = halves.get(key);
  if (h === undefined) {
    h = { ed: key.subarray(0, ED_KEY), ml: key.subarray(ED_KEY) };
    halves.set(key, h);
  }
  return h;
}

/**
 * A `Verifier` of scheme 'ed25519+mldsa65': the Ed25519 halves of one `verifyBatch` call go to
 * one `ed25519.verifyBatch` (ZIP-215), the ML-DSA-65 halves to one `mldsa65.verifyBatch` (one
 * WASM call each; a key's matrix A is expanded once per batch, as checks of one validator share
 * its key object); a check is valid only when both halves are. A key or signature of another
 * length is false, never an error.
 */
export function wasmHybridVerifier(): Verifier {
  return {
    scheme: 'ed25519+mldsa65',
    verifyBatch(checks: SignatureCheck[]): boolean[] {
      const result = new Array<boolean>(checks.length).fill(false);
      const at: number[] = [];
      const edItems: { publicKey: Uint8Array; message: Uint8Array; signature: Uint8Array }[] = [];
      const mlItems: MlDsaBatchItem[] = [];
      for (let i = 0; i < checks.length; i++) {
        const { publicKey, message, signature } = checks[i];
        if (publicKey.length !== HYBRID.publicKeyBytes || signature.length !== HYBRID.signatureBytes) continue;
        const key = split(publicKey);
        at.push(i);
        edItems.push({ publicKey: key.ed, message, signature: signature.subarray(0, ED_SIG) });
        mlItems.push({ publicKey: key.ml, message, signature: signature.subarray(ED_SIG), context: HYBRID_MLDSA_CONTEXT });
      }
      if (at.length === 0) return result;
      const edOk = ed25519.verifyBatch(edItems);
      const mlOk = mldsa65.verifyBatch(mlItems);
      for (let k = 0; k < at.length; k++) result[at[k]] = edOk[k] && mlOk[k];
      return result;
    },
  };
}
