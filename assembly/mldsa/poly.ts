// Coefficient-wise work on polynomials of 256 i32 (FIPS 204 section 7.4 and the encodings of
// 7.1-7.2). Nothing here branches on a coefficient's value: signing runs it on secrets.
import { D, GAMMA2, Q } from "./params";

/** a mod q into about (-6283009, 6283008): what the transforms need between steps. */
@inline function reduce32(a: i32): i32 {
  const t = (a + (1 << 22)) >> 23;
  return a - t * Q;
}

/** Adds q to a negative coefficient, so (-q, q) maps to [0, q). */
@inline function caddq(a: i32): i32 {
  return a + ((a >> 31) & Q);
}

export function polyReduce(a: usize): void {
  if (ASC_FEATURE_SIMD) {
    for (let i: usize = 0; i < 1024; i += 16) {
      const x = v128.load(a + i);
      const t = i32x4.shr_s(i32x4.add(x, i32x4.splat(1 << 22)), 23);
      v128.store(a + i, i32x4.sub(x, i32x4.mul(t, i32x4.splat(Q))));
    }
    return;
  }
  for (let i: usize = 0; i < 1024; i += 4) store<i32>(a + i, reduce32(load<i32>(a + i)));
}

export function polyCaddq(a: usize): void {
  if (ASC_FEATURE_SIMD) {
    for (let i: usize = 0; i < 1024; i += 16) {
      const x = v128.load(a + i);
      v128.store(a + i, i32x4.add(x, v128.and(i32x4.shr_s(x, 31), i32x4.splat(Q))));
    }
    return;
  }
  for (let i: usize = 0; i < 1024; i += 4) store<i32>(a + i, caddq(load<i32>(a + i)));
}

export function polyAdd(c: usize, a: usize, b: usize): void {
  if (ASC_FEATURE_SIMD) {
    for (let i: usize = 0; i < 1024; i += 16) v128.store(c + i, i32x4.add(v128.load(a + i), v128.load(b + i)));
    return;
  }
  for (let i: usize = 0; i < 1024; i += 4) store<i32>(c + i, load<i32>(a + i) + load<i32>(b + i));
}

export function polySub(c: usize, a: usize, b: usize): void {
  if (ASC_FEATURE_SIMD) {
    for (let i: usize = 0; i < 1024; i += 16) v128.store(c + i, i32x4.sub(v128.load(a + i), v128.load(b + i)));
    return;
  }
  for (let i: usize = 0; i < 1024; i += 4) store<i32>(c + i, load<i32>(a + i) - load<i32>(b + i));
}

/** a * 2^d. */
export function polyShiftl(a: usize): void {
  if (ASC_FEATURE_SIMD) {
    for (let i: usize = 0; i < 1024; i += 16) v128.store(a + i, i32x4.shl(v128.load(a + i), D));
    return;
  }
  for (let i: usize = 0; i < 1024; i += 4) store<i32>(a + i, load<i32>(a + i) << D);
}

/** 1 when some |a[i]| >= bound (a reduced by reduce32); no early exit, so time says nothing of where. */
export function polyChknorm(a: usize, bound: i32): i32 {
  if (ASC_FEATURE_SIMD) {
    let over = i32x4.splat(0);
    const limit = i32x4.splat(bound);
    for (let i: usize = 0; i < 1024; i += 16) over = v128.or(over, i32x4.ge_s(i32x4.abs(v128.load(a + i)), limit));
    return <i32>v128.any_true(over);
  }
  let bad: i32 = 0;
  for (let i: usize = 0; i < 1024; i += 4) {
    const x = load<i32>(a + i);
    const abs = x - ((x >> 31) & (x << 1));
    bad |= (bound - 1 - abs) >> 31;
  }
  return bad & 1;
}

/** Power2Round (algorithm 35) of a in [0, q): high part to a1, low part to a0. */
export function polyPower2Round(a1: usize, a0: usize, a: usize): void {
  for (let i: usize = 0; i < 1024; i += 4) {
    const x = load<i32>(a + i);
    const hi = (x + (1 << (D - 1)) - 1) >> D;
    store<i32>(a1 + i, hi);
    store<i32>(a0 + i, x - (hi << D));
  }
}

/** Decompose (algorithm 36) of x in [0, q): returns r1, writes r0 (centered) at `r0p`. */
@inline function decompose(x: i32, r0p: usize): i32 {
  let r1 = (x + 127) >> 7;
  if (GAMMA2 == (Q - 1) / 32) {
    r1 = (r1 * 1025 + (1 << 21)) >> 22;
    r1 &= 15;
  } else {
    r1 = (r1 * 11275 + (1 << 23)) >> 24;
    r1 ^= ((43 - r1) >> 31) & r1;
  }
  let r0 = x - r1 * 2 * GAMMA2;
  r0 -= (((Q - 1) / 2 - r0) >> 31) & Q;
  store<i32>(r0p, r0);
  return r1;
}

