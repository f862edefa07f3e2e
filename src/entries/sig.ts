// `swarmguard/sig`: Ed25519 (with batch verification), ECVRF and ML-DSA (FIPS 204) on the default backend.
// `init` and `features` too: a page that imports only this entry must be able to compile the WASM
// without blocking (`await init()`) and see which backend it got.
export { type Features, features, init, type InitOptions } from '../backend/index.js';
export {
  type BatchItem,
  ed25519,
  type Ed25519Api,
  type Ed25519KeyPair,
  MalformedSecretKeyError,
  mldsa44,
  mldsa65,
  mldsa87,
  type MlDsaApi,
  type MlDsaBatchItem,
  type MlDsaKeyPair,
  type MlDsaLengths,
  type MlDsaName,
  type MlDsaSignOptions,
  type MlDsaVerifyOptions,
  type PqApi,
  type SigApi,
  type VerifyBatchOptions,
  type VerifyOptions,
  vrf,
  type VrfApi,
  type VrfOptions,
  type VrfSuite,
} from '../sig/index.js';
