// Batch verification under the default (ZIP-215, cofactored) rule. With random 128-bit z_i from
// the host, a set of signatures is accepted when
//     [8] ( [sum z_i S_i] B - sum [z_i] R_i - sum [z_i h_i] A_i ) = 0,
// one multi-scalar multiplication for the whole set (Straus below PIPPENGER_MIN items, the
// bucket method above). Items that fail decoding (S >= L, A or R not on the curve) are marked
// invalid up front; when the combination fails, bisection re-checks halves until every invalid
// item is isolated, so the answer equals item-by-item verification: [8] removes small-order
// components, and a nonzero prime-order sum survives random z except with probability 2^-128.
import { sha512Final, sha512Init, sha512Update, SHA512_STATE_SIZE } from "../sha2/sha512";
import { addBaseDigit, addCachedDigit, ge_double_scalarmult_vartime, oddMultiples, P_ENTRIES, P_WIDTH } from "./doublemul";
import { ge_dbl, ge_frombytes, ge_identity, ge_is_identity, ge_mul8, ge_neg, ge_sub_cached, ge_to_cached, POINT } from "./point";
import { pippenger, PIPPENGER_MIN, pippengerWorkSize } from "./pippenger";
import { sc_is_canonical, sc_muladd, sc_reduce64 } from "./scalar";
import { BASE, ODD_TABLE_WIDTH, tablesReady } from "./tables";
import { wnaf } from "./wnaf";

// Per-item workspace record.
const EXT_A: usize = 0;                              // A (extended)
const EXT_R: usize = EXT_A + POINT;                  // R (extended)
const TABLE_A: usize = EXT_R + POINT;                // A, 3A, ..., 15A (cached); entry 0 always set
const TABLE_R: usize = TABLE_A + P_ENTRIES * POINT;  // R, 3R, ..., 15R (cached); entry 0 always set
const NAF_A: usize = TABLE_R + P_ENTRIES * POINT;    // wNAF of z h
const NAF_R: usize = NAF_A + 256;                    // wNAF of z
const ZH: usize = NAF_R + 256;                       // z h mod L
const Z: usize = ZH + 32;                            // z, zero-padded to 32 bytes
const H: usize = Z + 32;                             // h mod L
const TOP: usize = H + 32;                           // i32: 1 + highest nonzero wNAF digit (0 = tables not built yet)
export const BATCH_ITEM_WORK: usize = TOP + 16;

const hashState: usize = memory.data(<i32>SHA512_STATE_SIZE, 16);
const digest: usize = memory.data(64);
const negA: usize = memory.data(320);
const zero32: usize = memory.data(32);
const sumS: usize = memory.data(32);
const nafB: usize = memory.data(256);
const acc: usize = memory.data(320);
const cachedB: usize = memory.data(320);

let gSigs: usize = 0;
let gWork: usize = 0;
let gIndex: usize = 0;
let gOut: usize = 0;
let gMsm: usize = 0;

/** Bytes of workspace `ed25519_verify_batch` needs for n items. */
export function ed25519_batch_work_size(n: i32): usize {
  const items = <usize>n;
  return items * (BATCH_ITEM_WORK + 4) + 16 + (2 * items + 1) * 8 + pippengerWorkSize(2 * items + 1);
}

@inline function itemWork(k: usize): usize {
  return gWork + <usize>load<u32>(gIndex + k * 4) * BATCH_ITEM_WORK;
}

@inline function markValid(k: usize): void {
  store<u8>(gOut + <usize>load<u32>(gIndex + k * 4), 1);
}

/**
 * Verifies n signatures; out[i] = 1 (valid) or 0. sigs: n x 64 bytes (R ‖ S); pks: n x 32;
 * message i at msgs + offsets[i] .. msgs + offsets[i + 1] (n + 1 u32 offsets); coeffs: n x 16
 * random bytes; work: `ed25519_batch_work_size(n)` bytes. Returns the number of valid items.
 */
