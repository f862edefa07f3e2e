// RFC 9380 hash_to_field and map_to_curve for edwards25519 with SHA-512 (the "NU" encoding
// used by ECVRF-EDWARDS25519-SHA512-ELL2): expand_message_xmd, then Elligator 2 onto
// curve25519 and the rational map to edwards25519. Inputs are public (a public key and the VRF
// input), so this code may take variable time.
import { sha512Final, sha512Init, sha512Update, SHA512_STATE_SIZE } from "../sha2/sha512";
import { constantsReady, FE_J, FE_SQRT_M486664, FE_SQRTM1 } from "./constants";
import {
  fe_add, fe_carry, fe_frombytes, fe_invert, fe_iszero, fe_isneg, fe_mul, fe_neg, fe_one, fe_pow22523, fe_sq,
  fe_sub, fe_zero,
} from "./field";

const state: usize = memory.data(<i32>SHA512_STATE_SIZE, 16);
const b0: usize = memory.data(64);
const one: usize = memory.data<u8>([1]);
const lengths: usize = memory.data<u8>([0, 48, 0]);
const dstLen: usize = memory.data(1);
const zeros: usize = memory.data(128);

/** out = expand_message_xmd(SHA-512, msg1 ‖ msg2, dst, 48)[0..48) (RFC 9380 §5.3.1, ell = 1). */
export function expandMessageXmd48(out: usize, msg1: usize, len1: usize, msg2: usize, len2: usize, dst: usize, dlen: usize): void {
  store<u8>(dstLen, <u8>dlen);
  // b_0 = H(Z_pad ‖ msg ‖ I2OSP(48, 2) ‖ I2OSP(0, 1) ‖ DST_prime)
  sha512Init(state);
  sha512Update(state, zeros, 128);
  sha512Update(state, msg1, len1);
  sha512Update(state, msg2, len2);
  sha512Update(state, lengths, 3);
  sha512Update(state, dst, dlen);
  sha512Update(state, dstLen, 1);
  sha512Final(state, b0);
  // b_1 = H(b_0 ‖ I2OSP(1, 1) ‖ DST_prime)
  sha512Init(state);
  sha512Update(state, b0, 64);
  sha512Update(state, one, 1);
  sha512Update(state, dst, dlen);
  sha512Update(state, dstLen, 1);
  sha512Final(state, b0);
  memory.copy(out, b0, 48);
}

const le: usize = memory.data(48);
const hi: usize = memory.data(80);
const c38: usize = memory.data(80);

/** u = OS2IP(bytes[0..48)) mod p: big-endian in, field element out (2^256 = 38 mod p). */
export function fieldFromWide(u: usize, bytes: usize): void {
  for (let i: usize = 0; i < 48; i++) store<u8>(le + i, load<u8>(bytes + 47 - i));
  // le = a + 2^255 t + 2^256 b with a < 2^255, t a bit, b < 2^128
  memory.fill(b0, 0, 32);
  memory.copy(b0, le + 32, 16);
  fe_frombytes(hi, b0);
  fe_zero(c38);
  store<i64>(c38, 38);
  fe_mul(hi, hi, c38);
  fe_frombytes(u, le);
  fe_add(u, u, hi);
  store<i64>(u, load<i64>(u) + 19 * <i64>(load<u8>(le + 31) >> 7));
  fe_carry(u, u);
}

const FE_ONE: usize = memory.data(80);
const tv: usize = memory.data(80);
const x1: usize = memory.data(80);
const gx: usize = memory.data(80);
const y: usize = memory.data(80);
const r2: usize = memory.data(80);
const w: usize = memory.data(80);
const den: usize = memory.data(80);

/** 1 and y = a square root of a if a is a square, else 0. */
function sqrt(out: usize, a: usize): i32 {
  // a^((p+3)/8) = a * a^((p-5)/8) squares to +-a when a is a square.
  fe_pow22523(out, a);
  fe_mul(out, out, a);
  fe_sq(r2, out);
  fe_sub(r2, r2, a);
  if (fe_iszero(r2)) return 1;
  fe_mul(out, out, FE_SQRTM1);
  fe_sq(r2, out);
  fe_sub(r2, r2, a);
  return fe_iszero(r2);
}

/** gx = x^3 + J x^2 + x (curve25519's right-hand side). */
function montgomeryRhs(x: usize): void {
  fe_add(gx, x, FE_J);
  fe_mul(gx, gx, x);
  fe_add(gx, gx, FE_ONE);
  fe_mul(gx, gx, x);
}
/**
 * Writes the edwards25519 point (x, y) = map_to_curve(u) as affine coordinates to ex, ey
 * (RFC 9380 §6.7.1 Elligator 2 with Z = 2, then the §6.8.2 rational map). Returns 1 if g(x1)
 * was a square (the `gx1_is_square` of the RFC 9381 vectors).
 */
export function mapToCurve(ex: usize, ey: usize, u: usize): i32 {
  constantsReady();
  fe_one(FE_ONE);
  // x1 = -J / (1 + 2 u^2)
  fe_sq(tv, u);
  fe_add(tv, tv, tv);
  fe_add(tv, tv, FE_ONE);
  fe_carry(tv, tv);
  fe_invert(tv, tv);
  fe_mul(x1, FE_J, tv);
  fe_neg(x1, x1);
  montgomeryRhs(x1);
  const square = sqrt(y, gx);
  if (square) {
    // x = x1, sgn0(y) = 1
    if (!fe_isneg(y)) fe_neg(y, y);
  } else {
    // x = x2 = -x1 - J, y = sqrt(g(x2)) with sgn0(y) = 0
    fe_add(x1, x1, FE_J);
    fe_neg(x1, x1);
    fe_carry(x1, x1);
    montgomeryRhs(x1);
    sqrt(y, gx);
    if (fe_isneg(y)) fe_neg(y, y);
  }
  // (v, w) = (sqrt(-486664) s / t, (s - 1) / (s + 1)); the exceptional cases map to (0, 1).
  fe_add(den, x1, FE_ONE);
  fe_mul(den, den, y);
  if (fe_iszero(den)) {
    fe_zero(ex);
    fe_one(ey);
    return square;
  }
  fe_invert(den, den);         // 1 / (t (s + 1))
  fe_mul(w, x1, FE_SQRT_M486664);
  fe_add(tv, x1, FE_ONE);
  fe_mul(w, w, tv);
  fe_mul(ex, w, den);          // sqrt(-486664) s / t
  fe_sub(w, x1, FE_ONE);
  fe_mul(w, w, y);
  fe_mul(ey, w, den);          // (s - 1) / (s + 1)
  return square;
}
