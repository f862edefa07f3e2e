// Block layouts and digest writers shared by the scalar and the four-lane SHA-256 kernels.

/** The second block of every 64-byte message: 0x80, zeros, then the bit length 512 big-endian. */
export const PADDING_64 = memory.data<u8>([
  0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x00,
], 16);

/** Writes the 8 native-endian state words at `state` as the big-endian 32-byte digest. */
// @ts-ignore: decorator
@inline export function sha256WriteDigest(state: usize, outPtr: usize): void {
  for (let j: usize = 0; j < 32; j += 4) store<u32>(outPtr + j, bswap<u32>(load<u32>(state + j)));
}

/**
 * Writes lanes 0..3 of the four-lane state at `state4` (8 v128, vector j holding word j of each
 * lane) as four consecutive big-endian digests at `outPtr`. Only reached under ASC_FEATURE_SIMD.
 */
export function sha256WriteDigests4(state4: usize, outPtr: usize): void {
  for (let half: usize = 0; half < 2; half++) {
    // Words 4·half .. 4·half + 3 of the four lanes, transposed to lane order.
    const w0 = v128.load(state4 + (half << 6)), w1 = v128.load(state4 + (half << 6), 16);
    const w2 = v128.load(state4 + (half << 6), 32), w3 = v128.load(state4 + (half << 6), 48);
    const lo01 = i32x4.shuffle(w0, w1, 0, 4, 1, 5), hi01 = i32x4.shuffle(w0, w1, 2, 6, 3, 7);
    const lo23 = i32x4.shuffle(w2, w3, 0, 4, 1, 5), hi23 = i32x4.shuffle(w2, w3, 2, 6, 3, 7);
    const at = outPtr + (half << 4);
    v128.store(at, bigEndian(i32x4.shuffle(lo01, lo23, 0, 1, 4, 5)), 0);
    v128.store(at, bigEndian(i32x4.shuffle(lo01, lo23, 2, 3, 6, 7)), 32);
    v128.store(at, bigEndian(i32x4.shuffle(hi01, hi23, 0, 1, 4, 5)), 64);
    v128.store(at, bigEndian(i32x4.shuffle(hi01, hi23, 2, 3, 6, 7)), 96);
  }
}

/** Byte-swaps each 32-bit lane. */
// @ts-ignore: decorator
@inline function bigEndian(x: v128): v128 {
  return i8x16.shuffle(x, x, 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
}

/**
 * Fills a 128-byte, two-block buffer for a 65-byte message `prefix ‖ 64 bytes`, all but the
 * 64 bytes at `buf + 1`, which the caller copies in per message.
 */
export function preparePrefixedPair(buf: usize, prefix: u8): void {
  store<u8>(buf, prefix);
  store<u8>(buf, 0x80, 65);
  memory.fill(buf + 66, 0, 54);
  store<u64>(buf, bswap<u64>(65 * 8), 120);
}

/**
 * Writes the last `rem` (< 64) bytes of a `len`-byte message at `src` with its padding into
 * the 128-byte buffer `tail`; returns how many blocks (1 or 2) the padded tail fills.
 */
export function padTail(tail: usize, src: usize, rem: usize, len: u64): i32 {
  memory.copy(tail, src, rem);
  store<u8>(tail + rem, 0x80);
  const blocks: i32 = rem < 56 ? 1 : 2;
  const lengthAt = tail + (<usize>blocks << 6) - 8;
  memory.fill(tail + rem + 1, 0, lengthAt - (tail + rem + 1));
  store<u64>(lengthAt, bswap<u64>(len << 3));
  return blocks;
}
