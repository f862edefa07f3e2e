// GF(2^255 - 19) in radix 2^25.5: ten signed limbs of 26, 25, 26, 25, ... bits, each held as
// an i64 (80 bytes per element). Products of two limbs fit an i64 with room for the 19x and 2x
// folds, so multiplication needs no 128-bit arithmetic. Every function is branch-free in its
// data: carries use arithmetic shifts, so the same code serves secret and public values.
//
// Bounds: after fe_mul/fe_sq/fe_carry every limb is at most 2^25 in magnitude. fe_add/fe_sub do
// not carry; an input to fe_mul/fe_sq may be a sum or difference of up to three carried values.

@inline function carryStore(out: usize, h0: i64, h1: i64, h2: i64, h3: i64, h4: i64, h5: i64, h6: i64, h7: i64, h8: i64, h9: i64): void {
  let c: i64;
  c = (h0 + (1 << 25)) >> 26; h1 += c; h0 -= c << 26;
  c = (h4 + (1 << 25)) >> 26; h5 += c; h4 -= c << 26;
  c = (h1 + (1 << 24)) >> 25; h2 += c; h1 -= c << 25;
  c = (h5 + (1 << 24)) >> 25; h6 += c; h5 -= c << 25;
  c = (h2 + (1 << 25)) >> 26; h3 += c; h2 -= c << 26;
  c = (h6 + (1 << 25)) >> 26; h7 += c; h6 -= c << 26;
  c = (h3 + (1 << 24)) >> 25; h4 += c; h3 -= c << 25;
  c = (h7 + (1 << 24)) >> 25; h8 += c; h7 -= c << 25;
  c = (h4 + (1 << 25)) >> 26; h5 += c; h4 -= c << 26;
  c = (h8 + (1 << 25)) >> 26; h9 += c; h8 -= c << 26;
  c = (h9 + (1 << 24)) >> 25; h0 += c * 19; h9 -= c << 25;
  c = (h0 + (1 << 25)) >> 26; h1 += c; h0 -= c << 26;
  store<i64>(out, h0, 0); store<i64>(out, h1, 8); store<i64>(out, h2, 16); store<i64>(out, h3, 24); store<i64>(out, h4, 32);
  store<i64>(out, h5, 40); store<i64>(out, h6, 48); store<i64>(out, h7, 56); store<i64>(out, h8, 64); store<i64>(out, h9, 72);
}

// Products split each element into its even limbs E (at bits 51m) and odd limbs O (at bits
// 26 + 51m): f = E(y) + 2^26 O(y) with y = 2^51, so fg = EE + 2^26 (EO + OE) + 2y OO, where
// y^5 = 2^255 = 19 folds coefficients 5..8 down. Karatsuba gives the middle term as
// (E + O)(E' + O') - EE - OO: 75 products instead of 100, and no doubled or 19-fold copies of
// the inputs to keep live, so V8 spills fewer registers (the limbs and the carried result are
// exactly those of the schoolbook product). Bounds: with inputs up to three carried values,
// every coefficient below stays under 2^56.7 and every h before carrying under 2^60.5.

