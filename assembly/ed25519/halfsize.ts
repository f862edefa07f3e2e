// Half-size scalars for the cofactored check [8](S B - R - h A) = 0 (Pornin, "Optimized Lattice
// Basis Reduction in Dimension 2, and Fast Schnorr and EdDSA Signature Verification", 2020).
// The extended Euclidean algorithm on (L, h), stopped once the remainder drops below 2^127,
// gives c1 = t h mod L with c1 < 2^127 and |t| < 2^126 (from |t_i| r_(i-1) <= L). Then
//     t (S B - R - h A) = u B - t R - c1 A - k L A,   u = t S mod L, for some integer k,
// and [8] removes k L A (8A has order L), while t != 0 mod L keeps the check equivalent. R and
// A get 127-bit scalars, and B's 253-bit u splits at 2^128 over a second table of 2^128 B, so
// the doubling chain is half as long. Variable time: public inputs only.

const L_WORDS: usize = memory.data<u64>([0x5812631a5cf5d3ed, 0x14def9dea2f79cd6, 0, 0x1000000000000000]);
const wa: usize = memory.data(32);
const wb: usize = memory.data(32);
const wta: usize = memory.data(32);
const wtb: usize = memory.data(32);
const shifted: usize = memory.data(32);

function bitLength(x: usize): i32 {
  for (let i = 3; i >= 0; i--) {
    const w = load<u64>(x + (<usize>i << 3));
    if (w != 0) return (i << 6) + 64 - <i32>clz(w);
  }
  return 0;
}

/** out = x << j mod 2^256 */
function shiftLeft(out: usize, x: usize, j: i32): void {
  const words = j >> 6;
  const bits = <u64>(j & 63);
  for (let i = 3; i >= 0; i--) {
    const src = i - words;
    let v: u64 = 0;
    if (src >= 0) {
      v = load<u64>(x + (<usize>src << 3)) << bits;
      if (bits != 0 && src >= 1) v |= load<u64>(x + (<usize>(src - 1) << 3)) >> (64 - bits);
    }
    store<u64>(out + (<usize>i << 3), v);
  }
}

function atLeast(a: usize, b: usize): bool {
  for (let i = 3; i >= 0; i--) {
    const x = load<u64>(a + (<usize>i << 3)), y = load<u64>(b + (<usize>i << 3));
    if (x != y) return x > y;
  }
  return true;
}

/** a -= b mod 2^256 */
function subtract(a: usize, b: usize): void {
  let borrow: u64 = 0;
  for (let i: usize = 0; i < 32; i += 8) {
    const x = load<u64>(a + i), y = load<u64>(b + i);
    const d = x - y - borrow;
    borrow = <u64>(x < y || (x == y && borrow != 0));
    store<u64>(a + i, d);
  }
}

/**
 * Writes |t| and c1 = t h mod L (32 bytes each; |t| < 2^126, c1 < 2^127, t != 0) for h < L;
 * returns 1 if t is negative.
 */
export function sc_half_size(tAbs: usize, c1: usize, h: usize): i32 {
  let a = wa, b = wb, ta = wta, tb = wtb;
  memory.copy(a, L_WORDS, 32);
  memory.copy(b, h, 32);
  memory.fill(ta, 0, 32);
  memory.fill(tb, 0, 32);
  store<u64>(tb, 1);
  // Invariant: a = ta h and b = tb h (mod L), with t kept mod 2^256 (its true value is small).
  while (bitLength(b) > 127) {
    for (let j = bitLength(a) - bitLength(b); j >= 0; j--) {
      shiftLeft(shifted, b, j);
      if (atLeast(a, shifted)) {
        subtract(a, shifted);
        shiftLeft(shifted, tb, j);
        subtract(ta, shifted);
      }
    }
    const r = a; a = b; b = r;
    const t = ta; ta = tb; tb = t;
  }
  memory.copy(c1, b, 32);
  const negative = <i32>(load<u64>(tb, 24) >> 63);
  if (negative) {
    memory.fill(tAbs, 0, 32);
    subtract(tAbs, tb);
  } else {
    memory.copy(tAbs, tb, 32);
  }
  return negative;
}
