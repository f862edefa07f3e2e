// Scalars modulo L = 2^252 + 27742317777372353535851937790883648493, as 32-byte little-endian
// strings. Arithmetic works on signed 21-bit limbs held in i64 (weight 2^(21 i)) and folds
// limbs at 2^252 and above with 2^252 = -c (mod L), c written as six signed 21-bit limbs. No
// branch or index depends on the values, so the same code serves nonces and secret scalars.

const limbs: usize = memory.data(24 * 8);

@inline function get(i: usize): i64 {
  return load<i64>(limbs + (i << 3));
}
@inline function set(i: usize, v: i64): void {
  store<i64>(limbs + (i << 3), v);
}

/** Limb i (21 bits, from bit 21 i) of a little-endian byte string; `last` keeps every bit above. */
@inline function readLimb(p: usize, i: usize, last: bool): i64 {
  const bit = <u32>i * 21;
  const v = load<u32>(p + (bit >> 3)) >>> (bit & 7);
  return last ? <i64>v : <i64>(v & 0x1fffff);
}

/** Rounding carry from limb `from` to limb `to - 1` inclusive (leaves |s[i]| <= 2^20). */
@inline function carryRound(from: usize, to: usize): void {
  for (let i = from; i < to; i++) {
    const c = (get(i) + (1 << 20)) >> 21;
    set(i + 1, get(i + 1) + c);
    set(i, get(i) - (c << 21));
  }
}

