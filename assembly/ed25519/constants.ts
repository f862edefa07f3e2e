// Curve constants as field elements, decoded once from their little-endian encodings.
import { fe_frombytes } from "./field";

/** d = -121665/121666 */
export const FE_D: usize = memory.data(80);
/** 2d */
export const FE_2D: usize = memory.data(80);
/** sqrt(-1) = 2^((p-1)/4) */
export const FE_SQRTM1: usize = memory.data(80);

/** sqrt(-486664) with an even canonical encoding (RFC 9380 rational map to edwards25519) */
export const FE_SQRT_M486664: usize = memory.data(80);
/** 486662, the Montgomery A of curve25519 (Elligator 2's J) */
export const FE_J: usize = memory.data(80);

const D_BYTES: usize = memory.data<u8>([
  163, 120, 89, 19, 202, 77, 235, 117, 171, 216, 65, 65, 77, 10, 112, 0,
  152, 232, 121, 119, 121, 64, 199, 140, 115, 254, 111, 43, 238, 108, 3, 82,
]);
const D2_BYTES: usize = memory.data<u8>([
  89, 241, 178, 38, 148, 155, 214, 235, 86, 177, 131, 130, 154, 20, 224, 0,
  48, 209, 243, 238, 242, 128, 142, 25, 231, 252, 223, 86, 220, 217, 6, 36,
]);
const SQRTM1_BYTES: usize = memory.data<u8>([
  176, 160, 14, 74, 39, 27, 238, 196, 120, 228, 47, 173, 6, 24, 67, 47,
  167, 215, 251, 61, 153, 0, 77, 43, 11, 223, 193, 79, 128, 36, 131, 43,
]);

const SQRT_M486664_BYTES: usize = memory.data<u8>([
  6, 126, 69, 255, 170, 4, 110, 204, 130, 26, 125, 75, 209, 211, 161, 197,
  126, 79, 252, 3, 220, 8, 123, 210, 187, 6, 160, 96, 244, 237, 38, 15,
]);

let ready = false;

export function constantsReady(): void {
  if (ready) return;
  fe_frombytes(FE_D, D_BYTES);
  fe_frombytes(FE_2D, D2_BYTES);
  fe_frombytes(FE_SQRTM1, SQRTM1_BYTES);
  fe_frombytes(FE_SQRT_M486664, SQRT_M486664_BYTES);
  memory.fill(FE_J, 0, 80);
  store<i64>(FE_J, 486662);
  ready = true;
}
