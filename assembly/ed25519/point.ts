// Points of edwards25519 (-x^2 + y^2 = 1 + d x^2 y^2) in extended coordinates (X:Y:Z:T),
// x = X/Z, y = Y/Z, xy = T/Z, with the Hisil–Wong–Carter–Dawson formulas for a = -1.
// Layouts (80-byte field elements):
//   extended P:     X, Y, Z, T                      (320 bytes)
//   cached Q:       Y+X, Y-X, Z, 2dT                (320 bytes) — right operand of additions
//   affine niels N: y+x, y-x, 2dxy (Z = 1)          (240 bytes) — precomputed tables
import {
  fe_add, fe_carry, fe_cmov, fe_copy, fe_frombytes, fe_invert, fe_iszero, fe_isneg, fe_mul, fe_neg, fe_one,
  fe_pow22523, fe_sq, fe_sq2, fe_sub, fe_tobytes, fe_wipe, fe_zero,
} from "./field";
import { constantsReady, FE_2D, FE_D, FE_SQRTM1 } from "./constants";

export const POINT: usize = 320;
export const NIELS: usize = 240;
const X: usize = 0;
const Y: usize = 80;
const Z: usize = 160;
const T: usize = 240;

const tA: usize = memory.data(80);
const tB: usize = memory.data(80);
const tC: usize = memory.data(80);
const tD: usize = memory.data(80);
const tE: usize = memory.data(80);
const tF: usize = memory.data(80);
const tG: usize = memory.data(80);
const tH: usize = memory.data(80);

export function ge_identity(p: usize): void {
  fe_zero(p + X);
  fe_one(p + Y);
  fe_one(p + Z);
  fe_zero(p + T);
}

export function ge_copy(r: usize, p: usize): void {
  memory.copy(r, p, POINT);
}

export function ge_neg(r: usize, p: usize): void {
  fe_neg(r + X, p + X);
  fe_copy(r + Y, p + Y);
  fe_copy(r + Z, p + Z);
  fe_neg(r + T, p + T);
}

/** Finishes an addition or doubling from E, F, G, H; T is skipped when not needed next. */
@inline function finish(r: usize, withT: bool): void {
  fe_mul(r + X, tE, tF);
  fe_mul(r + Y, tG, tH);
  fe_mul(r + Z, tF, tG);
  if (withT) fe_mul(r + T, tE, tH);
}

/** r = 2p. `withT` = false leaves T stale: only for a result that is doubled again. */
export function ge_dbl(r: usize, p: usize, withT: bool): void {
  fe_sq(tA, p + X);
  fe_sq(tB, p + Y);
  fe_sq2(tC, p + Z);
  fe_add(tH, tA, tB);
  fe_add(tE, p + X, p + Y);
  fe_sq(tE, tE);
  fe_sub(tE, tH, tE);
  fe_sub(tG, tA, tB);
  fe_add(tF, tC, tG);
  finish(r, withT);
}

/** E, F, G, H of p + q given A = (Y1-X1)(..), B = (Y1+X1)(..), C = T1*(..), D = 2 Z1 Z2. */
@inline function combine(): void {
  fe_sub(tE, tB, tA);
  fe_add(tH, tB, tA);
  fe_sub(tF, tD, tC);
  fe_add(tG, tD, tC);
}

/** D = 2 Z1 Z2; `zOne` = q's Z is exactly 1 (a decoded point's own cached form), which saves the product. */
@inline function doubleZ(p: usize, q: usize, zOne: bool): void {
  if (zOne) {
    fe_add(tD, p + Z, p + Z);
  } else {
    fe_mul(tD, p + Z, q + 160);
    fe_add(tD, tD, tD);
  }
}

/** r = p + q for q in cached form (r may be p). */
export function ge_add_cached(r: usize, p: usize, q: usize, withT: bool = true): void {
  fe_sub(tA, p + Y, p + X);
  fe_mul(tA, tA, q + 80);
  fe_add(tB, p + Y, p + X);
  fe_mul(tB, tB, q);
  fe_mul(tC, p + T, q + 240);
  fe_mul(tD, p + Z, q + 160);
  fe_add(tD, tD, tD);
  combine();
  finish(r, withT);
}