/** Reduces the 24 limbs (|s[i]| < 2^50) mod L and writes 32 bytes to `out` (the limbs in locals). */
function reduceLimbs(out: usize): void {
  let s0 = get(0), s1 = get(1), s2 = get(2), s3 = get(3), s4 = get(4), s5 = get(5);
  let s6 = get(6), s7 = get(7), s8 = get(8), s9 = get(9), s10 = get(10), s11 = get(11);
  let s12 = get(12), s13 = get(13), s14 = get(14), s15 = get(15), s16 = get(16), s17 = get(17);
  let s18 = get(18), s19 = get(19), s20 = get(20), s21 = get(21), s22 = get(22), s23 = get(23);
  let c: i64;
  c = (s0 + (1 << 20)) >> 21; s1 += c; s0 -= c << 21;
  c = (s1 + (1 << 20)) >> 21; s2 += c; s1 -= c << 21;
  c = (s2 + (1 << 20)) >> 21; s3 += c; s2 -= c << 21;
  c = (s3 + (1 << 20)) >> 21; s4 += c; s3 -= c << 21;
  c = (s4 + (1 << 20)) >> 21; s5 += c; s4 -= c << 21;
  c = (s5 + (1 << 20)) >> 21; s6 += c; s5 -= c << 21;
  c = (s6 + (1 << 20)) >> 21; s7 += c; s6 -= c << 21;
  c = (s7 + (1 << 20)) >> 21; s8 += c; s7 -= c << 21;
  c = (s8 + (1 << 20)) >> 21; s9 += c; s8 -= c << 21;
  c = (s9 + (1 << 20)) >> 21; s10 += c; s9 -= c << 21;
  c = (s10 + (1 << 20)) >> 21; s11 += c; s10 -= c << 21;
  c = (s11 + (1 << 20)) >> 21; s12 += c; s11 -= c << 21;
  c = (s12 + (1 << 20)) >> 21; s13 += c; s12 -= c << 21;
  c = (s13 + (1 << 20)) >> 21; s14 += c; s13 -= c << 21;
  c = (s14 + (1 << 20)) >> 21; s15 += c; s14 -= c << 21;
  c = (s15 + (1 << 20)) >> 21; s16 += c; s15 -= c << 21;
  c = (s16 + (1 << 20)) >> 21; s17 += c; s16 -= c << 21;
  c = (s17 + (1 << 20)) >> 21; s18 += c; s17 -= c << 21;
  c = (s18 + (1 << 20)) >> 21; s19 += c; s18 -= c << 21;
  c = (s19 + (1 << 20)) >> 21; s20 += c; s19 -= c << 21;
  c = (s20 + (1 << 20)) >> 21; s21 += c; s20 -= c << 21;
  c = (s21 + (1 << 20)) >> 21; s22 += c; s21 -= c << 21;
  c = (s22 + (1 << 20)) >> 21; s23 += c; s22 -= c << 21;
  s11 += s23 * 666643; s12 += s23 * 470296; s13 += s23 * 654183; s14 -= s23 * 997805; s15 += s23 * 136657; s16 -= s23 * 683901; s23 = 0;
  s10 += s22 * 666643; s11 += s22 * 470296; s12 += s22 * 654183; s13 -= s22 * 997805; s14 += s22 * 136657; s15 -= s22 * 683901; s22 = 0;
  s9 += s21 * 666643; s10 += s21 * 470296; s11 += s21 * 654183; s12 -= s21 * 997805; s13 += s21 * 136657; s14 -= s21 * 683901; s21 = 0;
  s8 += s20 * 666643; s9 += s20 * 470296; s10 += s20 * 654183; s11 -= s20 * 997805; s12 += s20 * 136657; s13 -= s20 * 683901; s20 = 0;
  s7 += s19 * 666643; s8 += s19 * 470296; s9 += s19 * 654183; s10 -= s19 * 997805; s11 += s19 * 136657; s12 -= s19 * 683901; s19 = 0;
  s6 += s18 * 666643; s7 += s18 * 470296; s8 += s18 * 654183; s9 -= s18 * 997805; s10 += s18 * 136657; s11 -= s18 * 683901; s18 = 0;
  c = (s6 + (1 << 20)) >> 21; s7 += c; s6 -= c << 21;
  c = (s7 + (1 << 20)) >> 21; s8 += c; s7 -= c << 21;
  c = (s8 + (1 << 20)) >> 21; s9 += c; s8 -= c << 21;
  c = (s9 + (1 << 20)) >> 21; s10 += c; s9 -= c << 21;
  c = (s10 + (1 << 20)) >> 21; s11 += c; s10 -= c << 21;
  c = (s11 + (1 << 20)) >> 21; s12 += c; s11 -= c << 21;
  c = (s12 + (1 << 20)) >> 21; s13 += c; s12 -= c << 21;
  c = (s13 + (1 << 20)) >> 21; s14 += c; s13 -= c << 21;
  c = (s14 + (1 << 20)) >> 21; s15 += c; s14 -= c << 21;
  c = (s15 + (1 << 20)) >> 21; s16 += c; s15 -= c << 21;
  c = (s16 + (1 << 20)) >> 21; s17 += c; s16 -= c << 21;
  s5 += s17 * 666643; s6 += s17 * 470296; s7 += s17 * 654183; s8 -= s17 * 997805; s9 += s17 * 136657; s10 -= s17 * 683901; s17 = 0;
  s4 += s16 * 666643; s5 += s16 * 470296; s6 += s16 * 654183; s7 -= s16 * 997805; s8 += s16 * 136657; s9 -= s16 * 683901; s16 = 0;
  s3 += s15 * 666643; s4 += s15 * 470296; s5 += s15 * 654183; s6 -= s15 * 997805; s7 += s15 * 136657; s8 -= s15 * 683901; s15 = 0;
  s2 += s14 * 666643; s3 += s14 * 470296; s4 += s14 * 654183; s5 -= s14 * 997805; s6 += s14 * 136657; s7 -= s14 * 683901; s14 = 0;
  s1 += s13 * 666643; s2 += s13 * 470296; s3 += s13 * 654183; s4 -= s13 * 997805; s5 += s13 * 136657; s6 -= s13 * 683901; s13 = 0;
  s0 += s12 * 666643; s1 += s12 * 470296; s2 += s12 * 654183; s3 -= s12 * 997805; s4 += s12 * 136657; s5 -= s12 * 683901; s12 = 0;
  c = (s0 + (1 << 20)) >> 21; s1 += c; s0 -= c << 21;
  c = (s1 + (1 << 20)) >> 21; s2 += c; s1 -= c << 21;
  c = (s2 + (1 << 20)) >> 21; s3 += c; s2 -= c << 21;
  c = (s3 + (1 << 20)) >> 21; s4 += c; s3 -= c << 21;
  c = (s4 + (1 << 20)) >> 21; s5 += c; s4 -= c << 21;
  c = (s5 + (1 << 20)) >> 21; s6 += c; s5 -= c << 21;
  c = (s6 + (1 << 20)) >> 21; s7 += c; s6 -= c << 21;
  c = (s7 + (1 << 20)) >> 21; s8 += c; s7 -= c << 21;
  c = (s8 + (1 << 20)) >> 21; s9 += c; s8 -= c << 21;
  c = (s9 + (1 << 20)) >> 21; s10 += c; s9 -= c << 21;
  c = (s10 + (1 << 20)) >> 21; s11 += c; s10 -= c << 21;
  c = (s11 + (1 << 20)) >> 21; s12 += c; s11 -= c << 21;
  s0 += s12 * 666643; s1 += s12 * 470296; s2 += s12 * 654183; s3 -= s12 * 997805; s4 += s12 * 136657; s5 -= s12 * 683901; s12 = 0;
  c = s0 >> 21; s1 += c; s0 &= 0x1fffff;
  c = s1 >> 21; s2 += c; s1 &= 0x1fffff;
  c = s2 >> 21; s3 += c; s2 &= 0x1fffff;
  c = s3 >> 21; s4 += c; s3 &= 0x1fffff;
  c = s4 >> 21; s5 += c; s4 &= 0x1fffff;
  c = s5 >> 21; s6 += c; s5 &= 0x1fffff;
  c = s6 >> 21; s7 += c; s6 &= 0x1fffff;
  c = s7 >> 21; s8 += c; s7 &= 0x1fffff;
  c = s8 >> 21; s9 += c; s8 &= 0x1fffff;
  c = s9 >> 21; s10 += c; s9 &= 0x1fffff;
  c = s10 >> 21; s11 += c; s10 &= 0x1fffff;
  c = s11 >> 21; s12 += c; s11 &= 0x1fffff;
  s0 += s12 * 666643; s1 += s12 * 470296; s2 += s12 * 654183; s3 -= s12 * 997805; s4 += s12 * 136657; s5 -= s12 * 683901; s12 = 0;
  c = s0 >> 21; s1 += c; s0 &= 0x1fffff;
  c = s1 >> 21; s2 += c; s1 &= 0x1fffff;
  c = s2 >> 21; s3 += c; s2 &= 0x1fffff;
  c = s3 >> 21; s4 += c; s3 &= 0x1fffff;
  c = s4 >> 21; s5 += c; s4 &= 0x1fffff;
  c = s5 >> 21; s6 += c; s5 &= 0x1fffff;
  c = s6 >> 21; s7 += c; s6 &= 0x1fffff;
  c = s7 >> 21; s8 += c; s7 &= 0x1fffff;
  c = s8 >> 21; s9 += c; s8 &= 0x1fffff;
  c = s9 >> 21; s10 += c; s9 &= 0x1fffff;
  c = s10 >> 21; s11 += c; s10 &= 0x1fffff;
  // Pack twelve 21-bit limbs (252 bits) into four 64-bit words.
  store<u64>(out, <u64>s0 | (<u64>s1 << 21) | (<u64>s2 << 42) | (<u64>s3 << 63), 0);
  store<u64>(out, (<u64>s3 >> 1) | (<u64>s4 << 20) | (<u64>s5 << 41) | (<u64>s6 << 62), 8);
  store<u64>(out, (<u64>s6 >> 2) | (<u64>s7 << 19) | (<u64>s8 << 40) | (<u64>s9 << 61), 16);
  store<u64>(out, (<u64>s9 >> 3) | (<u64>s10 << 18) | (<u64>s11 << 39), 24);
}