/** out = a * b */
export function fe_mul(out: usize, a: usize, b: usize): void {
  const f0 = load<i64>(a, 0), f1 = load<i64>(a, 8), f2 = load<i64>(a, 16), f3 = load<i64>(a, 24), f4 = load<i64>(a, 32);
  const f5 = load<i64>(a, 40), f6 = load<i64>(a, 48), f7 = load<i64>(a, 56), f8 = load<i64>(a, 64), f9 = load<i64>(a, 72);
  const g0 = load<i64>(b, 0), g1 = load<i64>(b, 8), g2 = load<i64>(b, 16), g3 = load<i64>(b, 24), g4 = load<i64>(b, 32);
  const g5 = load<i64>(b, 40), g6 = load<i64>(b, 48), g7 = load<i64>(b, 56), g8 = load<i64>(b, 64), g9 = load<i64>(b, 72);
  const s0: i64 = f0 + f1, s1: i64 = f2 + f3, s2: i64 = f4 + f5, s3: i64 = f6 + f7, s4: i64 = f8 + f9;
  const t0: i64 = g0 + g1, t1: i64 = g2 + g3, t2: i64 = g4 + g5, t3: i64 = g6 + g7, t4: i64 = g8 + g9;
  // Coefficient m of EE (e), OO (o) and EO + OE (m).
  const e0: i64 = f0 * g0;
  const o0: i64 = f1 * g1;
  const m0: i64 = s0 * t0 - e0 - o0;
  const e1: i64 = f0 * g2 + f2 * g0;
  const o1: i64 = f1 * g3 + f3 * g1;
  const m1: i64 = s0 * t1 + s1 * t0 - e1 - o1;
  const e2: i64 = f0 * g4 + f2 * g2 + f4 * g0;
  const o2: i64 = f1 * g5 + f3 * g3 + f5 * g1;
  const m2: i64 = s0 * t2 + s1 * t1 + s2 * t0 - e2 - o2;
  const e3: i64 = f0 * g6 + f2 * g4 + f4 * g2 + f6 * g0;
  const o3: i64 = f1 * g7 + f3 * g5 + f5 * g3 + f7 * g1;
  const m3: i64 = s0 * t3 + s1 * t2 + s2 * t1 + s3 * t0 - e3 - o3;
  const e4: i64 = f0 * g8 + f2 * g6 + f4 * g4 + f6 * g2 + f8 * g0;
  const o4: i64 = f1 * g9 + f3 * g7 + f5 * g5 + f7 * g3 + f9 * g1;
  const m4: i64 = s0 * t4 + s1 * t3 + s2 * t2 + s3 * t1 + s4 * t0 - e4 - o4;
  const e5: i64 = f2 * g8 + f4 * g6 + f6 * g4 + f8 * g2;
  const o5: i64 = f3 * g9 + f5 * g7 + f7 * g5 + f9 * g3;
  const m5: i64 = s1 * t4 + s2 * t3 + s3 * t2 + s4 * t1 - e5 - o5;
  const e6: i64 = f4 * g8 + f6 * g6 + f8 * g4;
  const o6: i64 = f5 * g9 + f7 * g7 + f9 * g5;
  const m6: i64 = s2 * t4 + s3 * t3 + s4 * t2 - e6 - o6;
  const e7: i64 = f6 * g8 + f8 * g6;
  const o7: i64 = f7 * g9 + f9 * g7;
  const m7: i64 = s3 * t4 + s4 * t3 - e7 - o7;
  const e8: i64 = f8 * g8;
  const o8: i64 = f9 * g9;
  const m8: i64 = s4 * t4 - e8 - o8;
  carryStore(out,
    e0 + 19 * (e5 + (o4 << 1)), m0 + 19 * m5,
    e1 + (o0 << 1) + 19 * (e6 + (o5 << 1)), m1 + 19 * m6,
    e2 + (o1 << 1) + 19 * (e7 + (o6 << 1)), m2 + 19 * m7,
    e3 + (o2 << 1) + 19 * (e8 + (o7 << 1)), m3 + 19 * m8,
    e4 + (o3 << 1) + 19 * (o8 << 1), m4);
}

/** out = a^2 */
export function fe_sq(out: usize, a: usize): void {
  fe_sqn(out, a, 1);
}

const feBytes: usize = memory.data(32);
const feFreeze: usize = memory.data(80);
const feT3: usize = memory.data(80);

/** out = 2 * a^2 (the doubling formula's 2Z^2 without a separate add) */
export function fe_sq2(out: usize, a: usize): void {
  fe_sq(out, a);
  fe_add(out, out, out);
  fe_carry(out, out);
}

/** out = a reduced to carried limbs (same value mod p) */
export function fe_carry(out: usize, a: usize): void {
  carryStore(out, load<i64>(a, 0), load<i64>(a, 8), load<i64>(a, 16), load<i64>(a, 24), load<i64>(a, 32),
    load<i64>(a, 40), load<i64>(a, 48), load<i64>(a, 56), load<i64>(a, 64), load<i64>(a, 72));
}

