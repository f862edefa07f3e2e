import { defaultOf } from '../wasm/index.js';
import type { MlDsaApi } from './mldsa.js';
import { mldsaOn } from './pqBinding.js';

// The ML-DSA functions on the default backend. A module of its own: a bundle that uses only
// Ed25519 drops it, and with it the pq family's WASM (its `defaultOf` call is what makes `init()`
// fetch that family).

const defaultPqInstance = defaultOf('pq');

/** ML-DSA-44 (FIPS 204, NIST security category 2) on the default backend. */
export const mldsa44: MlDsaApi = mldsaOn('ML-DSA-44', defaultPqInstance);
/** ML-DSA-65 (category 3) on the default backend. */
export const mldsa65: MlDsaApi = mldsaOn('ML-DSA-65', defaultPqInstance);
/** ML-DSA-87 (category 5) on the default backend. */
export const mldsa87: MlDsaApi = mldsaOn('ML-DSA-87', defaultPqInstance);