/** Zeroes the limb workspace (it last held a nonce or secret scalar). */
export function sc_wipe(): void {
  memory.fill(limbs, 0, 24 * 8);
}

/** out = s mod L for a 64-byte little-endian s (e.g. a SHA-512 digest). */
export function sc_reduce64(out: usize, s: usize): void {
  for (let i: usize = 0; i < 24; i++) set(i, readLimb(s, i, i == 23));
  reduceLimbs(out);
}

const bLimbs: usize = memory.data(12 * 8);

/** limbs[0 .. aLimbs + 11] += a * b: a's first aLimbs limbs (the rest must be zero) by b's twelve. */
@inline function addProduct(a: usize, b: usize, aLimbs: usize): void {
  for (let j: usize = 0; j < 12; j++) store<i64>(bLimbs + (j << 3), readLimb(b, j, j == 11));
  for (let i: usize = 0; i < aLimbs; i++) {
    const ai = readLimb(a, i, i == 11);
    for (let j: usize = 0; j < 12; j++) set(i + j, get(i + j) + ai * load<i64>(bLimbs + (j << 3)));
  }
}

/**
 * out = a * b + c mod L for 32-byte a, b, c (each < 2^256). `aLimbs` < 12 says a < 2^(21 aLimbs)
 * (a 128-bit batch coefficient needs 7), which skips the zero limbs' products.
 */
