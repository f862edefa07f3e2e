import type { PqKernels, WasmInstance } from '../wasm/index.js';
import { bindMlDsa, type MlDsaApi, mldsaLengths, type MlDsaName } from './mldsa.js';

// ML-DSA's functions bound to a pq instance. No top-level call: a bundle keeps this module without
// registering the pq family (see pq.ts and pqOnDemand.ts, which choose how the family is loaded).

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
