// Four-lane (i32x4) SHA-256 batch kernels of the simd build: four independent messages are
// compressed per pass, one per lane. Only reached under ASC_FEATURE_SIMD.
import { PADDING_64, padTail, preparePrefixedPair, sha256WriteDigest, sha256WriteDigests4 } from "./blocks256";
import { sha256InitWords } from "./compress256";
import { sha256Compress4, sha256InitWords4 } from "./compress256x4";
import { sha256CompressSimdSchedule } from "./compress256v";

/** Lane state: 8 v128, vector j holding word j of lanes 0..3. */
const state4 = memory.data(128, 16);
/** Per lane, a two-block buffer (prefixed pair, or a message's padded tail). */
const laneBuffers = memory.data(4 * 128, 16);
/** Fed to idle lanes; their result is ignored. */
const idleBlock = memory.data(64, 16);
const initialWords = memory.data(32, 16);
/** Scalar state that finishes the last busy lanes. */
const lastLane = memory.data(32, 16);

/** Where one lane stands in its current message. */
@unmanaged class Lane {
  /** Next block to compress. */
  block: usize;
  /** Full 64-byte blocks of the message still ahead (then the padded tail). */
  full: i32;
  /** All blocks still ahead; 0 when the lane is idle. */
  left: i32;
  tail: usize;
  out: usize;
}
const laneRecords = memory.data(4 * 32, 16);

// @ts-ignore: decorator
@inline function lane(l: usize): Lane {
  return changetype<Lane>(laneRecords + (l << 5));
}

/** Hashes the pairs in whole groups of four; returns how many it did (the caller does the rest). */
export function hashPairsLanes(inPtr: usize, outPtr: usize, count: i32, prefix: i32): i32 {
  const whole = count & ~3;
  if (prefix >= 0) {
    for (let l: usize = 0; l < 4; l++) preparePrefixedPair(laneBuffers + (l << 7), <u8>prefix);
  }
  const b0 = laneBuffers, b1 = laneBuffers + 128, b2 = laneBuffers + 256, b3 = laneBuffers + 384;
  for (let i = 0; i < whole; i += 4) {
    const input = inPtr + (<usize>i << 6);
    sha256InitWords4(state4);
    if (prefix >= 0) {
      memory.copy(b0 + 1, input, 64);
      memory.copy(b1 + 1, input + 64, 64);
      memory.copy(b2 + 1, input + 128, 64);
      memory.copy(b3 + 1, input + 192, 64);
      sha256Compress4(state4, b0, b1, b2, b3);
      sha256Compress4(state4, b0 + 64, b1 + 64, b2 + 64, b3 + 64);
    } else {
      // The padding block goes through the same function: a precomputed-schedule variant saved
      // little and, as a second large function, made speed depend on code placement.
      sha256Compress4(state4, input, input + 64, input + 128, input + 192);
      sha256Compress4(state4, PADDING_64, PADDING_64, PADDING_64, PADDING_64);
    }
    sha256WriteDigests4(state4, outPtr + (<usize>i << 5));
  }
  return whole;
}

function startMessage(l: usize, dataPtr: usize, entry: usize, outPtr: usize): void {
  const ptr = dataPtr + <usize>load<u32>(entry);
  const len = <usize>load<u32>(entry, 4);
  const rem = len & 63;
  const r = lane(l);
  r.tail = laneBuffers + (l << 7);
  r.full = <i32>(len >> 6);
  r.left = r.full + padTail(r.tail, ptr + len - rem, rem, <u64>len);
  r.block = r.full > 0 ? ptr : r.tail;
  r.out = outPtr;
  for (let j: usize = 0; j < 8; j++) store<u32>(state4 + (j << 4) + (l << 2), load<u32>(initialWords + (j << 2)));
}

/** Moves lane `r` past the block it just compressed. */
// @ts-ignore: decorator
@inline function advance(r: Lane): void {
  r.left--;
  if (r.full > 0) {
    r.full--;
    r.block = r.full == 0 ? r.tail : r.block + 64;
  } else {
    r.block += 64;
  }
}

// @ts-ignore: decorator
@inline function laneBlock(l: usize): usize {
  const r = lane(l);
  return r.left > 0 ? r.block : idleBlock;
}

/** Single-stream compression in runs of 64 blocks (why: see sha256Update). */
function compressRuns(state: usize, block: usize, blocks: usize): void {
  while (blocks > 0) {
    const run = min(blocks, 64);
    sha256CompressSimdSchedule(state, block, run);
    block += run << 6;
    blocks -= run;
  }
}

/**
 * Multi-buffer SHA-256: each lane walks its own message block by block and takes the next
 * message as soon as it finishes, so unequal lengths keep all lanes busy. Once the list is
 * exhausted and at most two lanes are still busy, they are finished one at a time by the
 * single-stream compression: a four-lane pass costs about as much as three single blocks.
 */
export function hashManyLanes(dataPtr: usize, tablePtr: usize, count: i32, outPtr: usize): void {
  sha256InitWords(initialWords);
  let next = 0;
  let busy = 0;
  for (let l: usize = 0; l < 4; l++) {
    if (next < count) {
      startMessage(l, dataPtr, tablePtr + (<usize>next << 3), outPtr + (<usize>next << 5));
      next++;
      busy++;
    } else {
      lane(l).left = 0;
    }
  }
  while (busy > 2) {
    sha256Compress4(state4, laneBlock(0), laneBlock(1), laneBlock(2), laneBlock(3));
    for (let l: usize = 0; l < 4; l++) {
      const r = lane(l);
      if (r.left == 0) continue;
      advance(r);
      if (r.left > 0) continue;
      for (let j: usize = 0; j < 8; j++) {
        store<u32>(r.out + (j << 2), bswap<u32>(load<u32>(state4 + (j << 4) + (l << 2))));
      }
      if (next < count) {
        startMessage(l, dataPtr, tablePtr + (<usize>next << 3), outPtr + (<usize>next << 5));
        next++;
      } else {
        busy--;
      }
    }
  }
  for (let l: usize = 0; l < 4; l++) {
    const r = lane(l);
    if (r.left == 0) continue;
    for (let j: usize = 0; j < 8; j++) store<u32>(lastLane + (j << 2), load<u32>(state4 + (j << 4) + (l << 2)));
    if (r.full > 0) {
      compressRuns(lastLane, r.block, <usize>r.full);
      compressRuns(lastLane, r.tail, <usize>(r.left - r.full));
    } else {
      compressRuns(lastLane, r.block, <usize>r.left);
    }
    sha256WriteDigest(lastLane, r.out);
  }
}
