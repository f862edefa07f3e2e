// Entry of both WASM builds (scalar and simd). Every kernel works on flat linear memory:
// the host writes inputs at addresses it chose above `scratchBase()`, calls one exported
// batch function, and reads the outputs back. No kernel allocates.
export { scratchBase } from "./scratch";
export {
  sha256Init as sha256_init,
  sha256Update as sha256_update,
  sha256Final as sha256_final,
  sha256Digest as sha256_digest,
  sha256HashMany as sha256_many,
  sha256HashPairs as sha256_pairs,
} from "./sha2/sha256";
export {
  blake3_stateSize,
  blake3_stateUsed,
  blake3_residentState,
  blake3_init,
  blake3_update,
  blake3_finalize,
  blake3_hash,
  blake3_many,
  blake3_pairs,
} from "./blake3/kernels";
export { sha512Init as sha512_init, sha512Update as sha512_update, sha512Final as sha512_final, sha512Digest as sha512_digest } from "./sha2/sha512";
export * from "./ed25519/index";
export {
  merkle_digest,
  merkle_hashLeaves,
  merkle_hashNodes,
  merkle_reduce,
  merkle_extend,
  merkle_update,
  merkle_rangeHashes,
  merkle_foldProof,
} from "./merkle/tree";
