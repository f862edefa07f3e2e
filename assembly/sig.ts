// Entry of the signature family's builds (scalar and simd): Ed25519 (with batch verification)
// and ECVRF, each with the SHA-512 it needs compiled in (not exported: hashing is hash.ts's).
// Same conventions as hash.ts; its typed face is `SigKernels` in src/wasm/generated/kernels.ts.
export { scratchBase } from "./scratch";
export * from "./ed25519/index";
