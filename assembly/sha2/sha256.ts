// SHA-256 (FIPS 180-4) over flat memory: streaming over a caller-owned state block, one-shot
// digest, and the two batch kernels (many messages, packed 64-byte pairs) that cross from JS
// into WASM once per batch. Importable by other AssemblyScript modules (Merkle trees, ECVRF).
import { PADDING_64, preparePrefixedPair, sha256WriteDigest } from "./blocks256";
import { sha256Compress, sha256InitWords } from "./compress256";
import { sha256CompressSimdSchedule } from "./compress256v";
import { hashManyLanes, hashPairsLanes } from "./sha256x4";

/** Bytes of a streaming state block: H (32), total length (u64), buffer fill (u32), block buffer (64). */
export const SHA256_STATE_SIZE: usize = 128;
export const SHA256_DIGEST_SIZE: usize = 32;
export const SHA256_BLOCK_SIZE: usize = 64;

/** Blocks per compression call (see sha256Update). */
const CHUNK_BLOCKS: usize = 64;
const LENGTH: usize = 32;
const FILL: usize = 40;
const BUFFER: usize = 64;

/** State for the one-shot functions: kernels never allocate, and calls never nest. */
const oneShotState = memory.data(<i32>SHA256_STATE_SIZE, 16);
/** Two blocks laid out as prefix ‖ 64-byte pair ‖ padding for 65-byte messages. */
const prefixedPair = memory.data(128, 16);

export function sha256Init(state: usize): void {
  sha256InitWords(state);
  store<u64>(state, 0, LENGTH);
  store<u32>(state, 0, FILL);
}

export function sha256Update(state: usize, ptr: usize, len: usize): void {
  if (len == 0) return;
  store<u64>(state, load<u64>(state, LENGTH) + <u64>len, LENGTH);
  let fill = <usize>load<u32>(state, FILL);
  if (fill > 0) {
    const take = min(SHA256_BLOCK_SIZE - fill, len);
    memory.copy(state + BUFFER + fill, ptr, take);
    fill += take;
    ptr += take;
    len -= take;
    if (fill < SHA256_BLOCK_SIZE) {
      store<u32>(state, <u32>fill, FILL);
      return;
    }
    compressBlocks(state, state + BUFFER, 1);
  }
  // Runs of at most CHUNK_BLOCKS per call: V8 first runs a function in its baseline tier and
  // switches to optimized code only at the next call, so one call over a whole large input
  // would run in the (here ~100x slower) baseline code from start to end.
  for (let blocks = len >> 6; blocks > 0; ) {
    const run = min(blocks, CHUNK_BLOCKS);
    compressBlocks(state, ptr, run);
    ptr += run << 6;
    blocks -= run;
  }
  len &= 63;
  memory.copy(state + BUFFER, ptr, len);
  store<u32>(state, <u32>len, FILL);
}

/** The simd build computes the message schedule four words at a time. */
// @ts-ignore: decorator
@inline function compressBlocks(state: usize, block: usize, blocks: usize): void {
  if (ASC_FEATURE_SIMD) sha256CompressSimdSchedule(state, block, blocks);
  else sha256Compress(state, block, blocks);
}

/** Pads, compresses the last block(s) and writes the 32-byte digest. Consumes the state. */
export function sha256Final(state: usize, outPtr: usize): void {
  const fill = <usize>load<u32>(state, FILL);
  const buf = state + BUFFER;
  store<u8>(buf + fill, 0x80);
  if (fill >= 56) {
    memory.fill(buf + fill + 1, 0, 63 - fill);
    compressBlocks(state, buf, 1);
    memory.fill(buf, 0, 56);
  } else {
    memory.fill(buf + fill + 1, 0, 55 - fill);
  }
  store<u64>(buf, bswap<u64>(load<u64>(state, LENGTH) << 3), 56);
  compressBlocks(state, buf, 1);
  sha256WriteDigest(state, outPtr);
}

export function sha256Digest(ptr: usize, len: usize, outPtr: usize): void {
  sha256Init(oneShotState);
  sha256Update(oneShotState, ptr, len);
  sha256Final(oneShotState, outPtr);
}

/** Whether the table lists `count` messages of 64 bytes each, the i-th at offset 64 i. */
function backToBack64(tablePtr: usize, count: i32): bool {
  for (let i = 0; i < count; i++) {
    const entry = tablePtr + (<usize>i << 3);
    if (load<u32>(entry) != <u32>(i << 6) || load<u32>(entry, 4) != 64) return false;
  }
  return true;
}

/**
 * SHA-256 of `count` messages whose (offset from `dataPtr`, length) u32 pairs are at `tablePtr`;
 * digest i goes to `outPtr + 32 i`. The simd build runs four messages per pass.
 */
export function sha256HashMany(dataPtr: usize, tablePtr: usize, count: i32, outPtr: usize): void {
  if (ASC_FEATURE_SIMD) {
    // Messages of 64 bytes each, back to back (node pairs, signatures, keys): the pairs kernel's
    // four-lane path, which skips the general one's per-lane bookkeeping and schedules.
    if (backToBack64(tablePtr, count)) sha256HashPairs(dataPtr, outPtr, count, -1);
    else hashManyLanes(dataPtr, tablePtr, count, outPtr);
    return;
  }
  for (let i = 0; i < count; i++) {
    const entry = tablePtr + (<usize>i << 3);
    sha256Digest(dataPtr + <usize>load<u32>(entry), <usize>load<u32>(entry, 4), outPtr + (<usize>i << 5));
  }
}

/**
 * SHA-256 of `count` consecutive 64-byte inputs at `inPtr`, each preceded by the byte `prefix`
 * when `prefix >= 0` (RFC 9162 node hashes use 0x01), into `count * 32` bytes at `outPtr`.
 */
export function sha256HashPairs(inPtr: usize, outPtr: usize, count: i32, prefix: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) i = hashPairsLanes(inPtr, outPtr, count, prefix);
  if (i >= count) return;
  const state = oneShotState;
  if (prefix >= 0) preparePrefixedPair(prefixedPair, <u8>prefix);
  for (; i < count; i++) {
    const input = inPtr + (<usize>i << 6);
    sha256InitWords(state);
    if (prefix >= 0) {
      memory.copy(prefixedPair + 1, input, 64);
      sha256Compress(state, prefixedPair, 2);
    } else {
      // A full compression of the constant block, not a precomputed-schedule variant: running one
      // compression function twice was measured faster than two (instruction-cache pressure).
      sha256Compress(state, input, 1);
      sha256Compress(state, PADDING_64, 1);
    }
    sha256WriteDigest(state, outPtr + (<usize>i << 5));
  }
}
