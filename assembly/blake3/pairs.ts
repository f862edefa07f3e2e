// BLAKE3 of many consecutive 64-byte inputs (Merkle node pairs), each optionally preceded by
// a one-byte domain prefix. Each message is a single chunk, so each is its own root.
import { BLOCK_LEN, CHUNK_END, CHUNK_START, IV, ROOT } from "./constants";
import { compress } from "./compress";
import { compress4 } from "./compress4";
import { CV4, MSG, loadBlocks4, splatWords4, storeCvs4 } from "./lanes";

const ONE_BLOCK: u32 = CHUNK_START | CHUNK_END | ROOT;
// A prefixed pair is 65 bytes: two blocks, the second holding one byte.
const PREFIXED = memory.data(128, 16);
const CV = memory.data(32, 16);

/** The prefixed message (prefix ‖ 64 bytes at `pair`) hashed with the portable compression. */
function hashPrefixed(pair: usize, prefix: u32, out: usize): void {
  store<u8>(PREFIXED, <u8>prefix);
  memory.copy(PREFIXED + 1, pair, 64);
  compress(IV, PREFIXED, 0, 0, BLOCK_LEN, CHUNK_START, CV);
  compress(CV, PREFIXED + 64, 0, 0, 1, CHUNK_END | ROOT, out);
}

/** Shifts the transposed message at MSG up by one byte (prefix in front); the byte pushed out of word 15 is returned in lanes. */
function shiftInPrefix4(prefix: u32): v128 {
  let carry = i32x4.splat(prefix);
  for (let i: usize = 0; i < 256; i += 16) {
    const w = v128.load(MSG + i);
    v128.store(MSG + i, v128.or(i32x4.shl(w, 8), carry));
    carry = i32x4.shr_u(w, 24);
  }
  return carry;
}

/**
 * Writes BLAKE3(prefix ‖ pair) — or BLAKE3(pair) when `prefix` < 0 — of `count` consecutive
 * 64-byte pairs at `inPtr`, 32 bytes each, consecutively at `outPtr`.
 */
export function blake3HashPairs(inPtr: usize, outPtr: usize, count: i32, prefix: i32): void {
  const n = <u32>max(count, 0);
  let i: u32 = 0;
  if (ASC_FEATURE_SIMD) {
    const zero = i32x4.splat(0);
    const full = i32x4.splat(BLOCK_LEN);
    for (; i + 4 <= n; i += 4) {
      const p = inPtr + (<usize>i << 6);
      loadBlocks4(p, p + 64, p + 128, p + 192, MSG);
      splatWords4(IV, 8, CV4);
      if (prefix < 0) {
        compress4(CV4, MSG, zero, zero, full, i32x4.splat(ONE_BLOCK), CV4);
      } else {
        const last = shiftInPrefix4(<u32>prefix & 0xff);
        compress4(CV4, MSG, zero, zero, full, i32x4.splat(CHUNK_START), CV4);
        v128.store(MSG, last);
        for (let j: usize = 16; j < 256; j += 16) v128.store(MSG + j, zero);
        compress4(CV4, MSG, zero, zero, i32x4.splat(1), i32x4.splat(CHUNK_END | ROOT), CV4);
      }
      storeCvs4(CV4, outPtr + (<usize>i << 5), 32);
    }
  }
  for (; i < n; i++) {
    const p = inPtr + (<usize>i << 6);
    const out = outPtr + (<usize>i << 5);
    if (prefix < 0) compress(IV, p, 0, 0, BLOCK_LEN, ONE_BLOCK, out);
    else hashPrefixed(p, <u32>prefix & 0xff, out);
  }
}
