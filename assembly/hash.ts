// Entry of the hash family's builds (scalar and simd): SHA-256, SHA-512, BLAKE3 and the Merkle
// kernels. A page that only hashes fetches this module and never the signature one (sig.ts).
//
// Every kernel works on flat linear memory: the host writes inputs at addresses it chose above
// `scratchBase()`, calls one exported batch function, and reads the outputs back. No kernel
// allocates. Export names are the ABI: camelCase, the algorithm first (`sha256Many`,
// `blake3StateSize`, `merkleHashLeaves`). assembly/build.mjs turns them into the typed
// `HashKernels` interface of src/wasm/generated/kernels.ts. Kernels only tests call live in
// assembly/testing/, which only the test build compiles (with both families).
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
export {
  merkleDigest,
  merkleHashLeaves,
  merkleReduce,
  merkleExtend,
  merkleUpdate,
  merkleRangeHashes,
  merkleFoldProof,
} from "./merkle/tree";
