import { ed25519 } from '../sig/index.js';
import type { SignatureCheck, Signer, Verifier } from './crypto.js';

/**
 * A `Verifier` on swarmguard's WASM Ed25519: the signatures of one step go through
 * `ed25519.verifyBatch` in one call (one crossing into WASM; random-linear-combination batch
 * check, bisecting to find the invalid ones). ZIP-215 rules: every validator of a network should
 * use verifiers with the same acceptance rules (see docs/consensus.md).
 */
export function wasmEd25519Verifier(): Verifier {
  return {
    verifyBatch: (checks: SignatureCheck[]) =>
      checks.length === 0
        ? []
        : ed25519.verifyBatch(checks.map(({ publicKey, message, signature }) => ({ publicKey, message, signature }))),
  };
}

/** A `Signer` on swarmguard's WASM Ed25519 from a 32-byte seed. */
export function wasmEd25519Signer(seed: Uint8Array): Signer {
  const { publicKey, secretKey } = ed25519.generateKeyPair(seed);
  return { publicKey, sign: (message) => ed25519.sign(message, secretKey) };
}
