// SHA-512 (FIPS 180-4) over flat memory: streaming over a caller-owned state block and a
// one-shot digest. Ed25519 and ECVRF import these from AssemblyScript.
import { sha512Compress, sha512InitWords } from "./compress512";

/** Bytes of a streaming state block: H (64), total length (u64), buffer fill (u32), pad, block buffer (128). */
export const SHA512_STATE_SIZE: usize = 256;
export const SHA512_DIGEST_SIZE: usize = 64;
export const SHA512_BLOCK_SIZE: usize = 128;

/** Blocks per compression call (see sha512Update). */
const CHUNK_BLOCKS: usize = 64;
const LENGTH: usize = 64;
const FILL: usize = 72;
const BUFFER: usize = 128;

const oneShotState = memory.data(<i32>SHA512_STATE_SIZE, 16);

export function sha512Init(state: usize): void {
  sha512InitWords(state);
  store<u64>(state, 0, LENGTH);
  store<u32>(state, 0, FILL);
}

export function sha512Update(state: usize, ptr: usize, len: usize): void {
  if (len == 0) return;
  store<u64>(state, load<u64>(state, LENGTH) + <u64>len, LENGTH);
  let fill = <usize>load<u32>(state, FILL);
  if (fill > 0) {
    const take = min(SHA512_BLOCK_SIZE - fill, len);
    memory.copy(state + BUFFER + fill, ptr, take);
    fill += take;
    ptr += take;
    len -= take;
    if (fill < SHA512_BLOCK_SIZE) {
      store<u32>(state, <u32>fill, FILL);
      return;
    }
    sha512Compress(state, state + BUFFER, 1);
  }
  // Runs of at most CHUNK_BLOCKS per call, so large inputs switch to V8's optimized code as soon
  // as it is ready (see sha256Update).
  for (let blocks = len >> 7; blocks > 0; ) {
    const run = min(blocks, CHUNK_BLOCKS);
    sha512Compress(state, ptr, run);
    ptr += run << 7;
    blocks -= run;
  }
  len &= 127;
  memory.copy(state + BUFFER, ptr, len);
  store<u32>(state, <u32>len, FILL);
}

/** Pads, compresses the last block(s) and writes the 64-byte digest. Consumes the state. */
export function sha512Final(state: usize, outPtr: usize): void {
  const fill = <usize>load<u32>(state, FILL);
  const buf = state + BUFFER;
  store<u8>(buf + fill, 0x80);
  if (fill >= 112) {
    memory.fill(buf + fill + 1, 0, 127 - fill);
    sha512Compress(state, buf, 1);
    memory.fill(buf, 0, 112);
  } else {
    memory.fill(buf + fill + 1, 0, 111 - fill);
  }
  // The 128-bit big-endian bit length; byte lengths fit in 64 bits, so the high word is len >> 61.
  const bytes = load<u64>(state, LENGTH);
  store<u64>(buf, bswap<u64>(bytes >>> 61), 112);
  store<u64>(buf, bswap<u64>(bytes << 3), 120);
  sha512Compress(state, buf, 1);
  for (let j: usize = 0; j < 64; j += 8) store<u64>(outPtr + j, bswap<u64>(load<u64>(state + j)));
}

export function sha512Digest(ptr: usize, len: usize, outPtr: usize): void {
  sha512Init(oneShotState);
  sha512Update(oneShotState, ptr, len);
  sha512Final(oneShotState, outPtr);
}
