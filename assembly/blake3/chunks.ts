// Whole chunks to chaining values, and one tree level of parents: the bulk work of BLAKE3.
// The simd build does four chunks (or parents) per compress4 call; leftovers and the scalar
// build use the portable compression.
import { BLOCK_LEN, CHUNK_END, CHUNK_LEN, CHUNK_START, PARENT } from "./constants";
import { compress } from "./compress";
import { compress4 } from "./compress4";
import { CV4, MSG, counterHi4, counterLo4, loadBlocks4, splatWords4, storeCvs4 } from "./lanes";

/** Chaining value of the full 1024-byte chunk at `input` with chunk counter `counter`. */
function hashChunk(input: usize, counter: u64, key: usize, flags: u32, out: usize): void {
  const lo = <u32>counter;
  const hi = <u32>(counter >> 32);
  compress(key, input, lo, hi, BLOCK_LEN, flags | CHUNK_START, out);
  for (let b: u32 = 1; b < 15; b++) compress(out, input + b * BLOCK_LEN, lo, hi, BLOCK_LEN, flags, out);
  compress(out, input + 15 * BLOCK_LEN, lo, hi, BLOCK_LEN, flags | CHUNK_END, out);
}

/** Chaining values of the four full chunks at `input` with counters counter .. counter+3. */
function hashChunks4(input: usize, counter: u64, key: usize, flags: u32, out: usize): void {
  const lo = counterLo4(counter);
  const hi = counterHi4(counter);
  const len = i32x4.splat(BLOCK_LEN);
  splatWords4(key, 8, CV4);
  for (let b: u32 = 0; b < 16; b++) {
    const p = input + b * BLOCK_LEN;
    loadBlocks4(p, p + CHUNK_LEN, p + 2 * CHUNK_LEN, p + 3 * CHUNK_LEN, MSG);
    let f = flags;
    if (b == 0) f |= CHUNK_START;
    if (b == 15) f |= CHUNK_END;
    compress4(CV4, MSG, lo, hi, len, i32x4.splat(f), CV4);
  }
  storeCvs4(CV4, out, 32);
}

/** Chaining values (32 bytes each, to `out`) of `count` full chunks at `input`, the first with counter `counter`. */
export function hashChunks(input: usize, count: u32, counter: u64, key: usize, flags: u32, out: usize): void {
  let i: u32 = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= count; i += 4) hashChunks4(input + i * CHUNK_LEN, counter + i, key, flags, out + i * 32);
  }
  for (; i < count; i++) hashChunk(input + i * CHUNK_LEN, counter + i, key, flags, out + i * 32);
}

/**
 * One tree level: the parent chaining values of `count` adjacent child pairs (64 bytes each) at
 * `input`, 32 bytes each to `out`. `out` may equal `input`: each group is read before it is written.
 */
export function hashParents(input: usize, count: u32, key: usize, flags: u32, out: usize): void {
  const f = flags | PARENT;
  let i: u32 = 0;
  if (ASC_FEATURE_SIMD) {
    const zero = i32x4.splat(0);
    const len = i32x4.splat(BLOCK_LEN);
    const fv = i32x4.splat(f);
    for (; i + 4 <= count; i += 4) {
      const p = input + i * 64;
      loadBlocks4(p, p + 64, p + 128, p + 192, MSG);
      splatWords4(key, 8, CV4);
      compress4(CV4, MSG, zero, zero, len, fv, CV4);
      storeCvs4(CV4, out + i * 32, 32);
    }
  }
  for (; i < count; i++) compress(key, input + i * 64, 0, 0, BLOCK_LEN, f, out + i * 32);
}
