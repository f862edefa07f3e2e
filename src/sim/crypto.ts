import { type SignatureScheme, wasmEd25519Signer, wasmHybridSigner, wasmVerifierFor } from '../consensus/index.js';
import { sha256 } from '../hash/index.js';
import type { SimOptions } from './options.js';

const ML_DSA_SEED = new TextEncoder().encode('/mldsa65');

/**
 * The simulator's signatures and hashing when `SimOptions.crypto` is not given: swarmguard's WASM
 * signer and verifier of `scheme`, SHA-256. A validator's seed makes its Ed25519 key; under
 * 'ed25519+mldsa65' the hash of the seed and '/mldsa65' makes its ML-DSA-65 key.
 */
export function defaultCrypto(scheme: SignatureScheme): NonNullable<SimOptions['crypto']> {
  const hash = (data: Uint8Array) => sha256(data);
  const signer =
    scheme === 'ed25519'
      ? wasmEd25519Signer
      : (seed: Uint8Array) => {
          const second = new Uint8Array(seed.length + ML_DSA_SEED.length);
          second.set(seed);
          second.set(ML_DSA_SEED, seed.length);
          return wasmHybridSigner(seed, hash(second));
        };
  return { signer, verifier: () => wasmVerifierFor(scheme), hash };
}
