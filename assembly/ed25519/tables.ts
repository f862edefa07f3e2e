// Precomputed multiples of the base point B, built on first use (about 320 inversions, a few
// milliseconds) rather than shipped as static data:
//   FIXED_TABLE[i][j] = (j + 1) * 256^i * B   for i < 32, j < 8   (constant-time signing)
//   ODD_TABLE[j]      = (2j + 1) * B           for j < 64          (wNAF width 8, verification)
//   ODD_TABLE_HI[j]   = (2j + 1) * 2^128 * B   for j < 64          (the high half of split scalars)
import { constantsReady } from "./constants";
import { ge_add_cached, ge_copy, ge_dbl, ge_frombytes, ge_to_cached, ge_to_niels, NIELS } from "./point";

export const FIXED_TABLE: usize = memory.data(32 * 8 * 240);
export const ODD_TABLE: usize = memory.data(64 * 240);
export const ODD_TABLE_HI: usize = memory.data(64 * 240);
export const ODD_TABLE_WIDTH: i32 = 8;

/** The standard encoding of B: y = 4/5, x even. */
const B_BYTES: usize = memory.data<u8>([
  0x58, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
  0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
]);

export const BASE: usize = memory.data(320);
const row: usize = memory.data(320);
const acc: usize = memory.data(320);
const step: usize = memory.data(320);

let built = false;

export function tablesReady(): void {
  if (built) return;
  constantsReady();
  ge_frombytes(BASE, B_BYTES, true);
  ge_copy(row, BASE);
  for (let i: usize = 0; i < 32; i++) {
    ge_to_cached(step, row);
    ge_copy(acc, row);
    for (let j: usize = 0; j < 8; j++) {
      ge_to_niels(FIXED_TABLE + (i * 8 + j) * NIELS, acc);
      ge_add_cached(acc, acc, step);
    }
    for (let k = 0; k < 8; k++) ge_dbl(row, row, k == 7);
  }
  oddNiels(ODD_TABLE, BASE);
  ge_copy(row, BASE);
  for (let k = 0; k < 128; k++) ge_dbl(row, row, k == 127);
  oddNiels(ODD_TABLE_HI, row);
  built = true;
}

/** table[j] = (2j + 1) p in affine niels form, j < 64. */
function oddNiels(table: usize, p: usize): void {
  ge_dbl(acc, p, true);
  ge_to_cached(step, acc);
  ge_copy(acc, p);
  for (let j: usize = 0; j < 64; j++) {
    ge_to_niels(table + j * NIELS, acc);
    ge_add_cached(acc, acc, step);
  }
}

