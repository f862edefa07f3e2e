// r = a * P + b * B in variable time, for verification (all inputs public): one shared
// doubling chain, wNAF width 5 for P (odd multiples built per call) and width 8 for B
// (ODD_TABLE, built once).
import { ge_add_cached, ge_add_niels, ge_dbl, ge_identity, ge_sub_cached, ge_sub_niels, ge_to_cached, NIELS, POINT } from "./point";
import { ODD_TABLE, ODD_TABLE_WIDTH, tablesReady } from "./tables";
import { wnaf } from "./wnaf";

export const P_WIDTH: i32 = 5;
/** Entries of a width-5 odd-multiples table: P, 3P, ..., 15P. */
export const P_ENTRIES: usize = 8;

const nafA: usize = memory.data(256);
const nafB: usize = memory.data(256);
const oddP: usize = memory.data(8 * 320);
const twoP: usize = memory.data(320);
const accum: usize = memory.data(320);

/** Writes P, 3P, ..., (2n-1)P in cached form to `table` (n >= 1). */
export function oddMultiples(table: usize, p: usize, n: usize): void {
  ge_dbl(twoP, p, true);
  ge_to_cached(table, p);
  if (n == 1) return;
  ge_to_cached(accum, twoP);
  ge_add_cached(twoP, p, accum);
  ge_to_cached(table + POINT, twoP);
  for (let i: usize = 2; i < n; i++) {
    ge_add_cached(twoP, twoP, accum);
    ge_to_cached(table + i * POINT, twoP);
  }
}

/** r += d * T[|d| >> 1] for a cached odd-multiples table T (d odd, nonzero). */
@inline export function addCachedDigit(r: usize, table: usize, d: i32, withT: bool): void {
  if (d > 0) ge_add_cached(r, r, table + <usize>(d >> 1) * POINT, withT);
  else ge_sub_cached(r, r, table + <usize>((-d) >> 1) * POINT, withT);
}

/** r += d * ODD_TABLE[|d| >> 1] (B multiples). */
@inline export function addBaseDigit(r: usize, d: i32, withT: bool): void {
  if (d > 0) ge_add_niels(r, r, ODD_TABLE + <usize>(d >> 1) * NIELS, withT);
  else ge_sub_niels(r, r, ODD_TABLE + <usize>((-d) >> 1) * NIELS, withT);
}

/** r = a * p + b * B; a, b are 32-byte scalars < 2^253. */
export function ge_double_scalarmult_vartime(r: usize, a: usize, p: usize, b: usize): void {
  tablesReady();
  const topA = wnaf(nafA, a, P_WIDTH);
  const topB = wnaf(nafB, b, ODD_TABLE_WIDTH);
  oddMultiples(oddP, p, P_ENTRIES);
  ge_identity(r);
  let i = (topA > topB ? topA : topB) - 1;
  for (; i >= 0; i--) {
    const da = <i32>load<i8>(nafA + i);
    const db = <i32>load<i8>(nafB + i);
    // T is only read by additions, so an operation computes it only when one follows.
    if (da != 0) addCachedDigit(r, oddP, da, db != 0 || i == 0);
    if (db != 0) addBaseDigit(r, db, i == 0);
    if (i > 0) ge_dbl(r, r, i == 1 || load<i8>(nafA + i - 1) != 0 || load<i8>(nafB + i - 1) != 0);
  }
}

const nafQ: usize = memory.data(256);
const oddQ: usize = memory.data(8 * 320);

/** r = a * p + b * q in variable time for two variable points (a, b < 2^253). */
export function ge_double_scalarmult2_vartime(r: usize, a: usize, p: usize, b: usize, q: usize): void {
  const topA = wnaf(nafA, a, P_WIDTH);
  const topB = wnaf(nafQ, b, P_WIDTH);
  oddMultiples(oddP, p, P_ENTRIES);
  oddMultiples(oddQ, q, P_ENTRIES);
  ge_identity(r);
  for (let i = (topA > topB ? topA : topB) - 1; i >= 0; i--) {
    const da = <i32>load<i8>(nafA + i);
    const db = <i32>load<i8>(nafQ + i);
    if (da != 0) addCachedDigit(r, oddP, da, db != 0 || i == 0);
    if (db != 0) addCachedDigit(r, oddQ, db, i == 0);
    if (i > 0) ge_dbl(r, r, i == 1 || load<i8>(nafA + i - 1) != 0 || load<i8>(nafQ + i - 1) != 0);
  }
}
