// Multi-scalar multiplication by the bucket method (Pippenger) for large batches, in variable
// time: r = sum of +-s_i P_i over n points given in cached form, each with its extended form
// stored just before it (POINT bytes lower), which fills an empty bucket without an addition. Scalars (< 2^253) are recoded
// into signed radix-2^c digits in [-2^(c-1), 2^(c-1)]; for each window from the top, every point
// is added to (or subtracted from) the bucket of its digit's magnitude, and the buckets are
// summed with a running sum, so a window costs about n + 2^c additions.
import { ge_add_cached, ge_copy, ge_dbl, ge_identity, ge_neg, ge_sub_cached, ge_to_cached, POINT } from "./point";

/** Below this many items Straus (per-point tables, shared doublings) is faster. */
export const PIPPENGER_MIN: usize = 192;
const MAX_C: i32 = 12;
const MAX_WINDOWS: i32 = 64;

const padded: usize = memory.data(48);
const running: usize = memory.data(320);
const total: usize = memory.data(320);
const cached: usize = memory.data(320);

/** Bytes of work memory `pippenger` needs for n points. */
export function pippengerWorkSize(n: usize): usize {
  return n * <usize>MAX_WINDOWS * 2 + (<usize>1 << <usize>(MAX_C - 1)) * (POINT + 1) + 64;
}

/** The window width minimizing (windows) x (points + buckets), bounded to [4, MAX_C]. */
function windowBits(n: usize): i32 {
  let best = 4;
  let bestCost: f64 = Infinity;
  for (let c = 4; c <= MAX_C; c++) {
    const windows = <f64>((253 + c) / c);
    const cost = windows * (<f64>n + <f64>(1 << c));
    if (cost < bestCost) {
      bestCost = cost;
      best = c;
    }
  }
  return best;
}

/**
 * r = sum_i (+-) s_i P_i. ptrs: n u32 addresses of cached points (each right after its extended
 * form), bit 0 set = subtract;
 * scalars: n u32 addresses of 32-byte scalars (< 2^253); work: pippengerWorkSize(n) bytes.
 */
export function pippenger(r: usize, n: usize, ptrs: usize, scalars: usize, work: usize): void {
  const c = windowBits(n);
  const windows = (253 + c) / c;
  const half: i32 = 1 << (c - 1);
  const digits = work;
  const buckets = (work + n * <usize>windows * 2 + 15) & ~<usize>15;
  const mask: u64 = (<u64>1 << <u64>c) - 1;
  // Signed digits, stored window-major so a window's pass reads them in order.
  memory.fill(padded + 32, 0, 16);
  for (let i: usize = 0; i < n; i++) {
    memory.copy(padded, <usize>load<u32>(scalars + i * 4), 32);
    let carry: i32 = 0;
    for (let w = 0; w < windows; w++) {
      const bit = w * c;
      const raw = <i32>((load<u64>(padded + <usize>(bit >> 3)) >> <u64>(bit & 7)) & mask) + carry;
      carry = (raw + half) >> c;
      store<i16>(digits + (<usize>w * n + i) * 2, <i16>(raw - (carry << c)));
    }
  }
  const filled = buckets + (<usize>half) * POINT;
  ge_identity(r);
  for (let w = windows - 1; w >= 0; w--) {
    for (let k = 0; k < c; k++) ge_dbl(r, r, k == c - 1);
    memory.fill(filled, 0, <usize>half);
    const row = digits + <usize>w * n * 2;
    let used = 0;
    for (let i: usize = 0; i < n; i++) {
      const d = <i32>load<i16>(row + i * 2);
      if (d == 0) continue;
      const entry = <usize>load<u32>(ptrs + i * 4);
      const p = entry & ~<usize>1;
      const negative = (d < 0) != ((entry & 1) != 0);
      const mag = d > 0 ? d : -d;
      const b = <usize>(mag - 1);
      const bucket = buckets + b * POINT;
      if (load<u8>(filled + b) == 0) {
        store<u8>(filled + b, 1);
        if (negative) ge_neg(bucket, p - POINT);
        else ge_copy(bucket, p - POINT);
      } else if (negative) {
        ge_sub_cached(bucket, bucket, p);
      } else {
        ge_add_cached(bucket, bucket, p);
      }
      if (mag > used) used = mag;
    }
    if (used == 0) continue;
    // sum_b b * bucket[b] = sum over b of (bucket[top] + ... + bucket[b]); bucket[used - 1] is filled.
    ge_copy(running, buckets + <usize>(used - 1) * POINT);
    ge_copy(total, running);
    for (let b = used - 2; b >= 0; b--) {
      if (load<u8>(filled + <usize>b) != 0) {
        ge_to_cached(cached, buckets + <usize>b * POINT);
        ge_add_cached(running, running, cached);
      }
      ge_to_cached(cached, running);
      ge_add_cached(total, total, cached);
    }
    ge_to_cached(cached, total);
    ge_add_cached(r, r, cached);
  }
}
