// The incremental BLAKE3 hasher over a fixed-size state block the host owns (it keeps a copy
// and places it in WASM memory for each call, so cloning a hasher is copying bytes).
// Input is taken the way the reference hasher takes it: a partial chunk is buffered, whole
// power-of-two subtrees go straight to the bulk kernels, and chaining values wait on a stack
// that is merged lazily, so the root is only formed at finalize.
import { BLOCK_LEN, CHUNK_END, CHUNK_LEN, CHUNK_START, IV, PARENT, ROOT } from "./constants";
import { compress } from "./compress";
import { hashChunks, hashParents } from "./chunks";
import { ROOT_BLOCK, ROOT_CV, rootOutput } from "./output";

// State layout (bytes).
const KEY: usize = 0; // 8 key words
const CV: usize = 32; // chaining value of the current chunk
const BLOCK: usize = 64; // buffered block of the current chunk
const COUNTER: usize = 128; // u64 counter of the current chunk
const FLAGS: usize = 136; // mode flags (keyed / derive)
const BLOCK_FILL: usize = 140; // bytes in BLOCK
const BLOCKS_DONE: usize = 144; // blocks of the current chunk already compressed
const STACK_DEPTH: usize = 148; // chaining values on the stack
const STACK: usize = 160; // 32 bytes per entry
const MAX_DEPTH: usize = 55; // 54 levels cover 2^64 bytes, plus one awaiting its lazy merge

/** Bytes of one hasher state. */
export const STATE_SIZE: usize = STACK + MAX_DEPTH * 32;
/** Bytes of the state at `s` that hold data (the unused stack entries need not be copied). */
export function stateUsed(s: usize): usize {
  return STACK + <usize>load<u32>(s + STACK_DEPTH) * 32;
}

/** Largest subtree hashed in one go; its chunk chaining values fit in SUBTREE_CVS. */
const MAX_SUBTREE_CHUNKS: u32 = 1024;
const SUBTREE_CVS: usize = memory.data(<i32>MAX_SUBTREE_CHUNKS * 32, 16);
const TMP_CV: usize = memory.data(32, 16);
const PADDED: usize = memory.data(64, 16);

/** Fresh state at `s` for key words at `key` (0: the IV) and mode flags. */
export function init(s: usize, key: usize, flags: u32): void {
  const k = key == 0 ? IV : key;
  memory.copy(s + KEY, k, 32);
  memory.copy(s + CV, k, 32);
  memory.fill(s + BLOCK, 0, 64);
  store<u64>(s + COUNTER, 0);
  store<u32>(s + FLAGS, flags);
  store<u32>(s + BLOCK_FILL, 0);
  store<u32>(s + BLOCKS_DONE, 0);
  store<u32>(s + STACK_DEPTH, 0);
}

// @ts-ignore: decorator
@inline
function chunkLen(s: usize): u32 {
  return load<u32>(s + BLOCKS_DONE) * BLOCK_LEN + load<u32>(s + BLOCK_FILL);
}

// @ts-ignore: decorator
@inline
function startFlag(s: usize): u32 {
  return load<u32>(s + BLOCKS_DONE) == 0 ? CHUNK_START : 0;
}

/** Compresses one full block into the current chunk (never its last: more input follows). */
function chunkCompress(s: usize, block: usize): void {
  const counter = load<u64>(s + COUNTER);
  compress(s + CV, block, <u32>counter, <u32>(counter >> 32), BLOCK_LEN, load<u32>(s + FLAGS) | startFlag(s), s + CV);
  store<u32>(s + BLOCKS_DONE, load<u32>(s + BLOCKS_DONE) + 1);
}

/** Adds `len` bytes to the current chunk; the chunk must have room for them. */
function chunkUpdate(s: usize, input: usize, len: usize): void {
  while (len > 0) {
    let fill = load<u32>(s + BLOCK_FILL);
    if (fill == BLOCK_LEN) {
      chunkCompress(s, s + BLOCK);
      fill = 0;
    }
    if (fill == 0 && len > BLOCK_LEN) {
      chunkCompress(s, input);
      input += BLOCK_LEN;
      len -= BLOCK_LEN;
      store<u32>(s + BLOCK_FILL, 0);
      continue;
    }
    const take = min<usize>(BLOCK_LEN - fill, len);
    memory.copy(s + BLOCK + fill, input, take);
    store<u32>(s + BLOCK_FILL, fill + <u32>take);
    input += take;
    len -= take;
  }
}

/** The current chunk's last block, zero-padded, in PADDED. */
function paddedBlock(s: usize): usize {
  const fill = load<u32>(s + BLOCK_FILL);
  memory.copy(PADDED, s + BLOCK, fill);
  memory.fill(PADDED + fill, 0, BLOCK_LEN - fill);
  return PADDED;
}

/** Merges stack entries until as many remain as `chunks` (chunks before the next entry) has one bits. */
function mergeStack(s: usize, chunks: u64): void {
  const keep = <u32>popcnt(chunks);
  let depth = load<u32>(s + STACK_DEPTH);
  const flags = load<u32>(s + FLAGS) | PARENT;
  while (depth > keep) {
    // The top two entries are adjacent: together they are the parent's block.
    const pair = s + STACK + (<usize>depth - 2) * 32;
    compress(s + KEY, pair, 0, 0, BLOCK_LEN, flags, pair);
    depth--;
  }
  store<u32>(s + STACK_DEPTH, depth);
}

