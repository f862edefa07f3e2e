// `swarmguard/sig`: Ed25519 (with batch verification) and ECVRF on the default backend.
export {
  type BatchItem,
  ed25519,
  type Ed25519Api,
  type Ed25519KeyPair,
  type SigApi,
  type VerifyBatchOptions,
  type VerifyOptions,
  vrf,
  type VrfApi,
  type VrfOptions,
  type VrfSuite,
} from '../sig/index.js';
