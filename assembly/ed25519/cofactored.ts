// The cofactored verification equation [8](S B - R - h A) = 0 with half-size scalars (see
// halfsize.ts): a 128-step doubling chain over four wNAF columns, -t R and -c1 A (width 5,
// tables built here) and the two halves of u = t S mod L over B and 2^128 B (width 8, static).
import { addBaseDigit, addCachedDigit, oddMultiples, P_ENTRIES, P_WIDTH } from "./doublemul";
import { sc_half_size } from "./halfsize";
import { ge_add_niels, ge_copy, ge_dbl, ge_identity, ge_is_identity, ge_mul8, ge_neg, ge_sub_niels, NIELS } from "./point";
import { sc_muladd } from "./scalar";
import { ODD_TABLE_HI, ODD_TABLE_WIDTH, tablesReady } from "./tables";
import { wnaf } from "./wnaf";

/** L - 1, that is -1 mod L. */
const MINUS_ONE: usize = memory.data<u64>([0x5812631a5cf5d3ec, 0x14def9dea2f79cd6, 0, 0x1000000000000000]);
const ZERO: usize = memory.data(32);
const t: usize = memory.data(32);
const c1: usize = memory.data(32);
const u: usize = memory.data(32);
const uLo: usize = memory.data(32);
const uHi: usize = memory.data(32);
const nafR: usize = memory.data(256);
const nafA: usize = memory.data(256);
const nafLo: usize = memory.data(256);
const nafHi: usize = memory.data(256);
const pointR: usize = memory.data(320);
const tableR: usize = memory.data(8 * 320);
const tableA: usize = memory.data(8 * 320);

@inline function addHiDigit(r: usize, d: i32, withT: bool): void {
  if (d > 0) ge_add_niels(r, r, ODD_TABLE_HI + <usize>(d >> 1) * NIELS, withT);
  else ge_sub_niels(r, r, ODD_TABLE_HI + <usize>((-d) >> 1) * NIELS, withT);
}

@inline function digitsAt(i: i32): i32 {
  return <i32>load<i8>(nafR + i) | <i32>load<i8>(nafA + i) | <i32>load<i8>(nafLo + i) | <i32>load<i8>(nafHi + i);
}

/**
 * 1 if [8](S B + h negA - R) is the identity, for h < L and s < L (32 bytes each) and points
 * negA (= -A) and R in extended form; acc is a POINT of scratch. Variable time.
 */
export function ge_cofactored_check_vartime(acc: usize, h: usize, negA: usize, s: usize, R: usize): i32 {
  tablesReady();
  const negative = sc_half_size(t, c1, h);
  // u = t S mod L, and -t R = |t| (t < 0 ? R : -R)
  sc_muladd(u, t, s, ZERO);
  if (negative) {
    sc_muladd(u, u, MINUS_ONE, ZERO);
    ge_copy(pointR, R);
  } else {
    ge_neg(pointR, R);
  }
  memory.fill(uLo, 0, 32);
  memory.copy(uLo, u, 16);
  memory.fill(uHi, 0, 32);
  memory.copy(uHi, u + 16, 16);
  let top = wnaf(nafR, t, P_WIDTH);
  let next = wnaf(nafA, c1, P_WIDTH);
  if (next > top) top = next;
  next = wnaf(nafLo, uLo, ODD_TABLE_WIDTH);
  if (next > top) top = next;
  next = wnaf(nafHi, uHi, ODD_TABLE_WIDTH);
  if (next > top) top = next;
  oddMultiples(tableR, pointR, P_ENTRIES);
  oddMultiples(tableA, negA, P_ENTRIES);
  ge_identity(acc);
  for (let i = top - 1; i >= 0; i--) {
    const dr = <i32>load<i8>(nafR + i), da = <i32>load<i8>(nafA + i);
    const dl = <i32>load<i8>(nafLo + i), dh = <i32>load<i8>(nafHi + i);
    if (dr != 0) addCachedDigit(acc, tableR, dr, true);
    if (da != 0) addCachedDigit(acc, tableA, da, true);
    if (dl != 0) addBaseDigit(acc, dl, true);
    if (dh != 0) addHiDigit(acc, dh, true);
    if (i > 0) ge_dbl(acc, acc, i == 1 || digitsAt(i - 1) != 0);
  }
  ge_mul8(acc, acc);
  return ge_is_identity(acc);
}
