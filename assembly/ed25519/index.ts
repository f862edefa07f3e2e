// Kernels of the Ed25519 / ECVRF module (re-exported with the ed25519_ prefix by assembly/index.ts).
export { ed25519_public_key, ed25519_sign, ed25519_verify } from "./eddsa";
export { ed25519_batch_work_size, ed25519_verify_batch } from "./batch";
export {
  ed25519_double_scalarmult, ed25519_fe_invert, ed25519_fe_mul, ed25519_point_add, ed25519_point_decode,
  ed25519_sc_half_size, ed25519_sc_is_canonical, ed25519_sc_muladd, ed25519_sc_reduce64, ed25519_scalarmult_base,
} from "./primitives";
export { ed25519_vrf_proof_to_hash, ed25519_vrf_prove, ed25519_vrf_verify } from "./vrf";
