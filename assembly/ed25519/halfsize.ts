// Half-size scalars for the cofactored check [8](S B - R - h A) = 0 (Pornin, "Optimized Lattice
// Basis Reduction in Dimension 2, and Fast Schnorr and EdDSA Signature Verification", 2020).
// The extended Euclidean algorithm on (L, h), stopped once the remainder drops below 2^127,
// gives c1 = t h mod L with c1 < 2^127 and |t| < 2^126 (from |t_i| r_(i-1) <= L). Then
//     t (S B - R - h A) = u B - t R - c1 A - k L A,   u = t S mod L, for some integer k,
// and [8] removes k L A (8A has order L), while t != 0 mod L keeps the check equivalent. R and
// A get 127-bit scalars, and B's 253-bit u splits at 2^128 over a second table of 2^128 B, so
// the doubling chain is half as long. Variable time: public inputs only.

const L0: u64 = 0x5812631a5cf5d3ed;
const L1: u64 = 0x14def9dea2f79cd6;
const L3: u64 = 0x1000000000000000;

@inline function bitLength(x0: u64, x1: u64, x2: u64, x3: u64): i32 {
  if (x3 != 0) return 256 - <i32>clz(x3);
  if (x2 != 0) return 192 - <i32>clz(x2);
  if (x1 != 0) return 128 - <i32>clz(x1);
  return 64 - <i32>clz(x0);
}

/**
 * Writes |t| and c1 = t h mod L (32 bytes each; |t| < 2^126, c1 < 2^127, t != 0) for h < L;
 * returns 1 if t is negative.
 */
export function sc_half_size(tAbs: usize, c1: usize, h: usize): i32 {
  // Remainders a > b (< 2^253, four words) with a = ta h and b = tb h (mod L). While b >= 2^127,
  // |t| < 2^127 (|t_i| r_(i-1) <= L), so each t fits a two's-complement pair (low, high).
  let a0 = L0, a1 = L1, a2: u64 = 0, a3 = L3;
  let b0 = load<u64>(h, 0), b1 = load<u64>(h, 8), b2 = load<u64>(h, 16), b3 = load<u64>(h, 24);
  let ta0: u64 = 0, ta1: u64 = 0, tb0: u64 = 1, tb1: u64 = 0;
  while (b3 != 0 || b2 != 0 || (b1 >> 63) != 0) {
    // a -= q b (and ta -= q tb) for q = floor(a / b), one quotient bit at a time from the top.
    let k = bitLength(a0, a1, a2, a3) - bitLength(b0, b1, b2, b3);
    let s0 = b0, s1 = b1, s2 = b2, s3 = b3, u0 = tb0, u1 = tb1;
    for (let i = 0; i < k; i++) {
      s3 = (s3 << 1) | (s2 >> 63); s2 = (s2 << 1) | (s1 >> 63); s1 = (s1 << 1) | (s0 >> 63); s0 <<= 1;
      u1 = (u1 << 1) | (u0 >> 63); u0 <<= 1;
    }
    for (; k >= 0; k--) {
      if (a3 > s3 || (a3 == s3 && (a2 > s2 || (a2 == s2 && (a1 > s1 || (a1 == s1 && a0 >= s0)))))) {
        let borrow = <u64>(a0 < s0);
        a0 -= s0;
        let next = <u64>(a1 < s1 || (a1 == s1 && borrow != 0));
        a1 = a1 - s1 - borrow;
        borrow = next;
        next = <u64>(a2 < s2 || (a2 == s2 && borrow != 0));
        a2 = a2 - s2 - borrow;
        a3 = a3 - s3 - next;
        ta1 = ta1 - u1 - <u64>(ta0 < u0);
        ta0 -= u0;
      }
      s0 = (s0 >> 1) | (s1 << 63); s1 = (s1 >> 1) | (s2 << 63); s2 = (s2 >> 1) | (s3 << 63); s3 >>= 1;
      u0 = (u0 >> 1) | (u1 << 63); u1 = <u64>(<i64>u1 >> 1);
    }
    let x = a0; a0 = b0; b0 = x;
    x = a1; a1 = b1; b1 = x;
    x = a2; a2 = b2; b2 = x;
    x = a3; a3 = b3; b3 = x;
    x = ta0; ta0 = tb0; tb0 = x;
    x = ta1; ta1 = tb1; tb1 = x;
  }
  store<u64>(c1, b0, 0);
  store<u64>(c1, b1, 8);
  store<u64>(c1, 0, 16);
  store<u64>(c1, 0, 24);
  const negative = <i32>(tb1 >> 63);
  if (negative) {
    // |t| = -t
    tb1 = ~tb1 + <u64>(tb0 == 0);
    tb0 = 0 - tb0;
  }
  store<u64>(tAbs, tb0, 0);
  store<u64>(tAbs, tb1, 8);
  store<u64>(tAbs, 0, 16);
  store<u64>(tAbs, 0, 24);
  return negative;
}
