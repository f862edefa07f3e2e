// Whole messages: one message through the hasher, and many short messages four at a time
// across lanes (each a single chunk, so each lane is its own root).
import { BLOCK_LEN, CHUNK_END, CHUNK_LEN, CHUNK_START, IV, ROOT } from "./constants";
import { compress } from "./compress";
import { compress4 } from "./compress4";
import { STATE_SIZE, finalize, init, update } from "./hasher";
import { CV4, CV4_NEXT, MSG, loadBlocks4, splatWords4, storeCvs4 } from "./lanes";

const STATE: usize = memory.data(<i32>STATE_SIZE, 16);

/** `outLen` bytes of BLAKE3 of `len` bytes at `input` with key words at `key` (0: the IV) and mode flags. */
export function hashOne(input: usize, len: usize, key: usize, flags: u32, out: usize, outLen: usize): void {
  if (len <= CHUNK_LEN && outLen <= 32) {
    hashChunkRoot(input, <u32>len, key == 0 ? IV : key, flags, out, outLen);
    return;
  }
  init(STATE, key, flags);
  update(STATE, input, len);
  finalize(STATE, out, outLen, 0);
}

// Zero-padded copies of the last partial block of each lane, and each lane's digest.
const PAD4: usize = memory.data(4 * 64, 16);
const OUT4: usize = memory.data(4 * 32, 16);

/**
 * The address of block `b` of a message, copied zero-padded to `pad` when it is partial. A lane
 * whose message has ended copies nothing: even a zero-length copy traps when its source lies
 * past the end of memory, as `msg + start` does for a short message packed at the very end.
 */
function blockAt(msg: usize, len: u32, b: u32, pad: usize): usize {
  const start = b * BLOCK_LEN;
  if (start + BLOCK_LEN <= len) return msg + start;
  const have = len > start ? len - start : 0;
  if (have > 0) memory.copy(pad, msg + start, have);
  memory.fill(pad + have, 0, BLOCK_LEN - have);
  return pad;
}

// @ts-ignore: decorator
@inline
function blockCount(len: u32): u32 {
  return len == 0 ? 1 : (len + BLOCK_LEN - 1) / BLOCK_LEN;
}

/** `outLen` (at most 32) bytes of BLAKE3 of a single-chunk message: the chunk is the root. */
function hashChunkRoot(msg: usize, len: u32, key: usize, flags: u32, out: usize, outLen: usize): void {
  const last = blockCount(len) - 1;
  let cv = key;
  for (let b: u32 = 0; b < last; b++) {
    compress(cv, msg + b * BLOCK_LEN, 0, 0, BLOCK_LEN, flags | (b == 0 ? CHUNK_START : 0), OUT4);
    cv = OUT4;
  }
  const block = blockAt(msg, len, last, PAD4);
  compress(cv, block, 0, 0, len - last * BLOCK_LEN, flags | (last == 0 ? CHUNK_START : 0) | CHUNK_END | ROOT, OUT4);
  memory.copy(out, OUT4, outLen);
}

/** Table entries (indices) of the messages waiting for a lane. */
const LANE_IDX: usize = memory.data(16, 16);

/** Hashes the `lanes` (1..4) single-chunk messages listed at LANE_IDX side by side; unused lanes repeat lane 0. */
function hashLanes(buf: usize, table: usize, lanes: u32, key: usize, flags: u32, out: usize, outLen: usize): void {
  let ptr0: usize = 0, ptr1: usize = 0, ptr2: usize = 0, ptr3: usize = 0;
  let len0: u32 = 0, len1: u32 = 0, len2: u32 = 0, len3: u32 = 0;
  for (let i: u32 = 0; i < 4; i++) {
    const lane = <usize>(i < lanes ? i : <u32>0);
    const e = table + (<usize>load<u32>(LANE_IDX + (lane << 2)) << 3);
    const p = buf + load<u32>(e);
    const n = load<u32>(e, 4);
    if (i == 0) { ptr0 = p; len0 = n; }
    else if (i == 1) { ptr1 = p; len1 = n; }
    else if (i == 2) { ptr2 = p; len2 = n; }
    else { ptr3 = p; len3 = n; }
  }
  const last0 = blockCount(len0) - 1, last1 = blockCount(len1) - 1, last2 = blockCount(len2) - 1, last3 = blockCount(len3) - 1;
  const allActive = min(min(last0, last1), min(last2, last3));
  const blocks = max(max(last0, last1), max(last2, last3)) + 1;
  const zero = i32x4.splat(0);
  const end = CHUNK_END | ROOT;
  splatWords4(key, 8, CV4);
  for (let b: u32 = 0; b < blocks; b++) {
    loadBlocks4(blockAt(ptr0, len0, b, PAD4), blockAt(ptr1, len1, b, PAD4 + 64), blockAt(ptr2, len2, b, PAD4 + 128), blockAt(ptr3, len3, b, PAD4 + 192), MSG);
    const f = flags | (b == 0 ? CHUNK_START : 0);
    const off = b * BLOCK_LEN;
    const lenV = i32x4(
      b == last0 ? len0 - off : BLOCK_LEN,
      b == last1 ? len1 - off : BLOCK_LEN,
      b == last2 ? len2 - off : BLOCK_LEN,
      b == last3 ? len3 - off : BLOCK_LEN,
    );
    const flagV = i32x4(f | (b == last0 ? end : 0), f | (b == last1 ? end : 0), f | (b == last2 ? end : 0), f | (b == last3 ? end : 0));
    if (b <= allActive) {
      compress4(CV4, MSG, zero, zero, lenV, flagV, CV4);
    } else {
      // Some lanes are finished: keep their chaining values.
      const active = i32x4(b <= last0 ? -1 : 0, b <= last1 ? -1 : 0, b <= last2 ? -1 : 0, b <= last3 ? -1 : 0);
      compress4(CV4, MSG, zero, zero, lenV, flagV, CV4_NEXT);
      for (let i: usize = 0; i < 128; i += 16) {
        v128.store(CV4 + i, v128.bitselect(v128.load(CV4_NEXT + i), v128.load(CV4 + i), active));
      }
    }
  }
  storeCvs4(CV4, OUT4, 32);
  for (let i: u32 = 0; i < lanes; i++) {
    memory.copy(out + <usize>load<u32>(LANE_IDX + (<usize>i << 2)) * outLen, OUT4 + (<usize>i << 5), outLen);
  }
}

/**
 * Hashes `count` messages described by the table at `table` (per message: u32 offset from `buf`,
 * u32 length) to `outLen` bytes each, consecutively at `out`.
 */
export function hashMany(buf: usize, table: usize, count: u32, key: usize, flags: u32, out: usize, outLen: usize): void {
  const k = key == 0 ? IV : key;
  let pending: u32 = 0;
  for (let i: u32 = 0; i < count; i++) {
    const e = table + (<usize>i << 3);
    const msg = buf + load<u32>(e);
    const len = load<u32>(e, 4);
    const dst = out + <usize>i * outLen;
    if (len > CHUNK_LEN || outLen > 32) {
      hashOne(msg, len, k, flags, dst, outLen);
    } else if (ASC_FEATURE_SIMD) {
      // Single-chunk messages wait for a free lane.
      store<u32>(LANE_IDX + (<usize>pending << 2), i);
      if (++pending == 4) {
        hashLanes(buf, table, 4, k, flags, out, outLen);
        pending = 0;
      }
    } else {
      hashChunkRoot(msg, len, k, flags, dst, outLen);
    }
  }
  if (ASC_FEATURE_SIMD) {
    if (pending > 0) hashLanes(buf, table, pending, k, flags, out, outLen);
  }
}
