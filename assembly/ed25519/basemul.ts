// r = a * B in constant time (signing, key generation, VRF proving): 64 signed radix-16 digits
// in [-8, 8], one addition per digit from FIXED_TABLE with every entry of the row scanned by a
// masked move, so neither branches nor memory addresses depend on the scalar.
import { fe_neg } from "./field";
import { ge_add_niels, ge_dbl, ge_identity, NIELS, niels_cmov, niels_identity } from "./point";
import { sc_recode_radix16 } from "./scalar";
import { FIXED_TABLE, tablesReady } from "./tables";

const digits: usize = memory.data(64 * 4);
const pick: usize = memory.data(240);
const negated: usize = memory.data(240);

/** 1 if a == b for 0 <= a, b < 2^31, without a branch. */
@inline function eq(a: u32, b: u32): i64 {
  return <i64>(((a ^ b) - 1) >>> 31);
}

/** pick = b * 256^pos * B for a digit b in [-8, 8]. */
function select(pos: usize, b: i32): void {
  const neg = <u32>b >>> 31;
  const abs = <u32>(b - ((-neg & b) << 1));
  niels_identity(pick);
  const rowBase = FIXED_TABLE + pos * 8 * NIELS;
  for (let j: u32 = 1; j <= 8; j++) niels_cmov(pick, rowBase + <usize>(j - 1) * NIELS, eq(abs, j));
  // -(y+x, y-x, 2dxy) = (y-x, y+x, -2dxy)
  memory.copy(negated, pick + 80, 80);
  memory.copy(negated + 80, pick, 80);
  fe_neg(negated + 160, pick + 160);
  niels_cmov(pick, negated, <i64>neg);
}

/** r = a * B for a 32-byte little-endian a with a[31] <= 127. */
export function ge_scalarmult_base(r: usize, a: usize): void {
  tablesReady();
  sc_recode_radix16(digits, a);

  ge_identity(r);
  for (let i: usize = 1; i < 64; i += 2) {
    select(i >> 1, load<i32>(digits + i * 4));
    ge_add_niels(r, r, pick);
  }
  ge_dbl(r, r, false);
  ge_dbl(r, r, false);
  ge_dbl(r, r, false);
  ge_dbl(r, r, true);
  for (let i: usize = 0; i < 64; i += 2) {
    select(i >> 1, load<i32>(digits + i * 4));
    ge_add_niels(r, r, pick);
  }
  memory.fill(digits, 0, 64 * 4);
  memory.fill(pick, 0, 240);
  memory.fill(negated, 0, 240);
}
