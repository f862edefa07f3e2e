// Batch verification under the default (ZIP-215, cofactored) rule. With random 128-bit z_i from
// the host, a set of signatures is accepted when
//     [8] ( [sum z_i S_i] B - sum [z_i] R_i - sum_A [sum_{i: A_i = A} z_i h_i] A ) = 0,
// one multi-scalar multiplication for the whole set (Straus below PIPPENGER_MIN items, the
// bucket method above). Signatures under the same public key share one decoded A and one term
// of the sum, as in ed25519-zebra's batch verifier: a consensus batch holds many votes per key.
// Items that fail decoding (S >= L, A or R not on the curve) are marked invalid up front; when
// the combination fails, bisection re-checks halves until every invalid item is isolated, so
// the answer equals item-by-item verification: [8] removes small-order components, and a
// nonzero prime-order sum survives random z except with probability 2^-128.
import { sha512Final, sha512Init, sha512Update, SHA512_STATE_SIZE } from "../sha2/sha512";
import { ge_cofactored_check_vartime } from "./cofactored";
import { addBaseDigit, oddMultiples, P_ENTRIES, P_WIDTH } from "./doublemul";
import { ge_add_cached_signed, ge_copy, ge_dbl, ge_frombytes, ge_identity, ge_is_identity, ge_mul8, ge_neg, ge_to_cached, POINT } from "./point";
import { pippenger, PIPPENGER_MIN, pippengerWorkSize } from "./pippenger";
import { sc_is_canonical, sc_mul_acc, sc_muladd, sc_reduce64, sc_reduce_acc } from "./scalar";
import { BASE, ODD_TABLE_WIDTH, tablesReady } from "./tables";
import { wnaf, wnafList } from "./wnaf";

// Per-item record: R with its table and digits, z and h.
const EXT_R: usize = 0;
const TABLE_R: usize = EXT_R + POINT;                // R, 3R, ..., 15R (cached); entry 0 always set, right after EXT_R
const NAF_R: usize = TABLE_R + P_ENTRIES * POINT;    // nonzero wNAF digits of z, as (row, digit) byte pairs
const Z: usize = NAF_R + 256;                        // z, zero-padded to 32 bytes
const H: usize = Z + 32;                             // h = SHA-512(R ‖ A ‖ M) mod L
const KEY: usize = H + 32;                           // u32: index of the item's key record
const TOP_R: usize = KEY + 4;                        // i32: 1 + highest nonzero digit of z (0 = not built yet)
const COUNT_R: usize = TOP_R + 4;                    // i32: pairs in NAF_R
const ITEM_SIZE: usize = TOP_R + 12;

// Per-key record: A with its table, and the key's scalar in the current check.
const EXT_A: usize = 0;
const TABLE_A: usize = EXT_A + POINT;                // A, 3A, ..., 15A (cached); entry 0 always set, right after EXT_A
const NAF_A: usize = TABLE_A + P_ENTRIES * POINT;    // nonzero wNAF digits of SUM, as (row, digit) byte pairs
const SUM: usize = NAF_A + 256;                      // sum of z_i h_i over the check's items with this key
const PK: usize = SUM + 32;                          // u32: address of the key's 32 bytes
const STAMP: usize = PK + 4;                         // u32: the check that last reset SUM
const TOP_A: usize = STAMP + 4;                      // i32: 1 + highest nonzero digit of SUM
const STATE: usize = TOP_A + 4;                      // u32: 0 = undecoded, 1 = valid, 2 = not a point; bit 2: odd multiples built
const COUNT_A: usize = STATE + 4;                    // i32: pairs in NAF_A
const KEY_SIZE: usize = COUNT_A + 12;                // (16-byte aligned)
const TABLE_BUILT: u32 = 4;

const hashState: usize = memory.data(<i32>SHA512_STATE_SIZE, 16);
const digest: usize = memory.data(64);
const sumS: usize = memory.data(32);
// sum z_i S_i before its one reduction (24 limbs of 21 bits, see scalar.ts).
const sumAcc: usize = memory.data(24 * 8);
/** 21-bit limbs of a 128-bit coefficient z. */
const Z_LIMBS: usize = 7;
const nafB: usize = memory.data(256);
const acc: usize = memory.data(320);
// B in extended form followed by its cached form (the bucket method wants both, adjacent).
const baseB: usize = memory.data(640);
const negA: usize = memory.data(320);
const rowEnd: usize = memory.data(257 * 4);

let gSigs: usize = 0;
let gOut: usize = 0;
let gItems: usize = 0;
let gKeys: usize = 0;
let gSlots: usize = 0;
let gSlotMask: usize = 0;
let gIndex: usize = 0;
let gActive: usize = 0;
let gMsm: usize = 0;
let gEnd: usize = 0;
let gCheck: u32 = 0;

