// SHA-256 leaf hashes H(0x00 ‖ leaf) when every leaf is short enough that its padded message is
// one 64-byte block (up to 54 bytes: 32-byte transaction or key hashes, the common case). Each
// block is built straight from the leaf, with no per-message bookkeeping, and the simd build
// compresses four leaves per pass. Its gain over the general many-message kernel shows in the
// sha256 `swarmguard simd` / `swarmguard scalar` rows of `bench merkle` (32-byte leaves,
// docs/bench/merkle.json). BLAKE3's general kernel already matches a one-block path, so it has none.
import { sha256Compress, sha256InitWords } from "../sha2/compress256";
import { sha256Compress4, sha256InitWords4 } from "../sha2/compress256x4";
import { sha256WriteDigest, sha256WriteDigests4 } from "../sha2/blocks256";

/** Longest leaf whose prefixed, padded message is one block (1 + 54 + 1 + 8 = 64). */
export const SHORT_LEAF: u32 = 54;

const blocks = memory.data(4 * 64, 16);
const state = memory.data(32, 16);
const state4 = memory.data(128, 16);

/** Writes the one padded block of 0x00 ‖ leaf at `block` (plain stores: bulk memory ops cost a call each). */
// @ts-ignore: decorator
@inline function leafBlock(block: usize, leaf: usize, len: usize): void {
  for (let k: usize = 0; k < 64; k += 8) store<u64>(block + k, 0);
  if (len == 32) {
    store<u64>(block + 1, load<u64>(leaf));
    store<u64>(block + 9, load<u64>(leaf + 8));
    store<u64>(block + 17, load<u64>(leaf + 16));
    store<u64>(block + 25, load<u64>(leaf + 24));
  } else {
    for (let k: usize = 0; k < len; k++) store<u8>(block + 1 + k, load<u8>(leaf + k));
  }
  store<u8>(block + 1 + len, 0x80);
  store<u64>(block + 56, bswap<u64>(<u64>(len + 1) << 3));
}

/** SHA-256 leaf hashes of `count` leaves, all at most SHORT_LEAF bytes, listed as (offset, length) pairs at `table`. */
export function sha256ShortLeaves(dataPtr: usize, table: usize, count: i32, outPtr: usize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= count; i += 4) {
      for (let l: usize = 0; l < 4; l++) {
        const entry = table + ((<usize>i + l) << 3);
        leafBlock(blocks + (l << 6), dataPtr + <usize>load<u32>(entry), <usize>load<u32>(entry, 4));
      }
      sha256InitWords4(state4);
      sha256Compress4(state4, blocks, blocks + 64, blocks + 128, blocks + 192);
      sha256WriteDigests4(state4, outPtr + (<usize>i << 5));
    }
  }
  for (; i < count; i++) {
    const entry = table + (<usize>i << 3);
    leafBlock(blocks, dataPtr + <usize>load<u32>(entry), <usize>load<u32>(entry, 4));
    sha256InitWords(state);
    sha256Compress(state, blocks, 1);
    sha256WriteDigest(state, outPtr + (<usize>i << 5));
  }
}

