// Entry of the post-quantum family's builds (scalar and simd): ML-DSA-44/65/87 (FIPS 204) with the
// SHAKE it needs compiled in. Same conventions as hash.ts; its typed face is `PqKernels` in
// src/wasm/generated/kernels.ts.
export { scratchBase } from "./scratch";
export * from "./mldsa/index";