/** out = a + b (no carry) */
export function fe_add(out: usize, a: usize, b: usize): void {
  if (ASC_FEATURE_SIMD) {
    v128.store(out, i64x2.add(v128.load(a), v128.load(b)));
    v128.store(out, i64x2.add(v128.load(a, 16), v128.load(b, 16)), 16);
    v128.store(out, i64x2.add(v128.load(a, 32), v128.load(b, 32)), 32);
    v128.store(out, i64x2.add(v128.load(a, 48), v128.load(b, 48)), 48);
    v128.store(out, i64x2.add(v128.load(a, 64), v128.load(b, 64)), 64);
  } else {
    store<i64>(out, load<i64>(a) + load<i64>(b));
    store<i64>(out, load<i64>(a, 8) + load<i64>(b, 8), 8);
    store<i64>(out, load<i64>(a, 16) + load<i64>(b, 16), 16);
    store<i64>(out, load<i64>(a, 24) + load<i64>(b, 24), 24);
    store<i64>(out, load<i64>(a, 32) + load<i64>(b, 32), 32);
    store<i64>(out, load<i64>(a, 40) + load<i64>(b, 40), 40);
    store<i64>(out, load<i64>(a, 48) + load<i64>(b, 48), 48);
    store<i64>(out, load<i64>(a, 56) + load<i64>(b, 56), 56);
    store<i64>(out, load<i64>(a, 64) + load<i64>(b, 64), 64);
    store<i64>(out, load<i64>(a, 72) + load<i64>(b, 72), 72);
  }
}

/** out = a - b (no carry) */
export function fe_sub(out: usize, a: usize, b: usize): void {
  if (ASC_FEATURE_SIMD) {
    v128.store(out, i64x2.sub(v128.load(a), v128.load(b)));
    v128.store(out, i64x2.sub(v128.load(a, 16), v128.load(b, 16)), 16);
    v128.store(out, i64x2.sub(v128.load(a, 32), v128.load(b, 32)), 32);
    v128.store(out, i64x2.sub(v128.load(a, 48), v128.load(b, 48)), 48);
    v128.store(out, i64x2.sub(v128.load(a, 64), v128.load(b, 64)), 64);
  } else {
    store<i64>(out, load<i64>(a) - load<i64>(b));
    store<i64>(out, load<i64>(a, 8) - load<i64>(b, 8), 8);
    store<i64>(out, load<i64>(a, 16) - load<i64>(b, 16), 16);
    store<i64>(out, load<i64>(a, 24) - load<i64>(b, 24), 24);
    store<i64>(out, load<i64>(a, 32) - load<i64>(b, 32), 32);
    store<i64>(out, load<i64>(a, 40) - load<i64>(b, 40), 40);
    store<i64>(out, load<i64>(a, 48) - load<i64>(b, 48), 48);
    store<i64>(out, load<i64>(a, 56) - load<i64>(b, 56), 56);
    store<i64>(out, load<i64>(a, 64) - load<i64>(b, 64), 64);
    store<i64>(out, load<i64>(a, 72) - load<i64>(b, 72), 72);
  }
}

/** out = -a */
export function fe_neg(out: usize, a: usize): void {
  if (ASC_FEATURE_SIMD) {
    const zero = i64x2.splat(0);
    v128.store(out, i64x2.sub(zero, v128.load(a)));
    v128.store(out, i64x2.sub(zero, v128.load(a, 16)), 16);
    v128.store(out, i64x2.sub(zero, v128.load(a, 32)), 32);
    v128.store(out, i64x2.sub(zero, v128.load(a, 48)), 48);
    v128.store(out, i64x2.sub(zero, v128.load(a, 64)), 64);
  } else {
    for (let i: usize = 0; i < 80; i += 8) store<i64>(out + i, -load<i64>(a + i));
  }
}

export function fe_copy(out: usize, a: usize): void {
  memory.copy(out, a, 80);
}

export function fe_zero(out: usize): void {
  memory.fill(out, 0, 80);
}

export function fe_one(out: usize): void {
  memory.fill(out, 0, 80);
  store<i64>(out, 1);
}

