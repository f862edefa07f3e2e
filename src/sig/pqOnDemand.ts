import { onDemandOf } from '../wasm/index.js';
import type { MlDsaApi } from './mldsa.js';
import { mldsaOn } from './pqBinding.js';

// ML-DSA-65 for code that needs it on some networks only (the 'ed25519+mldsa65' consensus scheme):
// read through `onDemandOf`, the pq family is not among those a plain `init()` fetches, so a
// light-client page of an Ed25519 network never downloads it. Where the builds are embedded (Node)
// it compiles on first use; in a browser bundle `init({ families: ['pq'] })` loads it first.

/** ML-DSA-65 on the default backend, its WASM loaded on demand. */
export const mldsa65OnDemand: MlDsaApi = mldsaOn('ML-DSA-65', onDemandOf('pq'));
