// The signature capability: Ed25519 and ECVRF (classic.ts, the sig family's WASM) and ML-DSA
// (pq.ts, the pq family's), each on the default backend or bound to an instance.
export type { VrfApi, VrfOptions, VrfSuite } from './vrf.js';
export type { BatchItem, Ed25519Api, Ed25519KeyPair, VerifyBatchOptions, VerifyOptions } from './ed25519.js';
export type { MlDsaApi, MlDsaBatchItem, MlDsaKeyPair, MlDsaLengths, MlDsaName, MlDsaSignOptions, MlDsaVerifyOptions } from './mldsa.js';
export { MalformedSecretKeyError } from './errors.js';
export { mldsa44, mldsa65, mldsa87 } from './pq.js';
export { mldsaOn, type PqApi } from './pqBinding.js';
export { mldsa65OnDemand } from './pqOnDemand.js';
export { bindSig, ed25519, packBatchItems, type SigApi, verifyEd25519Packed, vrf } from './classic.js';
export { MLDSA_NAMES, packMlDsaBatch, verifyMlDsaPacked } from './mldsaPacked.js';