function pushCv(s: usize, cv: usize, chunksBefore: u64): void {
  mergeStack(s, chunksBefore);
  const depth = load<u32>(s + STACK_DEPTH);
  memory.copy(s + STACK + <usize>depth * 32, cv, 32);
  store<u32>(s + STACK_DEPTH, depth + 1);
}

/** Hashes a subtree of `chunks` (a power of two, at least 2) full chunks down to its two children, left at SUBTREE_CVS, right after it. */
function subtreeChildren(s: usize, input: usize, chunks: u32, counter: u64): void {
  const key = s + KEY;
  const flags = load<u32>(s + FLAGS);
  hashChunks(input, chunks, counter, key, flags, SUBTREE_CVS);
  for (let n = chunks; n > 2; n >>= 1) hashParents(SUBTREE_CVS, n >> 1, key, flags, SUBTREE_CVS);
}

/** Absorbs `len` bytes at `input`. */
export function update(s: usize, input: usize, len: usize): void {
  const filled = chunkLen(s);
  if (filled > 0) {
    const take = min<usize>(CHUNK_LEN - filled, len);
    chunkUpdate(s, input, take);
    input += take;
    len -= take;
    if (len == 0) return;
    // The chunk is full and more input follows, so it is not the root: finish it.
    const counter = load<u64>(s + COUNTER);
    compress(s + CV, paddedBlock(s), <u32>counter, <u32>(counter >> 32), load<u32>(s + BLOCK_FILL), load<u32>(s + FLAGS) | startFlag(s) | CHUNK_END, TMP_CV);
    pushCv(s, TMP_CV, counter);
    store<u64>(s + COUNTER, counter + 1);
    memory.copy(s + CV, s + KEY, 32);
    store<u32>(s + BLOCK_FILL, 0);
    store<u32>(s + BLOCKS_DONE, 0);
  }
  while (len > CHUNK_LEN) {
    const counter = load<u64>(s + COUNTER);
    // The largest power-of-two subtree that fits the input and starts on its own boundary.
    let chunks = min<u32>(MAX_SUBTREE_CHUNKS, <u32>1 << (31 - clz<u32>(<u32>min<usize>(len >> 10, MAX_SUBTREE_CHUNKS))));
    while ((counter & <u64>(chunks - 1)) != 0) chunks >>= 1;
    if (chunks == 1) {
      hashChunks(input, 1, counter, s + KEY, load<u32>(s + FLAGS), TMP_CV);
      pushCv(s, TMP_CV, counter);
    } else {
      // Both children are pushed unmerged: if the input ends here they form the root.
      subtreeChildren(s, input, chunks, counter);
      pushCv(s, SUBTREE_CVS, counter);
      pushCv(s, SUBTREE_CVS + 32, counter + (chunks >> 1));
    }
    store<u64>(s + COUNTER, counter + chunks);
    input += <usize>chunks << 10;
    len -= <usize>chunks << 10;
  }
  if (len > 0) {
    chunkUpdate(s, input, len);
    mergeStack(s, load<u64>(s + COUNTER));
  }
}

/**
 * Writes `outLen` bytes of output for everything absorbed so far, starting at output block
 * `firstBlock` (64 bytes each), so long outputs can be produced in pieces. The state is not changed.
 */
export function finalize(s: usize, out: usize, outLen: usize, firstBlock: u64): void {
  const flags = load<u32>(s + FLAGS);
  let depth = load<u32>(s + STACK_DEPTH);
  let blockLen: u32;
  let nodeFlags: u32;
  let counter: u64 = 0;
  if (depth == 0 || chunkLen(s) > 0) {
    memory.copy(ROOT_CV, s + CV, 32);
    memory.copy(ROOT_BLOCK, paddedBlock(s), 64);
    blockLen = load<u32>(s + BLOCK_FILL);
    nodeFlags = flags | startFlag(s) | CHUNK_END;
    counter = load<u64>(s + COUNTER);
  } else {
    // The chunk is empty: the top two entries are the children of the last subtree.
    depth -= 2;
    memory.copy(ROOT_CV, s + KEY, 32);
    memory.copy(ROOT_BLOCK, s + STACK + <usize>depth * 32, 64);
    blockLen = BLOCK_LEN;
    nodeFlags = flags | PARENT;
  }
  while (depth > 0) {
    // The pending node is a right child: its chaining value joins the next entry down.
    compress(ROOT_CV, ROOT_BLOCK, <u32>counter, <u32>(counter >> 32), blockLen, nodeFlags, ROOT_BLOCK + 32);
    depth--;
    memory.copy(ROOT_BLOCK, s + STACK + <usize>depth * 32, 32);
    memory.copy(ROOT_CV, s + KEY, 32);
    blockLen = BLOCK_LEN;
    nodeFlags = flags | PARENT;
    counter = 0;
  }
  rootOutput(blockLen, nodeFlags | ROOT, out, outLen, firstBlock);
}