/** out = b if flag == 1, else out unchanged (flag is 0 or 1; no branch on it) */
export function fe_cmov(out: usize, b: usize, flag: i64): void {
  const mask = -flag;
  if (ASC_FEATURE_SIMD) {
    const m = i64x2.splat(mask);
    v128.store(out, v128.bitselect(v128.load(b), v128.load(out), m));
    v128.store(out, v128.bitselect(v128.load(b, 16), v128.load(out, 16), m), 16);
    v128.store(out, v128.bitselect(v128.load(b, 32), v128.load(out, 32), m), 32);
    v128.store(out, v128.bitselect(v128.load(b, 48), v128.load(out, 48), m), 48);
    v128.store(out, v128.bitselect(v128.load(b, 64), v128.load(out, 64), m), 64);
  } else {
    for (let i: usize = 0; i < 80; i += 8) {
      const x = load<i64>(out + i);
      store<i64>(out + i, x ^ ((x ^ load<i64>(b + i)) & mask));
    }
  }
}

// Bit offset and width of each limb in the 255-bit little-endian encoding.
@inline function limbAt(s: usize, byte: usize, shift: u32, bits: u32): i64 {
  return <i64>((load<u32>(s + byte) >>> shift) & ((1 << bits) - 1));
}

/** Reads 32 bytes, ignoring the top bit; values >= p are accepted and stay unreduced. */
export function fe_frombytes(out: usize, s: usize): void {
  store<i64>(out, limbAt(s, 0, 0, 26), 0);
  store<i64>(out, limbAt(s, 3, 2, 25), 8);
  store<i64>(out, limbAt(s, 6, 3, 26), 16);
  store<i64>(out, limbAt(s, 9, 5, 25), 24);
  store<i64>(out, limbAt(s, 12, 6, 26), 32);
  store<i64>(out, limbAt(s, 16, 0, 25), 40);
  store<i64>(out, limbAt(s, 19, 1, 26), 48);
  store<i64>(out, limbAt(s, 22, 3, 25), 56);
  store<i64>(out, limbAt(s, 25, 4, 26), 64);
  store<i64>(out, limbAt(s, 28, 6, 25), 72);
}

/** Writes the canonical 32-byte encoding of a (fully reduced mod p). */
export function fe_tobytes(s: usize, a: usize): void {
  fe_carry(feFreeze, a);
  let h0 = load<i64>(feFreeze, 0), h1 = load<i64>(feFreeze, 8), h2 = load<i64>(feFreeze, 16), h3 = load<i64>(feFreeze, 24);
  let h4 = load<i64>(feFreeze, 32), h5 = load<i64>(feFreeze, 40), h6 = load<i64>(feFreeze, 48), h7 = load<i64>(feFreeze, 56);
  let h8 = load<i64>(feFreeze, 64), h9 = load<i64>(feFreeze, 72);
  // q = floor(h / p) in {-1, 0, 1} for carried limbs; h - q*p is then computed by adding 19q
  // and dropping q*2^255 off the top of a floor carry chain.
  let q: i64 = (19 * h9 + (1 << 24)) >> 25;
  q = (h0 + q) >> 26; q = (h1 + q) >> 25; q = (h2 + q) >> 26; q = (h3 + q) >> 25; q = (h4 + q) >> 26;
  q = (h5 + q) >> 25; q = (h6 + q) >> 26; q = (h7 + q) >> 25; q = (h8 + q) >> 26; q = (h9 + q) >> 25;
  h0 += 19 * q;
  let c: i64;
  c = h0 >> 26; h1 += c; h0 -= c << 26;
  c = h1 >> 25; h2 += c; h1 -= c << 25;
  c = h2 >> 26; h3 += c; h2 -= c << 26;
  c = h3 >> 25; h4 += c; h3 -= c << 25;
  c = h4 >> 26; h5 += c; h4 -= c << 26;
  c = h5 >> 25; h6 += c; h5 -= c << 25;
  c = h6 >> 26; h7 += c; h6 -= c << 26;
  c = h7 >> 25; h8 += c; h7 -= c << 25;
  c = h8 >> 26; h9 += c; h8 -= c << 26;
  c = h9 >> 25; h9 -= c << 25;
  // Pack 26/25-bit limbs into 256 bits as four 64-bit words.
  const w0: u64 = <u64>h0 | (<u64>h1 << 26) | (<u64>h2 << 51);
  const w1: u64 = (<u64>h2 >> 13) | (<u64>h3 << 13) | (<u64>h4 << 38);
  const w2: u64 = <u64>h5 | (<u64>h6 << 25) | (<u64>h7 << 51);
  const w3: u64 = (<u64>h7 >> 13) | (<u64>h8 << 12) | (<u64>h9 << 38);
  store<u64>(s, w0, 0);
  store<u64>(s, w1, 8);
  store<u64>(s, w2, 16);
  store<u64>(s, w3, 24);
}


