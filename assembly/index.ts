// Entry of both shipped WASM builds (scalar and simd). Every kernel works on flat linear memory:
// the host writes inputs at addresses it chose above `scratchBase()`, calls one exported
// batch function, and reads the outputs back. No kernel allocates.
//
// Export names are the ABI: camelCase, the algorithm first (`sha256Many`, `blake3StateSize`,
// `merkleHashLeaves`, `ed25519VerifyBatch`, `vrfProve`). assembly/build.mjs turns them into the
// typed `Kernels` interface of src/wasm/generated/kernels.ts. Kernels only tests call live in
// assembly/testing/, which only the test build compiles.
export { scratchBase } from "./scratch";
export {
  sha256Init,
  sha256Update,
  sha256Final,
  sha256Digest,
  sha256HashMany as sha256Many,
  sha256HashPairs as sha256Pairs,
} from "./sha2/sha256";
export { sha512Init, sha512Update, sha512Final, sha512Digest } from "./sha2/sha512";
export {
  blake3StateSize,
  blake3StateUsed,
  blake3ResidentState,
  blake3Init,
  blake3Update,
  blake3Finalize,
  blake3Hash,
  blake3Many,
  blake3Pairs,
} from "./blake3/kernels";
export * from "./ed25519/index";
export {
  merkleDigest,
  merkleHashLeaves,
  merkleReduce,
  merkleExtend,
  merkleUpdate,
  merkleRangeHashes,
  merkleFoldProof,
} from "./merkle/tree";