/** Lays out the workspace of n items from `work`; gEnd is where it ends. */
function layout(n: usize, work: usize): void {
  let slots: usize = 4;
  while (slots < 2 * n) slots <<= 1;
  gItems = work;
  gKeys = gItems + n * ITEM_SIZE;
  gSlots = gKeys + n * KEY_SIZE;
  gSlotMask = slots - 1;
  gIndex = gSlots + slots * 4;
  gActive = gIndex + n * 4;
  gMsm = gActive + n * 4;
  gEnd = ((gMsm + (2 * n + 1) * 8 + 15) & ~<usize>15) + pippengerWorkSize(2 * n + 1);
}

/** Bytes of workspace `ed25519VerifyBatch` needs for n items. */
export function ed25519BatchWorkSize(n: i32): usize {
  layout(<usize>n, 0);
  return gEnd + 16;
}

@inline function itemAt(k: usize): usize {
  return gItems + <usize>load<u32>(gIndex + k * 4) * ITEM_SIZE;
}

@inline function keyOf(item: usize): usize {
  return gKeys + <usize>load<u32>(item + KEY) * KEY_SIZE;
}

@inline function markValid(k: usize): void {
  store<u8>(gOut + <usize>load<u32>(gIndex + k * 4), 1);
}

/** The record of public key pk (32 bytes), created on first sight; `count` = keys so far. */
function findKey(pk: usize, count: usize): usize {
  const w0 = load<u64>(pk), w1 = load<u64>(pk, 8), w2 = load<u64>(pk, 16), w3 = load<u64>(pk, 24);
  let slot = <usize>(<u32>(w0 ^ (w0 >> 29) ^ w3) * 0x9e3779b1 >> 7) & gSlotMask;
  while (true) {
    const id = <usize>load<u32>(gSlots + slot * 4);
    if (id == 0) {
      store<u32>(gSlots + slot * 4, <u32>(count + 1));
      const key = gKeys + count * KEY_SIZE;
      store<u32>(key + PK, <u32>pk);
      store<u32>(key + STATE, 0);
      store<u32>(key + STAMP, 0);
      return key;
    }
    const key = gKeys + (id - 1) * KEY_SIZE;
    const other = <usize>load<u32>(key + PK);
    if (load<u64>(other) == w0 && load<u64>(other, 8) == w1 && load<u64>(other, 16) == w2 && load<u64>(other, 24) == w3) return key;
    slot = (slot + 1) & gSlotMask;
  }
}

/**
 * Verifies n signatures; out[i] = 1 (valid) or 0. sigs: n x 64 bytes (R ‖ S); pks: n x 32;
 * messages listed as (offset from `msgs`, length) u32 pairs at `table`, the layout of every
 * many-message kernel; coeffs: n x 16 random bytes; work: `ed25519BatchWorkSize(n)` bytes.
 * Returns the number of valid items.
 */
export function ed25519VerifyBatch(n: i32, sigs: usize, pks: usize, msgs: usize, table: usize, coeffs: usize, out: usize, work: usize): i32 {
  tablesReady();
  const count = <usize>n;
  layout(count, work);
  memory.fill(gSlots, 0, (gSlotMask + 1) * 4);
  gSigs = sigs;
  gOut = out;
  gCheck = 0;
  let keys: usize = 0;
  let m: usize = 0;
  for (let i: usize = 0; i < count; i++) {
    store<u8>(out + i, 0);
    const sig = sigs + i * 64;
    const pk = pks + i * 32;
    const item = gItems + i * ITEM_SIZE;
    if (!sc_is_canonical(sig + 32)) continue;
    const key = findKey(pk, keys);
    const state = load<u32>(key + STATE);
    if (state == 0) {
      keys++;
      const ok = ge_frombytes(key + EXT_A, pk, false);
      store<u32>(key + STATE, ok ? 1 : 2);
      if (!ok) continue;
      ge_to_cached(key + TABLE_A, key + EXT_A);
    } else if (state == 2) {
      continue;
    }
    if (!ge_frombytes(item + EXT_R, sig, false)) continue;
    // h = SHA-512(R ‖ A ‖ M) mod L
    const entry = table + (i << 3);
    sha512Init(hashState);
    sha512Update(hashState, sig, 32);
    sha512Update(hashState, pk, 32);
    sha512Update(hashState, msgs + <usize>load<u32>(entry), <usize>load<u32>(entry, 4));
    sha512Final(hashState, digest);
    sc_reduce64(item + H, digest);
    memory.fill(item + Z, 0, 32);
    memory.copy(item + Z, coeffs + i * 16, 16);
    // A zero coefficient would hide its item; 1 is as good as any other value there.
    if ((load<u64>(item + Z) | load<u64>(item + Z, 8)) == 0) store<u8>(item + Z, 1);
    ge_to_cached(item + TABLE_R, item + EXT_R);
    store<u32>(item + KEY, <u32>((key - gKeys) / KEY_SIZE));
    store<i32>(item + TOP_R, 0);
    store<u32>(gIndex + m * 4, <u32>i);
    m++;
  }
  if (m > 0) settle(0, m, false);
  let valid = 0;
  for (let i: usize = 0; i < count; i++) valid += load<u8>(out + i);
  return valid;
}