/** 1 if a == 0 mod p, else 0 */
export function fe_iszero(a: usize): i32 {
  fe_tobytes(feBytes, a);
  const x = load<u64>(feBytes, 0) | load<u64>(feBytes, 8) | load<u64>(feBytes, 16) | load<u64>(feBytes, 24);
  return <i32>(((x | (0 - x)) >> 63) ^ 1);
}

/** The low bit of the canonical encoding ("negative" in RFC 8032) */
export function fe_isneg(a: usize): i32 {
  fe_tobytes(feBytes, a);
  return load<u8>(feBytes) & 1;
}

/**
 * out = a^(2^n) (n >= 1); the limbs stay in locals between squarings, which chains of them need.
 * Same even/odd split as fe_mul, without Karatsuba (for a square it saves no products): EE and OO
 * count each cross product once, doubled; the middle is 2 EO.
 */
export function fe_sqn(out: usize, a: usize, n: i32): void {
  let f0 = load<i64>(a, 0), f1 = load<i64>(a, 8), f2 = load<i64>(a, 16), f3 = load<i64>(a, 24), f4 = load<i64>(a, 32);
  let f5 = load<i64>(a, 40), f6 = load<i64>(a, 48), f7 = load<i64>(a, 56), f8 = load<i64>(a, 64), f9 = load<i64>(a, 72);
  for (let i = 0; i < n; i++) {
    const e0: i64 = f0 * f0;
    const o0: i64 = f1 * f1;
    const m0: i64 = f0 * f1;
    const e1: i64 = (f0 * f2) << 1;
    const o1: i64 = (f1 * f3) << 1;
    const m1: i64 = f0 * f3 + f2 * f1;
    const e2: i64 = f2 * f2 + ((f0 * f4) << 1);
    const o2: i64 = f3 * f3 + ((f1 * f5) << 1);
    const m2: i64 = f0 * f5 + f2 * f3 + f4 * f1;
    const e3: i64 = (f0 * f6 + f2 * f4) << 1;
    const o3: i64 = (f1 * f7 + f3 * f5) << 1;
    const m3: i64 = f0 * f7 + f2 * f5 + f4 * f3 + f6 * f1;
    const e4: i64 = f4 * f4 + ((f0 * f8 + f2 * f6) << 1);
    const o4: i64 = f5 * f5 + ((f1 * f9 + f3 * f7) << 1);
    const m4: i64 = f0 * f9 + f2 * f7 + f4 * f5 + f6 * f3 + f8 * f1;
    const e5: i64 = (f2 * f8 + f4 * f6) << 1;
    const o5: i64 = (f3 * f9 + f5 * f7) << 1;
    const m5: i64 = f2 * f9 + f4 * f7 + f6 * f5 + f8 * f3;
    const e6: i64 = f6 * f6 + ((f4 * f8) << 1);
    const o6: i64 = f7 * f7 + ((f5 * f9) << 1);
    const m6: i64 = f4 * f9 + f6 * f7 + f8 * f5;
    const e7: i64 = (f6 * f8) << 1;
    const o7: i64 = (f7 * f9) << 1;
    const m7: i64 = f6 * f9 + f8 * f7;
    const e8: i64 = f8 * f8;
    const o8: i64 = f9 * f9;
    const m8: i64 = f8 * f9;
    let h0: i64 = e0 + 19 * (e5 + (o4 << 1));
    let h1: i64 = (m0 + 19 * m5) << 1;
    let h2: i64 = e1 + (o0 << 1) + 19 * (e6 + (o5 << 1));
    let h3: i64 = (m1 + 19 * m6) << 1;
    let h4: i64 = e2 + (o1 << 1) + 19 * (e7 + (o6 << 1));
    let h5: i64 = (m2 + 19 * m7) << 1;
    let h6: i64 = e3 + (o2 << 1) + 19 * (e8 + (o7 << 1));
    let h7: i64 = (m3 + 19 * m8) << 1;
    let h8: i64 = e4 + (o3 << 1) + 19 * (o8 << 1);
    let h9: i64 = m4 << 1;
    let c: i64;
    c = (h0 + (1 << 25)) >> 26; h1 += c; h0 -= c << 26;
    c = (h4 + (1 << 25)) >> 26; h5 += c; h4 -= c << 26;
    c = (h1 + (1 << 24)) >> 25; h2 += c; h1 -= c << 25;
    c = (h5 + (1 << 24)) >> 25; h6 += c; h5 -= c << 25;
    c = (h2 + (1 << 25)) >> 26; h3 += c; h2 -= c << 26;
    c = (h6 + (1 << 25)) >> 26; h7 += c; h6 -= c << 26;
    c = (h3 + (1 << 24)) >> 25; h4 += c; h3 -= c << 25;
    c = (h7 + (1 << 24)) >> 25; h8 += c; h7 -= c << 25;
    c = (h4 + (1 << 25)) >> 26; h5 += c; h4 -= c << 26;
    c = (h8 + (1 << 25)) >> 26; h9 += c; h8 -= c << 26;
    c = (h9 + (1 << 24)) >> 25; h0 += c * 19; h9 -= c << 25;
    c = (h0 + (1 << 25)) >> 26; h1 += c; h0 -= c << 26;
    f0 = h0; f1 = h1; f2 = h2; f3 = h3; f4 = h4; f5 = h5; f6 = h6; f7 = h7; f8 = h8; f9 = h9;
  }
  store<i64>(out, f0, 0); store<i64>(out, f1, 8); store<i64>(out, f2, 16); store<i64>(out, f3, 24); store<i64>(out, f4, 32);
  store<i64>(out, f5, 40); store<i64>(out, f6, 48); store<i64>(out, f7, 56); store<i64>(out, f8, 64); store<i64>(out, f9, 72);
}

