import { defaultOf, type PqKernels, type WasmInstance } from '../wasm/index.js';
import { bindMlDsa, type MlDsaApi, mldsaLengths, type MlDsaName } from './mldsa.js';

// The ML-DSA functions on the default backend. A module of its own: a bundle that uses only
// Ed25519 drops it, and with it the pq family's WASM (its `defaultOf` call is what makes `init()`
// fetch that family).

/** The three ML-DSA parameter sets of one pq instance. */
export interface PqApi {
  mldsa44: MlDsaApi;
  mldsa65: MlDsaApi;
  mldsa87: MlDsaApi;
}

const bound = new WeakMap<WasmInstance<PqKernels>, PqApi>();

/** The ML-DSA functions running on `instance` (bound once per instance). */
function bindPq(instance: WasmInstance<PqKernels>): PqApi {
  let api = bound.get(instance);
  if (!api) {
    api = { mldsa44: bindMlDsa(instance, 'ML-DSA-44'), mldsa65: bindMlDsa(instance, 'ML-DSA-65'), mldsa87: bindMlDsa(instance, 'ML-DSA-87') };
    bound.set(instance, api);
  }
  return api;
}

/**
 * ML-DSA-`name` as a stable object whose calls run on `instance()`, read per call: the default
 * instance (which `init()` may replace), or a backend's own, created on first use.
 */
export function mldsaOn(name: MlDsaName, instance: () => WasmInstance<PqKernels>): MlDsaApi {
  const current = () => bindPq(instance())[API_KEYS[name]];
  return {
    name,
    lengths: mldsaLengths(name),
    generateKeyPair: (seed) => current().generateKeyPair(seed),
    sign: (message, secretKey, options) => current().sign(message, secretKey, options),
    verify: (signature, message, publicKey, options) => current().verify(signature, message, publicKey, options),
    verifyBatch: (items) => current().verifyBatch(items),
  };
}

const API_KEYS = { 'ML-DSA-44': 'mldsa44', 'ML-DSA-65': 'mldsa65', 'ML-DSA-87': 'mldsa87' } as const;

const defaultPqInstance = defaultOf('pq');

/** ML-DSA-44 (FIPS 204, NIST security category 2) on the default backend. */
export const mldsa44: MlDsaApi = mldsaOn('ML-DSA-44', defaultPqInstance);
/** ML-DSA-65 (category 3) on the default backend. */
export const mldsa65: MlDsaApi = mldsaOn('ML-DSA-65', defaultPqInstance);
/** ML-DSA-87 (category 5) on the default backend. */
export const mldsa87: MlDsaApi = mldsaOn('ML-DSA-87', defaultPqInstance);
