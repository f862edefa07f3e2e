// r = a * P in constant time for a variable point P (ECVRF proving: Gamma = x H, V = k H):
// 64 signed radix-16 digits, a table of P..8P in cached form built per call, and every
// table entry scanned with masked moves, so no branch or address depends on a.
import { sc_recode_radix16 } from "./scalar";
import { fe_cmov, fe_neg, fe_one, fe_zero } from "./field";
import { ge_add_cached, ge_copy, ge_dbl, ge_identity, ge_to_cached, POINT } from "./point";

const table: usize = memory.data(8 * 320);
const digits: usize = memory.data(64 * 4);
const pick: usize = memory.data(320);
const negated: usize = memory.data(320);
const multiple: usize = memory.data(320);

@inline function eq(a: u32, b: u32): i64 {
  return <i64>(((a ^ b) - 1) >>> 31);
}

function cachedCmov(r: usize, c: usize, flag: i64): void {
  fe_cmov(r, c, flag);
  fe_cmov(r + 80, c + 80, flag);
  fe_cmov(r + 160, c + 160, flag);
  fe_cmov(r + 240, c + 240, flag);
}

/** pick = b * P (cached) for a digit b in [-8, 8]. */
function select(b: i32): void {
  const neg = <u32>b >>> 31;
  const abs = <u32>(b - ((-neg & b) << 1));
  // cached identity: Y+X = 1, Y-X = 1, Z = 1, 2dT = 0
  fe_one(pick);
  fe_one(pick + 80);
  fe_one(pick + 160);
  fe_zero(pick + 240);
  for (let j: u32 = 1; j <= 8; j++) cachedCmov(pick, table + <usize>(j - 1) * POINT, eq(abs, j));
  // -(Y+X, Y-X, Z, 2dT) = (Y-X, Y+X, Z, -2dT)
  memory.copy(negated, pick + 80, 80);
  memory.copy(negated + 80, pick, 80);
  memory.copy(negated + 160, pick + 160, 80);
  fe_neg(negated + 240, pick + 240);
  cachedCmov(pick, negated, <i64>neg);
}

/** r = a * p for a 32-byte a with a[31] <= 127 (r may be p). */
export function ge_scalarmult_ct(r: usize, a: usize, p: usize): void {
  ge_to_cached(table, p);
  ge_copy(multiple, p);
  for (let j: usize = 1; j < 8; j++) {
    ge_add_cached(multiple, multiple, table);
    ge_to_cached(table + j * POINT, multiple);
  }
  sc_recode_radix16(digits, a);
  ge_identity(r);
  for (let i = 63; i >= 0; i--) {
    select(load<i32>(digits + <usize>i * 4));
    ge_add_cached(r, r, pick);
    if (i > 0) {
      ge_dbl(r, r, false);
      ge_dbl(r, r, false);
      ge_dbl(r, r, false);
      ge_dbl(r, r, true);
    }
  }
  memory.fill(digits, 0, 64 * 4);
  memory.fill(pick, 0, POINT);
  memory.fill(negated, 0, POINT);
  memory.fill(table, 0, 8 * POINT);
  memory.fill(multiple, 0, POINT);
}