const t0: usize = memory.data(80);
const t1: usize = memory.data(80);
const t2: usize = memory.data(80);

/** Leaves t0 = z^(2^250 - 1) and t1 = z^11 (shared start of inversion and square root). */
function pow2250(z: usize): void {
  fe_sq(t0, z);            // 2
  fe_sqn(t1, t0, 2);       // 8
  fe_mul(t1, z, t1);       // 9
  fe_mul(t0, t0, t1);      // 11
  fe_sq(t2, t0);           // 22
  fe_mul(t2, t1, t2);      // 31 = 2^5 - 1
  fe_copy(t1, t0);         // keep z^11
  fe_sqn(t0, t2, 5);
  fe_mul(t2, t0, t2);      // 2^10 - 1
  fe_sqn(t0, t2, 10);
  fe_mul(t0, t0, t2);      // 2^20 - 1
  const t3 = feT3;
  fe_sqn(t3, t0, 20);
  fe_mul(t0, t3, t0);      // 2^40 - 1
  fe_sqn(t0, t0, 10);
  fe_mul(t2, t0, t2);      // 2^50 - 1
  fe_sqn(t0, t2, 50);
  fe_mul(t0, t0, t2);      // 2^100 - 1
  fe_sqn(t3, t0, 100);
  fe_mul(t0, t3, t0);      // 2^200 - 1
  fe_sqn(t0, t0, 50);
  fe_mul(t0, t0, t2);      // 2^250 - 1
}

/** Zeroes this module's temporaries (after secret-scalar work, they hold its intermediates). */
export function fe_wipe(): void {
  memory.fill(feBytes, 0, 32);
  memory.fill(feFreeze, 0, 80);
  memory.fill(feT3, 0, 80);
  memory.fill(t0, 0, 80);
  memory.fill(t1, 0, 80);
  memory.fill(t2, 0, 80);
}

/** out = 1/z = z^(p-2) (0 for z = 0) */
export function fe_invert(out: usize, z: usize): void {
  pow2250(z);
  fe_sqn(t0, t0, 5);       // 2^255 - 32
  fe_mul(out, t0, t1);     // 2^255 - 21
}

/** out = z^((p-5)/8) = z^(2^252 - 3) */
export function fe_pow22523(out: usize, z: usize): void {
  pow2250(z);
  fe_sqn(t0, t0, 2);       // 2^252 - 4
  fe_mul(out, t0, z);      // 2^252 - 3
}
