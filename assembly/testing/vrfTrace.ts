import { prove } from "../ed25519/vrf";

/** `vrfProve` that also writes H ‖ k ‖ U ‖ V (128 bytes, RFC 9381 names) at `trace`, for known-answer tests. */
export function vrfProveWithTrace(pi: usize, sk: usize, alpha: usize, alphaLen: usize, suite: i32, trace: usize): i32 {
  return prove(pi, sk, alpha, alphaLen, suite, trace);
}
