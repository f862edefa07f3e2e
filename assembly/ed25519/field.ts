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

/** out = a * b */
export function fe_mul(out: usize, a: usize, b: usize): void {
  const f0 = load<i64>(a, 0);
  const f1 = load<i64>(a, 8);
  const f2 = load<i64>(a, 16);
  const f3 = load<i64>(a, 24);
  const f4 = load<i64>(a, 32);
  const f5 = load<i64>(a, 40);
  const f6 = load<i64>(a, 48);
  const f7 = load<i64>(a, 56);
  const f8 = load<i64>(a, 64);
  const f9 = load<i64>(a, 72);
  const g0 = load<i64>(b, 0);
  const g1 = load<i64>(b, 8);
  const g2 = load<i64>(b, 16);
  const g3 = load<i64>(b, 24);
  const g4 = load<i64>(b, 32);
  const g5 = load<i64>(b, 40);
  const g6 = load<i64>(b, 48);
  const g7 = load<i64>(b, 56);
  const g8 = load<i64>(b, 64);
  const g9 = load<i64>(b, 72);
  const f1_2: i64 = f1 << 1;
  const f3_2: i64 = f3 << 1;
  const f5_2: i64 = f5 << 1;
  const f7_2: i64 = f7 << 1;
  const f9_2: i64 = f9 << 1;
  const g1_19: i64 = g1 * 19;
  const g2_19: i64 = g2 * 19;
  const g3_19: i64 = g3 * 19;
  const g4_19: i64 = g4 * 19;
  const g5_19: i64 = g5 * 19;
  const g6_19: i64 = g6 * 19;
  const g7_19: i64 = g7 * 19;
  const g8_19: i64 = g8 * 19;
  const g9_19: i64 = g9 * 19;
  const h0: i64 = f0 * g0 + f1_2 * g9_19 + f2 * g8_19 + f3_2 * g7_19 + f4 * g6_19 + f5_2 * g5_19 + f6 * g4_19 + f7_2 * g3_19 + f8 * g2_19 + f9_2 * g1_19;
  const h1: i64 = f0 * g1 + f1 * g0 + f2 * g9_19 + f3 * g8_19 + f4 * g7_19 + f5 * g6_19 + f6 * g5_19 + f7 * g4_19 + f8 * g3_19 + f9 * g2_19;
  const h2: i64 = f0 * g2 + f1_2 * g1 + f2 * g0 + f3_2 * g9_19 + f4 * g8_19 + f5_2 * g7_19 + f6 * g6_19 + f7_2 * g5_19 + f8 * g4_19 + f9_2 * g3_19;
  const h3: i64 = f0 * g3 + f1 * g2 + f2 * g1 + f3 * g0 + f4 * g9_19 + f5 * g8_19 + f6 * g7_19 + f7 * g6_19 + f8 * g5_19 + f9 * g4_19;
  const h4: i64 = f0 * g4 + f1_2 * g3 + f2 * g2 + f3_2 * g1 + f4 * g0 + f5_2 * g9_19 + f6 * g8_19 + f7_2 * g7_19 + f8 * g6_19 + f9_2 * g5_19;
  const h5: i64 = f0 * g5 + f1 * g4 + f2 * g3 + f3 * g2 + f4 * g1 + f5 * g0 + f6 * g9_19 + f7 * g8_19 + f8 * g7_19 + f9 * g6_19;
  const h6: i64 = f0 * g6 + f1_2 * g5 + f2 * g4 + f3_2 * g3 + f4 * g2 + f5_2 * g1 + f6 * g0 + f7_2 * g9_19 + f8 * g8_19 + f9_2 * g7_19;
  const h7: i64 = f0 * g7 + f1 * g6 + f2 * g5 + f3 * g4 + f4 * g3 + f5 * g2 + f6 * g1 + f7 * g0 + f8 * g9_19 + f9 * g8_19;
  const h8: i64 = f0 * g8 + f1_2 * g7 + f2 * g6 + f3_2 * g5 + f4 * g4 + f5_2 * g3 + f6 * g2 + f7_2 * g1 + f8 * g0 + f9_2 * g9_19;
  const h9: i64 = f0 * g9 + f1 * g8 + f2 * g7 + f3 * g6 + f4 * g5 + f5 * g4 + f6 * g3 + f7 * g2 + f8 * g1 + f9 * g0;
  carryStore(out, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
}

/** out = a^2 */
export function fe_sq(out: usize, a: usize): void {
  const f0 = load<i64>(a, 0);
  const f1 = load<i64>(a, 8);
  const f2 = load<i64>(a, 16);
  const f3 = load<i64>(a, 24);
  const f4 = load<i64>(a, 32);
  const f5 = load<i64>(a, 40);
  const f6 = load<i64>(a, 48);
  const f7 = load<i64>(a, 56);
  const f8 = load<i64>(a, 64);
  const f9 = load<i64>(a, 72);
  const f0_2: i64 = f0 << 1;
  const f1_2: i64 = f1 << 1;
  const f1_4: i64 = f1 << 2;
  const f2_2: i64 = f2 << 1;
  const f3_2: i64 = f3 << 1;
  const f3_4: i64 = f3 << 2;
  const f4_2: i64 = f4 << 1;
  const f5_19: i64 = f5 * 19;
  const f5_2: i64 = f5 << 1;
  const f5_4: i64 = f5 << 2;
  const f6_19: i64 = f6 * 19;
  const f6_2: i64 = f6 << 1;
  const f7_19: i64 = f7 * 19;
  const f7_2: i64 = f7 << 1;
  const f7_4: i64 = f7 << 2;
  const f8_19: i64 = f8 * 19;
  const f8_2: i64 = f8 << 1;
  const f9_19: i64 = f9 * 19;
  const f9_2: i64 = f9 << 1;
  const h0: i64 = f0 * f0 + f1_4 * f9_19 + f2_2 * f8_19 + f3_4 * f7_19 + f4_2 * f6_19 + f5_2 * f5_19;
  const h1: i64 = f0_2 * f1 + f2_2 * f9_19 + f3_2 * f8_19 + f4_2 * f7_19 + f5_2 * f6_19;
  const h2: i64 = f0_2 * f2 + f1_2 * f1 + f3_4 * f9_19 + f4_2 * f8_19 + f5_4 * f7_19 + f6 * f6_19;
  const h3: i64 = f0_2 * f3 + f1_2 * f2 + f4_2 * f9_19 + f5_2 * f8_19 + f6_2 * f7_19;
  const h4: i64 = f0_2 * f4 + f1_4 * f3 + f2 * f2 + f5_4 * f9_19 + f6_2 * f8_19 + f7_2 * f7_19;
  const h5: i64 = f0_2 * f5 + f1_2 * f4 + f2_2 * f3 + f6_2 * f9_19 + f7_2 * f8_19;
  const h6: i64 = f0_2 * f6 + f1_4 * f5 + f2_2 * f4 + f3_2 * f3 + f7_4 * f9_19 + f8 * f8_19;
  const h7: i64 = f0_2 * f7 + f1_2 * f6 + f2_2 * f5 + f3_2 * f4 + f8_2 * f9_19;
  const h8: i64 = f0_2 * f8 + f1_4 * f7 + f2_2 * f6 + f3_4 * f5 + f4 * f4 + f9_2 * f9_19;
  const h9: i64 = f0_2 * f9 + f1_2 * f8 + f2_2 * f7 + f3_2 * f6 + f4_2 * f5;
  carryStore(out, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
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

/** out = a^(2^n) (n >= 1); the limbs stay in locals between squarings, which chains of them need. */
export function fe_sqn(out: usize, a: usize, n: i32): void {
  let f0 = load<i64>(a, 0), f1 = load<i64>(a, 8), f2 = load<i64>(a, 16), f3 = load<i64>(a, 24), f4 = load<i64>(a, 32);
  let f5 = load<i64>(a, 40), f6 = load<i64>(a, 48), f7 = load<i64>(a, 56), f8 = load<i64>(a, 64), f9 = load<i64>(a, 72);
  for (let i = 0; i < n; i++) {
    const f0_2: i64 = f0 << 1;
    const f1_2: i64 = f1 << 1;
    const f1_4: i64 = f1 << 2;
    const f2_2: i64 = f2 << 1;
    const f3_2: i64 = f3 << 1;
    const f3_4: i64 = f3 << 2;
    const f4_2: i64 = f4 << 1;
    const f5_19: i64 = f5 * 19;
    const f5_2: i64 = f5 << 1;
    const f5_4: i64 = f5 << 2;
    const f6_19: i64 = f6 * 19;
    const f6_2: i64 = f6 << 1;
    const f7_19: i64 = f7 * 19;
    const f7_2: i64 = f7 << 1;
    const f7_4: i64 = f7 << 2;
    const f8_19: i64 = f8 * 19;
    const f8_2: i64 = f8 << 1;
    const f9_19: i64 = f9 * 19;
    const f9_2: i64 = f9 << 1;
    let h0: i64 = f0 * f0 + f1_4 * f9_19 + f2_2 * f8_19 + f3_4 * f7_19 + f4_2 * f6_19 + f5_2 * f5_19;
    let h1: i64 = f0_2 * f1 + f2_2 * f9_19 + f3_2 * f8_19 + f4_2 * f7_19 + f5_2 * f6_19;
    let h2: i64 = f0_2 * f2 + f1_2 * f1 + f3_4 * f9_19 + f4_2 * f8_19 + f5_4 * f7_19 + f6 * f6_19;
    let h3: i64 = f0_2 * f3 + f1_2 * f2 + f4_2 * f9_19 + f5_2 * f8_19 + f6_2 * f7_19;
    let h4: i64 = f0_2 * f4 + f1_4 * f3 + f2 * f2 + f5_4 * f9_19 + f6_2 * f8_19 + f7_2 * f7_19;
    let h5: i64 = f0_2 * f5 + f1_2 * f4 + f2_2 * f3 + f6_2 * f9_19 + f7_2 * f8_19;
    let h6: i64 = f0_2 * f6 + f1_4 * f5 + f2_2 * f4 + f3_2 * f3 + f7_4 * f9_19 + f8 * f8_19;
    let h7: i64 = f0_2 * f7 + f1_2 * f6 + f2_2 * f5 + f3_2 * f4 + f8_2 * f9_19;
    let h8: i64 = f0_2 * f8 + f1_4 * f7 + f2_2 * f6 + f3_4 * f5 + f4 * f4 + f9_2 * f9_19;
    let h9: i64 = f0_2 * f9 + f1_2 * f8 + f2_2 * f7 + f3_2 * f6 + f4_2 * f5;
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
