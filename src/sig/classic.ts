import { defaultOf, type SigKernels, type WasmInstance } from '../wasm/index.js';
import { bindEd25519, type Ed25519Api, packBatchItems, verifyPacked } from './ed25519.js';
import { bindVrf, type VrfApi } from './vrf.js';

// Ed25519 and ECVRF on the default backend. A module of its own, as pq.ts is for ML-DSA: a bundle
// that uses only one of the two keeps only its module, and `init()` fetches only its family.

/** Every signature function of one WASM instance. */
export interface SigApi {
  ed25519: Ed25519Api;
  /** ECVRF-EDWARDS25519-SHA512-TAI / -ELL2 (RFC 9381). */
  vrf: VrfApi;
}

const bound = new WeakMap<WasmInstance<SigKernels>, SigApi>();

/** The signature functions running on `instance` (bound once per instance). */
export function bindSig(instance: WasmInstance<SigKernels>): SigApi {
  let api = bound.get(instance);
  if (!api) {
    api = { ed25519: bindEd25519(instance), vrf: bindVrf(instance) };
    bound.set(instance, api);
  }
  return api;
}

// Asked for here, at the top: a bundle that keeps this module has init() fetch the sig family's WASM.
const defaultSigInstance = defaultOf('sig');

function current(): SigApi {
  return bindSig(defaultSigInstance());
}

/** Ed25519 (RFC 8032) on the default backend, with ZIP-215 batch verification. */
export const ed25519: Ed25519Api = {
  generateKeyPair: (seed) => current().ed25519.generateKeyPair(seed),
  getPublicKey: (secretKey) => current().ed25519.getPublicKey(secretKey),
  sign: (message, secretKey) => current().ed25519.sign(message, secretKey),
  verify: (signature, message, publicKey, options) => current().ed25519.verify(signature, message, publicKey, options),
  verifyBatch: (items, options) => current().ed25519.verifyBatch(items, options),
};

/** ECVRF over edwards25519 (RFC 9381) on the default backend; keys are Ed25519 keys. */
export const vrf: VrfApi = {
  prove: (alpha, secretKey, options) => current().vrf.prove(alpha, secretKey, options),
  verify: (proof, alpha, publicKey, options) => current().vrf.verify(proof, alpha, publicKey, options),
  proofToHash: (proof, options) => current().vrf.proofToHash(proof, options),
};

/**
 * Packs one `verifyBatch` item into a single byte string (signature ‖ publicKey ‖ message) for the
 * worker pool; its argument errors name `where` (the pool's `verifyBatch` reports as `ed25519.verifyBatch`).
 */
export { packBatchItems };

/** `ed25519.verifyBatch` on the default backend over items packed by `packBatchItems`. */
export function verifyEd25519Packed(packed: readonly Uint8Array[]): boolean[] {
  return verifyPacked(current().ed25519, packed);
}