/** r = p - q for q in cached form. */
export function ge_sub_cached(r: usize, p: usize, q: usize, withT: bool = true): void {
  fe_sub(tA, p + Y, p + X);
  fe_mul(tA, tA, q);
  fe_add(tB, p + Y, p + X);
  fe_mul(tB, tB, q + 80);
  fe_mul(tC, p + T, q + 240);
  fe_neg(tC, tC);
  fe_mul(tD, p + Z, q + 160);
  fe_add(tD, tD, tD);
  combine();
  finish(r, withT);
}

/**
 * r = p + q, or p - q when `negative`, choosing operands by address instead of branching on the
 * sign (Straus digits' signs are random, so a branch on them mispredicts half the time).
 */
export function ge_add_cached_signed(r: usize, p: usize, q: usize, negative: bool, zOne: bool): void {
  const swap = <usize>negative * 80;
  fe_sub(tA, p + Y, p + X);
  fe_mul(tA, tA, q + 80 - swap);
  fe_add(tB, p + Y, p + X);
  fe_mul(tB, tB, q + swap);
  fe_mul(tC, p + T, q + 240);
  doubleZ(p, q, zOne);
  fe_sub(tE, tB, tA);
  fe_add(tH, tB, tA);
  // -q negates 2dT, which exchanges F = D - C and G = D + C.
  fe_sub(negative ? tG : tF, tD, tC);
  fe_add(negative ? tF : tG, tD, tC);
  finish(r, true);
}

/** r = p + n for n in affine niels form. */
export function ge_add_niels(r: usize, p: usize, n: usize, withT: bool = true): void {
  fe_sub(tA, p + Y, p + X);
  fe_mul(tA, tA, n + 80);
  fe_add(tB, p + Y, p + X);
  fe_mul(tB, tB, n);
  fe_mul(tC, p + T, n + 160);
  fe_add(tD, p + Z, p + Z);
  combine();
  finish(r, withT);
}

/** r = p - n for n in affine niels form. */
export function ge_sub_niels(r: usize, p: usize, n: usize, withT: bool = true): void {
  fe_sub(tA, p + Y, p + X);
  fe_mul(tA, tA, n);
  fe_add(tB, p + Y, p + X);
  fe_mul(tB, tB, n + 80);
  fe_mul(tC, p + T, n + 160);
  fe_neg(tC, tC);
  fe_add(tD, p + Z, p + Z);
  combine();
  finish(r, withT);
}

export function ge_to_cached(c: usize, p: usize): void {
  fe_add(c, p + Y, p + X);
  fe_carry(c, c);
  fe_sub(c + 80, p + Y, p + X);
  fe_carry(c + 80, c + 80);
  fe_copy(c + 160, p + Z);
  fe_mul(c + 240, p + T, FE_2D);
}

const zInv: usize = memory.data(80);
const ax: usize = memory.data(80);
const ay: usize = memory.data(80);

/** Zeroes the point and field temporaries, which hold intermediates of the last operation. */
export function ge_wipe(): void {
  memory.fill(tA, 0, 80);
  memory.fill(tB, 0, 80);
  memory.fill(tC, 0, 80);
  memory.fill(tD, 0, 80);
  memory.fill(tE, 0, 80);
  memory.fill(tF, 0, 80);
  memory.fill(tG, 0, 80);
  memory.fill(tH, 0, 80);
  memory.fill(zInv, 0, 80);
  memory.fill(ax, 0, 80);
  memory.fill(ay, 0, 80);
  fe_wipe();
}

/** Affine niels form of p (one inversion). */
export function ge_to_niels(n: usize, p: usize): void {
  fe_invert(zInv, p + Z);
  fe_mul(ax, p + X, zInv);
  fe_mul(ay, p + Y, zInv);
  fe_add(n, ay, ax);
  fe_carry(n, n);
  fe_sub(n + 80, ay, ax);
  fe_carry(n + 80, n + 80);
  fe_mul(n + 160, ax, ay);
  fe_mul(n + 160, n + 160, FE_2D);
}

