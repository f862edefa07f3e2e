// Kernels of the Ed25519 / ECVRF module (re-exported by assembly/sig.ts).
export { ed25519PublicKey, ed25519Sign, ed25519Verify } from "./eddsa";
export { ed25519BatchWorkSize, ed25519VerifyBatch } from "./batch";
export { vrfProofToHash, vrfProve, vrfVerify } from "./vrf";
