// Byte-level entry points to the group and scalar arithmetic, so the tests can check each
// layer against reference implementations. Test build only (see index.ts here).
import { fe_frombytes, fe_invert, fe_mul, fe_tobytes } from "../ed25519/field";
import { ge_scalarmult_base } from "../ed25519/basemul";
import { ge_double_scalarmult_vartime } from "../ed25519/doublemul";
import { sc_half_size } from "../ed25519/halfsize";
import { ge_add_cached, ge_frombytes, ge_has_small_order, ge_to_cached, ge_tobytes } from "../ed25519/point";
import { sc_is_canonical, sc_mul_acc, sc_muladd, sc_reduce64, sc_reduce_acc } from "../ed25519/scalar";

const fa: usize = memory.data(80);
const fb: usize = memory.data(80);
const pa: usize = memory.data(320);
const pb: usize = memory.data(320);
const cached: usize = memory.data(320);

/** out = a * b mod p; a, b are 32-byte encodings (top bit ignored, values up to 2^255 - 1). */
export function ed25519FeMul(out: usize, a: usize, b: usize): void {
  fe_frombytes(fa, a);
  fe_frombytes(fb, b);
  fe_mul(fa, fa, fb);
  fe_tobytes(out, fa);
}

/** out = 1 / a mod p (0 for 0). */
export function ed25519FeInvert(out: usize, a: usize): void {
  fe_frombytes(fa, a);
  fe_invert(fa, fa);
  fe_tobytes(out, fa);
}

export function ed25519ScReduce64(out: usize, s: usize): void {
  sc_reduce64(out, s);
}

export function ed25519ScMulAdd(out: usize, a: usize, b: usize, c: usize): void {
  sc_muladd(out, a, b, c);
}

const productSum: usize = memory.data(24 * 8);

/**
 * out = sum over i < n of z_i s_i mod L, accumulated unreduced and reduced once as verifyBatch sums
 * z_i S_i; z_i (< 2^128) and s_i (< 2^256) are 32-byte strings at zs and ss.
 */
export function ed25519ScSumProducts(out: usize, zs: usize, ss: usize, n: i32): void {
  memory.fill(productSum, 0, 24 * 8);
  for (let i: usize = 0; i < <usize>n; i++) sc_mul_acc(productSum, zs + i * 32, ss + i * 32, 7);
  sc_reduce_acc(out, productSum);
}

export function ed25519ScIsCanonical(s: usize): i32 {
  return sc_is_canonical(s);
}

/** Decodes and re-encodes a point: 1 = decoded (out holds the canonical encoding), 0 = not a point. Bit 1 of the result: small order. */
export function ed25519PointDecode(out: usize, s: usize, strict: i32): i32 {
  if (!ge_frombytes(pa, s, strict != 0)) return 0;
  ge_tobytes(out, pa);
  return 1 | (ge_has_small_order(pa) << 1);
}

/** out = a + b for encoded points; 0 if either fails to decode. */
export function ed25519PointAdd(out: usize, a: usize, b: usize): i32 {
  if (!ge_frombytes(pa, a, false) || !ge_frombytes(pb, b, false)) return 0;
  ge_to_cached(cached, pb);
  ge_add_cached(pa, pa, cached);
  ge_tobytes(out, pa);
  return 1;
}

/** out = s B in constant time (s[31] <= 127). */
export function ed25519ScalarMultBase(out: usize, s: usize): void {
  ge_scalarmult_base(pa, s);
  ge_tobytes(out, pa);
}

/** out = a P + b B in variable time; 0 if P fails to decode. */
export function ed25519DoubleScalarMult(out: usize, a: usize, p: usize, b: usize): i32 {
  if (!ge_frombytes(pa, p, false)) return 0;
  ge_double_scalarmult_vartime(pb, a, pa, b);
  ge_tobytes(out, pb);
  return 1;
}

/** out = |t| ‖ c1 with c1 = t h mod L, both half size (halfsize.ts); returns 1 if t < 0. h < L. */
export function ed25519ScHalfSize(out: usize, h: usize): i32 {
  return sc_half_size(out, out + 32, h);
}
