// Kernels of the Ed25519 / ECVRF module (re-exported by assembly/sig.ts).
export {
  ed25519HashInit, ed25519HashStateSize, ed25519HashUpdate, ed25519PublicKey, ed25519Sign, ed25519SignCommit,
  ed25519SignFinish, ed25519SignStart, ed25519Verify, ed25519VerifyFinish,
} from "./eddsa";
export { ed25519BatchWorkSize, ed25519VerifyBatch } from "./batch";
export { vrfProofToHash, vrfProve, vrfVerify } from "./vrf";