export function ed25519_verify_batch(n: i32, sigs: usize, pks: usize, msgs: usize, offsets: usize, coeffs: usize, out: usize, work: usize): i32 {
  tablesReady();
  const items = <usize>n;
  gSigs = sigs;
  gOut = out;
  gWork = work;
  gIndex = (work + items * BATCH_ITEM_WORK + 15) & ~<usize>15;
  gMsm = (gIndex + items * 4 + 15) & ~<usize>15;
  let m: usize = 0;
  for (let i: usize = 0; i < items; i++) {
    store<u8>(out + i, 0);
    const sig = sigs + i * 64;
    const pk = pks + i * 32;
    const w = work + i * BATCH_ITEM_WORK;
    if (!sc_is_canonical(sig + 32)) continue;
    if (!ge_frombytes(w + EXT_A, pk, false) || !ge_frombytes(w + EXT_R, sig, false)) continue;
    // h = SHA-512(R ‖ A ‖ M) mod L
    const start = load<u32>(offsets + i * 4), end = load<u32>(offsets + i * 4 + 4);
    sha512Init(hashState);
    sha512Update(hashState, sig, 32);
    sha512Update(hashState, pk, 32);
    sha512Update(hashState, msgs + start, end - start);
    sha512Final(hashState, digest);
    sc_reduce64(w + H, digest);
    memory.fill(w + Z, 0, 32);
    memory.copy(w + Z, coeffs + i * 16, 16);
    // A zero coefficient would hide its item; 1 is as good as any other value there.
    if ((load<u64>(w + Z) | load<u64>(w + Z, 8)) == 0) store<u8>(w + Z, 1);
    sc_muladd(w + ZH, w + Z, w + H, zero32);
    ge_to_cached(w + TABLE_A, w + EXT_A);
    ge_to_cached(w + TABLE_R, w + EXT_R);
    store<i32>(w + TOP, 0);
    store<u32>(gIndex + m * 4, <u32>i);
    m++;
  }
  if (m > 0) settle(0, m, false);
  let valid = 0;
  for (let i: usize = 0; i < items; i++) valid += load<u8>(out + i);
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

/** sumS = sum of z_i S_i mod L over the candidates gIndex[lo..hi). */
function sumScalars(lo: usize, hi: usize): void {
  memory.fill(sumS, 0, 32);
  for (let k = lo; k < hi; k++) {
    sc_muladd(sumS, itemWork(k) + Z, gSigs + <usize>load<u32>(gIndex + k * 4) * 64 + 32, sumS);
  }
}

/** true if [8](sum over gIndex[lo..hi) of z_i (S_i B - R_i - h_i A_i)) = 0. */
function check(lo: usize, hi: usize): bool {
  if (hi - lo == 1) {
    // One item: z changes nothing, so check [8](S B - h A - R) = 0 as single verification does.
    const w = itemWork(lo);
    ge_neg(negA, w + EXT_A);
    ge_double_scalarmult_vartime(acc, w + H, negA, gSigs + <usize>load<u32>(gIndex + lo * 4) * 64 + 32);
    ge_sub_cached(acc, acc, w + TABLE_R);
    ge_mul8(acc, acc);
    return ge_is_identity(acc) != 0;
  }
  sumScalars(lo, hi);
  if (hi - lo >= PIPPENGER_MIN) {
    msmPippenger(lo, hi);
  } else {
    msmStraus(lo, hi);
  }
  ge_mul8(acc, acc);
  return ge_is_identity(acc) != 0;
}

/** acc = the combination by the bucket method; B joins as one more point. */
function msmPippenger(lo: usize, hi: usize): void {
  const n = hi - lo;
  const ptrs = gMsm;
  const scalars = gMsm + (2 * n + 1) * 4;
  for (let k: usize = 0; k < n; k++) {
    const w = itemWork(lo + k);
    store<u32>(ptrs + k * 8, <u32>(w + TABLE_A) | 1);
    store<u32>(scalars + k * 8, <u32>(w + ZH));
    store<u32>(ptrs + k * 8 + 4, <u32>(w + TABLE_R) | 1);
    store<u32>(scalars + k * 8 + 4, <u32>(w + Z));
  }
  ge_to_cached(cachedB, BASE);
  store<u32>(ptrs + n * 8, <u32>cachedB);
  store<u32>(scalars + n * 8, <u32>sumS);
  pippenger(acc, 2 * n + 1, ptrs, scalars, (scalars + (2 * n + 1) * 4 + 15) & ~<usize>15);
}

/** acc = the combination by Straus: one doubling chain, per-item odd-multiple tables. */
function msmStraus(lo: usize, hi: usize): void {
  let top = wnaf(nafB, sumS, ODD_TABLE_WIDTH);
  for (let k = lo; k < hi; k++) {
    const w = itemWork(k);
    let t = load<i32>(w + TOP);
    if (t == 0) {
      // First Straus check of this item: build its tables and digits (kept for bisection).
      oddMultiples(w + TABLE_A, w + EXT_A, P_ENTRIES);
      oddMultiples(w + TABLE_R, w + EXT_R, P_ENTRIES);
      const topA = wnaf(w + NAF_A, w + ZH, P_WIDTH);
      const topR = wnaf(w + NAF_R, w + Z, P_WIDTH);
      t = topA > topR ? topA : topR;
      store<i32>(w + TOP, t);
    }
    if (t > top) top = t;
  }
  ge_identity(acc);
  for (let b = top - 1; b >= 0; b--) {
    for (let k = lo; k < hi; k++) {
      const w = itemWork(k);
      const da = <i32>load<i8>(w + NAF_A + b);
      if (da != 0) addCachedDigit(acc, w + TABLE_A, -da, true);
      const dr = <i32>load<i8>(w + NAF_R + b);
      if (dr != 0) addCachedDigit(acc, w + TABLE_R, -dr, true);
    }
    const db = <i32>load<i8>(nafB + b);
    if (db != 0) addBaseDigit(acc, db, true);
    if (b > 0) ge_dbl(acc, acc, true);
  }
}