/**
 * Decides the candidates gIndex[lo..hi): all valid if their combination is zero, else split.
 * `knownBad` = the caller already knows this set's combination is nonzero.
 */
function settle(lo: usize, hi: usize, knownBad: bool): void {
  if (!knownBad && check(lo, hi)) {
    for (let k = lo; k < hi; k++) markValid(k);
    return;
  }
  if (hi - lo == 1) return;
  const mid = lo + ((hi - lo) >> 1);
  const leftGood = check(lo, mid);
  if (leftGood) {
    for (let k = lo; k < mid; k++) markValid(k);
  } else {
    settle(lo, mid, true);
  }
  // The whole set failed, so if the left half sums to zero the right half cannot.
  settle(mid, hi, leftGood);
}

/**
 * sumS = sum of z_i S_i; each key's SUM = sum of z_i h_i over its items in gIndex[lo..hi);
 * gActive lists the keys involved. Returns their number.
 */
function sumScalars(lo: usize, hi: usize): usize {
  gCheck++;
  memory.fill(sumAcc, 0, 24 * 8);
  let active: usize = 0;
  for (let k = lo; k < hi; k++) {
    const item = itemAt(k);
    const key = keyOf(item);
    sc_mul_acc(sumAcc, item + Z, gSigs + <usize>load<u32>(gIndex + k * 4) * 64 + 32, Z_LIMBS);
    if (load<u32>(key + STAMP) != gCheck) {
      store<u32>(key + STAMP, gCheck);
      memory.fill(key + SUM, 0, 32);
      store<u32>(gActive + active * 4, <u32>key);
      active++;
    }
    sc_muladd(key + SUM, item + Z, item + H, key + SUM, Z_LIMBS);
  }
  sc_reduce_acc(sumS, sumAcc);
  return active;
}

/** true if [8](sum over gIndex[lo..hi) of z_i (S_i B - R_i - h_i A_i)) = 0. */
function check(lo: usize, hi: usize): bool {
  if (hi - lo == 1) {
    // One item: z changes nothing, so check [8](S B - h A - R) = 0 as single verification does.
    const item = itemAt(lo);
    ge_neg(negA, keyOf(item) + EXT_A);
    return ge_cofactored_check_vartime(acc, item + H, negA, gSigs + <usize>load<u32>(gIndex + lo * 4) * 64 + 32, item + EXT_R) != 0;
  }
  const active = sumScalars(lo, hi);
  if (hi - lo >= PIPPENGER_MIN) msmPippenger(lo, hi, active);
  else msmStraus(lo, hi, active);
  ge_mul8(acc, acc);
  return ge_is_identity(acc) != 0;
}

/** acc = the combination by the bucket method: every R_i, every key's A, and B. */
function msmPippenger(lo: usize, hi: usize, active: usize): void {
  const ptrs = gMsm;
  const points = (hi - lo) + active + 1;
  const scalars = gMsm + points * 4;
  let p: usize = 0;
  for (let k = lo; k < hi; k++) {
    const item = itemAt(k);
    store<u32>(ptrs + p * 4, <u32>(item + TABLE_R) | 1);
    store<u32>(scalars + p * 4, <u32>(item + Z));
    p++;
  }
  for (let j: usize = 0; j < active; j++) {
    const key = <usize>load<u32>(gActive + j * 4);
    store<u32>(ptrs + p * 4, <u32>(key + TABLE_A) | 1);
    store<u32>(scalars + p * 4, <u32>(key + SUM));
    p++;
  }
  ge_copy(baseB, BASE);
  ge_to_cached(baseB + POINT, BASE);
  store<u32>(ptrs + p * 4, <u32>(baseB + POINT));
  store<u32>(scalars + p * 4, <u32>sumS);
  pippenger(acc, points, ptrs, scalars, (scalars + points * 4 + 15) & ~<usize>15);
}

