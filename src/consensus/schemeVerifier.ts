import type { Verifier } from './crypto.js';
import type { SignatureScheme } from './scheme.js';
import { wasmEd25519Verifier } from './wasmEd25519.js';
import { wasmHybridVerifier } from './wasmHybrid.js';

/** swarmguard's WASM `Verifier` for `scheme`: what commit proofs are checked with, and what a node or the simulator verifies frames with. */
export function wasmVerifierFor(scheme: SignatureScheme): Verifier {
  return scheme === 'ed25519' ? wasmEd25519Verifier() : wasmHybridVerifier();
}