/** decompose on four lanes: the same integers. */
@inline function decompose4(x: v128, r0p: usize): v128 {
  let r1 = i32x4.shr_s(i32x4.add(x, i32x4.splat(127)), 7);
  if (GAMMA2 == (Q - 1) / 32) {
    r1 = i32x4.shr_s(i32x4.add(i32x4.mul(r1, i32x4.splat(1025)), i32x4.splat(1 << 21)), 22);
    r1 = v128.and(r1, i32x4.splat(15));
  } else {
    r1 = i32x4.shr_s(i32x4.add(i32x4.mul(r1, i32x4.splat(11275)), i32x4.splat(1 << 23)), 24);
    r1 = v128.xor(r1, v128.and(i32x4.shr_s(i32x4.sub(i32x4.splat(43), r1), 31), r1));
  }
  let r0 = i32x4.sub(x, i32x4.mul(r1, i32x4.splat(2 * GAMMA2)));
  r0 = i32x4.sub(r0, v128.and(i32x4.shr_s(i32x4.sub(i32x4.splat((Q - 1) / 2), r0), 31), i32x4.splat(Q)));
  v128.store(r0p, r0);
  return r1;
}

/** HighBits to a1, LowBits to a0, of a in [0, q). */
export function polyDecompose(a1: usize, a0: usize, a: usize): void {
  if (ASC_FEATURE_SIMD) {
    for (let i: usize = 0; i < 1024; i += 16) {
      const x = v128.load(a + i);
      v128.store(a1 + i, decompose4(x, a0 + i));
    }
    return;
  }
  for (let i: usize = 0; i < 1024; i += 4) store<i32>(a1 + i, decompose(load<i32>(a + i), a0 + i));
}

/**
 * MakeHint in the form of the signing loop: h[i] = 1 when adding the low part a0[i] (of w - cs2 +
 * ct0) changes the high part a1[i] of w. Returns the number of ones.
 */
export function polyMakeHint(h: usize, a0: usize, a1: usize): i32 {
  let count: i32 = 0;
  for (let i: usize = 0; i < 1024; i += 4) {
    const lo = load<i32>(a0 + i);
    const hiBits = load<i32>(a1 + i);
    // lo > g || lo < -g || (lo == -g && a1 != 0), without branches.
    const above = (GAMMA2 - lo) >>> 31;
    const below = (lo + GAMMA2) >>> 31;
    const edge = <i32>(lo == -GAMMA2) & <i32>(hiBits != 0);
    const bit = above | below | edge;
    store<i32>(h + i, bit);
    count += bit;
  }
  return count;
}

/** UseHint (algorithm 40): a in [0, q), hints h; b = the corrected high bits. Verification only. */
export function polyUseHint(b: usize, a: usize, h: usize): void {
  if (ASC_FEATURE_SIMD) {
    const r0s = memory.data(16, 16);
    for (let i: usize = 0; i < 1024; i += 16) {
      let r1 = decompose4(v128.load(a + i), r0s);
      // +1 where the low part is positive, -1 elsewhere; only where the hint is set.
      const up = i32x4.gt_s(v128.load(r0s), i32x4.splat(0));
      const step = v128.and(v128.bitselect(i32x4.splat(1), i32x4.splat(-1), up), i32x4.neg(v128.load(h + i)));
      r1 = i32x4.add(r1, step);
      if (GAMMA2 == (Q - 1) / 32) {
        r1 = v128.and(r1, i32x4.splat(15));
      } else {
        r1 = v128.bitselect(i32x4.splat(0), r1, i32x4.eq(r1, i32x4.splat(44)));
        r1 = v128.bitselect(i32x4.splat(43), r1, i32x4.eq(r1, i32x4.splat(-1)));
      }
      v128.store(b + i, r1);
    }
    return;
  }
  const scratch = memory.data(4);
  for (let i: usize = 0; i < 1024; i += 4) {
    let r1 = decompose(load<i32>(a + i), scratch);
    if (load<i32>(h + i) != 0) {
      const r0 = load<i32>(scratch);
      if (GAMMA2 == (Q - 1) / 32) {
        r1 = r0 > 0 ? (r1 + 1) & 15 : (r1 - 1) & 15;
      } else {
        r1 = r0 > 0 ? (r1 == 43 ? 0 : r1 + 1) : (r1 == 0 ? 43 : r1 - 1);
      }
    }
    store<i32>(b + i, r1);
  }
}

/**
 * Packs 256 coefficients of `bits` bits each, little-endian (SimpleBitPack / BitPack, algorithms
 * 16-17): the coefficient itself, or `base - a[i]` when `fromBase`.
 */
export function packPoly(out: usize, a: usize, bits: i32, base: i32, fromBase: bool): void {
  let acc: u64 = 0;
  let n: i32 = 0;
  let o = out;
  for (let i: usize = 0; i < 1024; i += 4) {
    const c = load<i32>(a + i);
    const v = <u32>(fromBase ? base - c : c);
    acc |= (<u64>v) << <u64>n;
    n += bits;
    while (n >= 8) {
      store<u8>(o, <u8>acc);
      o++;
      acc >>= 8;
      n -= 8;
    }
  }
}

/**
 * The inverse of packPoly. Returns the largest field value read (before `base -`), so a caller
 * can refuse encodings whose values lie outside the range (secret keys' s1, s2).
 */
export function unpackPoly(a: usize, src: usize, bits: i32, base: i32, fromBase: bool): u32 {
  let acc: u64 = 0;
  let n: i32 = 0;
  let s = src;
  let most: u32 = 0;
  const mask: u64 = (<u64>1 << <u64>bits) - 1;
  for (let i: usize = 0; i < 1024; i += 4) {
    while (n < bits) {
      acc |= (<u64>load<u8>(s)) << <u64>n;
      s++;
      n += 8;
    }
    const v = <u32>(acc & mask);
    acc >>= <u64>bits;
    n -= bits;
    most = max(most, v);
    store<i32>(a + i, fromBase ? base - <i32>v : <i32>v);
  }
  return most;
}