/** The 32-byte encoding: y with the sign of x in the top bit. */
export function ge_tobytes(s: usize, p: usize): void {
  fe_invert(zInv, p + Z);
  fe_mul(ax, p + X, zInv);
  fe_mul(ay, p + Y, zInv);
  fe_tobytes(s, ay);
  store<u8>(s + 31, load<u8>(s + 31) | <u8>(fe_isneg(ax) << 7));
}

const u: usize = memory.data(80);
const v: usize = memory.data(80);
const v3: usize = memory.data(80);
const vxx: usize = memory.data(80);
const check: usize = memory.data(80);
const canon: usize = memory.data(32);

/**
 * Decodes 32 bytes into p (RFC 8032 §5.1.3); returns 1 on success. With `strict`, y >= p and
 * x = 0 with the sign bit set are rejected (RFC 8032); without it both are accepted (ZIP-215:
 * y is taken mod p, and "-0" is 0). Variable time: for public points only.
 */
export function ge_frombytes(p: usize, s: usize, strict: bool): i32 {
  constantsReady();
  const sign = <i32>(load<u8>(s + 31) >> 7);
  fe_frombytes(p + Y, s);
  if (strict) {
    fe_tobytes(canon, p + Y);
    if (load<u64>(canon, 0) != load<u64>(s, 0) || load<u64>(canon, 8) != load<u64>(s, 8) ||
        load<u64>(canon, 16) != load<u64>(s, 16) || load<u64>(canon, 24) != (load<u64>(s, 24) & 0x7fffffffffffffff)) return 0;
  }
  fe_one(p + Z);
  fe_sq(u, p + Y);
  fe_mul(v, u, FE_D);
  fe_sub(u, u, p + Z);     // u = y^2 - 1
  fe_add(v, v, p + Z);     // v = d y^2 + 1
  fe_sq(v3, v);
  fe_mul(v3, v3, v);       // v^3
  fe_sq(p + X, v3);
  fe_mul(p + X, p + X, v);
  fe_mul(p + X, p + X, u); // u v^7
  fe_pow22523(p + X, p + X);
  fe_mul(p + X, p + X, v3);
  fe_mul(p + X, p + X, u); // x = u v^3 (u v^7)^((p-5)/8)
  fe_sq(vxx, p + X);
  fe_mul(vxx, vxx, v);
  fe_sub(check, vxx, u);
  if (!fe_iszero(check)) {
    fe_add(check, vxx, u);
    if (!fe_iszero(check)) return 0;
    fe_mul(p + X, p + X, FE_SQRTM1);
  }
  const xIsZero = fe_iszero(p + X);
  if (strict && xIsZero && sign) return 0;
  if (fe_isneg(p + X) != sign && !xIsZero) fe_neg(p + X, p + X);
  fe_mul(p + T, p + X, p + Y);
  return 1;
}

/** 1 if p is the neutral element (X = 0 and Y = Z). */
export function ge_is_identity(p: usize): i32 {
  fe_sub(check, p + Y, p + Z);
  return fe_iszero(p + X) & fe_iszero(check);
}

const small: usize = memory.data(320);

/** 1 if 8p is the neutral element (p has small order). */
export function ge_has_small_order(p: usize): i32 {
  ge_dbl(small, p, false);
  ge_dbl(small, small, false);
  ge_dbl(small, small, false);
  return ge_is_identity(small);
}

/** r = 8p */
export function ge_mul8(r: usize, p: usize): void {
  ge_dbl(r, p, false);
  ge_dbl(r, r, false);
  ge_dbl(r, r, true);
}

/** Constant-time: r = n if flag == 1 (niels). */
export function niels_cmov(r: usize, n: usize, flag: i64): void {
  fe_cmov(r, n, flag);
  fe_cmov(r + 80, n + 80, flag);
  fe_cmov(r + 160, n + 160, flag);
}

export function niels_identity(n: usize): void {
  fe_one(n);
  fe_one(n + 80);
  fe_zero(n + 160);
}
