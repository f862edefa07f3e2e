// Kernels of the ML-DSA module (re-exported by assembly/pq.ts).
export { mldsaKeygen, mldsaSign, mldsaVerify, mldsaVerifyBatch } from "./mldsa";
