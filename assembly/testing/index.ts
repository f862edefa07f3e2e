// Third entry of the test build (compiled together with assembly/hash.ts and sig.ts into
// build/testing/{scalar,simd}.wasm): kernels only tests call, kept out of the shipped builds.
export {
  ed25519DoubleScalarMult,
  ed25519FeInvert,
  ed25519FeMul,
  ed25519PointAdd,
  ed25519PointDecode,
  ed25519ScalarMultBase,
  ed25519ScHalfSize,
  ed25519ScIsCanonical,
  ed25519ScMulAdd,
  ed25519ScReduce64,
  ed25519ScSumProducts,
} from "./primitives";
export { vrfProveWithTrace } from "./vrfTrace";