/**
 * Visits a column's (row, digit) pairs: without `place`, counts them per row into
 * rowEnd[row + 1]; with it, appends (table, digit) to its row's events, advancing rowEnd[row].
 */
@inline function scanDigits(pairs: usize, count: i32, table: usize, place: bool): void {
  for (let k: usize = 0; k < <usize>count; k++) {
    const row = <usize>load<u8>(pairs + (k << 1));
    if (place) {
      const slot = <usize>load<u32>(rowEnd + row * 4);
      store<u32>(rowEnd + row * 4, <u32>(slot + 1));
      store<u32>(gMsm + slot * 8, <u32>table);
      store<i32>(gMsm + slot * 8 + 4, <i32>load<i8>(pairs + (k << 1), 1));
    } else {
      store<u32>(rowEnd + row * 4 + 4, load<u32>(rowEnd + row * 4 + 4) + 1);
    }
  }
}

/** 1 + the row of the last (highest) of `count` (row, digit) pairs, 0 for none. */
@inline function topOf(pairs: usize, count: i32): i32 {
  return count == 0 ? 0 : <i32>load<u8>(pairs + (<usize>(count - 1) << 1)) + 1;
}

/** Lists every column's digits by row at gMsm: row b's additions end at rowEnd[b], start at rowEnd[b - 1]. */
function sortDigits(lo: usize, hi: usize, active: usize, place: bool): void {
  for (let k = lo; k < hi; k++) {
    const item = itemAt(k);
    scanDigits(item + NAF_R, load<i32>(item + COUNT_R), item + TABLE_R, place);
  }
  for (let j: usize = 0; j < active; j++) {
    const key = <usize>load<u32>(gActive + j * 4);
    scanDigits(key + NAF_A, load<i32>(key + COUNT_A), key + TABLE_A, place);
  }
}

/** acc = the combination by Straus: one doubling chain, odd-multiple tables per R_i and per key. */
function msmStraus(lo: usize, hi: usize, active: usize): void {
  let top = wnaf(nafB, sumS, ODD_TABLE_WIDTH);
  for (let k = lo; k < hi; k++) {
    const item = itemAt(k);
    let t = load<i32>(item + TOP_R);
    if (t == 0) {
      // First Straus check of this item: its table and digits are kept for bisection.
      oddMultiples(item + TABLE_R, item + EXT_R, P_ENTRIES);
      const count = wnafList(item + NAF_R, item + Z, P_WIDTH);
      t = topOf(item + NAF_R, count);
      store<i32>(item + TOP_R, t);
      store<i32>(item + COUNT_R, count);
    }
    if (t > top) top = t;
  }
  for (let j: usize = 0; j < active; j++) {
    const key = <usize>load<u32>(gActive + j * 4);
    const state = load<u32>(key + STATE);
    if ((state & TABLE_BUILT) == 0) {
      oddMultiples(key + TABLE_A, key + EXT_A, P_ENTRIES);
      store<u32>(key + STATE, state | TABLE_BUILT);
    }
    const count = wnafList(key + NAF_A, key + SUM, P_WIDTH);
    const t = topOf(key + NAF_A, count);
    store<i32>(key + TOP_A, t);
    store<i32>(key + COUNT_A, count);
    if (t > top) top = t;
  }
  // Counting sort of all digits by row (the work area of the bucket method is free here).
  memory.fill(rowEnd, 0, 257 * 4);
  sortDigits(lo, hi, active, false);
  for (let b: usize = 1; b <= 256; b++) store<u32>(rowEnd + b * 4, load<u32>(rowEnd + b * 4) + load<u32>(rowEnd + (b - 1) * 4));
  sortDigits(lo, hi, active, true);
  ge_identity(acc);
  for (let b = top - 1; b >= 0; b--) {
    const end = <usize>load<u32>(rowEnd + <usize>b * 4);
    for (let e: usize = b == 0 ? 0 : <usize>load<u32>(rowEnd + <usize>(b - 1) * 4); e < end; e++) {
      const d = -load<i32>(gMsm + e * 8 + 4);
      const sign = d >> 31;
      const magnitude = (d ^ sign) - sign;
      // Entry 0 of every table is the decoded point itself, whose Z is exactly 1.
      const entry = <usize>load<u32>(gMsm + e * 8) + <usize>(magnitude >> 1) * POINT;
      ge_add_cached_signed(acc, acc, entry, sign != 0, magnitude == 1);
    }
    const db = <i32>load<i8>(nafB + b);
    if (db != 0) addBaseDigit(acc, db, true);
    if (b > 0) ge_dbl(acc, acc, true);
  }
}