export function sc_muladd(out: usize, a: usize, b: usize, c: usize, aLimbs: usize = 12): void {
  for (let i: usize = 0; i < 24; i++) set(i, 0);
  for (let i: usize = 0; i < 12; i++) set(i, readLimb(c, i, i == 11));
  addProduct(a, b, aLimbs);
  reduceLimbs(out);
}

/**
 * acc (24 signed limbs, i64) += a * b, carried but not reduced, so that a sum of many products
 * costs one reduction (sc_reduce_acc) at the end. a < 2^(21 aLimbs), b < 2^256.
 */
export function sc_mul_acc(acc: usize, a: usize, b: usize, aLimbs: usize): void {
  memory.copy(limbs, acc, 24 * 8);
  addProduct(a, b, aLimbs);
  carryRound(0, 23);
  memory.copy(acc, limbs, 24 * 8);
}

/** out = acc mod L for an accumulator of sc_mul_acc. */
export function sc_reduce_acc(out: usize, acc: usize): void {
  memory.copy(limbs, acc, 24 * 8);
  reduceLimbs(out);
}

// L as four little-endian 64-bit words, most significant last.
const L0: u64 = 0x5812631a5cf5d3ed;
const L1: u64 = 0x14def9dea2f79cd6;
const L2: u64 = 0x0000000000000000;
const L3: u64 = 0x1000000000000000;

/** 1 if the 32-byte s is < L (a canonical scalar), else 0. Variable time: for public values. */
export function sc_is_canonical(s: usize): i32 {
  const w3 = load<u64>(s, 24), w2 = load<u64>(s, 16), w1 = load<u64>(s, 8), w0 = load<u64>(s, 0);
  if (w3 != L3) return <i32>(w3 < L3);
  if (w2 != L2) return <i32>(w2 < L2);
  if (w1 != L1) return <i32>(w1 < L1);
  return <i32>(w0 < L0);
}

/**
 * Writes the 64 signed radix-16 digits (each in [-8, 8], i32) of the 32-byte scalar at `a`
 * (a[31] <= 127) to `digits`: the recoding both constant-time ladders walk. Only shifts and
 * adds, so no branch depends on the (secret) scalar.
 */
export function sc_recode_radix16(digits: usize, a: usize): void {
  for (let i: usize = 0; i < 32; i++) {
    const byte = <i32>load<u8>(a + i);
    store<i32>(digits + i * 8, byte & 15);
    store<i32>(digits + i * 8 + 4, byte >> 4);
  }
  let carry: i32 = 0;
  for (let i: usize = 0; i < 63; i++) {
    const e = load<i32>(digits + i * 4) + carry;
    carry = (e + 8) >> 4;
    store<i32>(digits + i * 4, e - (carry << 4));
  }
  store<i32>(digits + 63 * 4, load<i32>(digits + 63 * 4) + carry);
}
