// RFC 9162 §2.1 Merkle tree kernels over flat memory. A tree is a table of level addresses:
// level L holds its complete nodes only (node i covers leaves [i·2^L, (i+1)·2^L)), 32 bytes
// each, so a tree of n leaves stores floor(n / 2^L) nodes at level L. Incomplete right-edge
// subtrees are folded from complete nodes on demand (`merkleRangeHashes`).
import { SHA256, digest, hashMessages, hashNodes } from "./hashing";
import { SHORT_LEAF, sha256ShortLeaves } from "./shortLeaves";

/** One 64-byte (left ‖ right) pair and one result, for folding single nodes. */
const pair = memory.data(64, 16);

// @ts-ignore: decorator
@inline function levelAt(table: usize, level: u32): usize {
  return <usize>load<u32>(table + (<usize>level << 2));
}

/** Digest of `len` bytes (no prefix): the empty tree's root is H(""). */
export function merkleDigest(hash: i32, ptr: usize, len: usize, outPtr: usize): void {
  digest(hash, ptr, len, outPtr);
}

/**
 * RFC 9162 leaf hashes H(0x00 ‖ leaf) of `count` leaves listed as (offset, length) u32 pairs at
 * `table` (offsets from `dataPtr`). The leaves are copied behind their prefix byte into
 * `scratch` (count·8 + Σ(length + 1) bytes) here rather than by the host, so packed batches
 * (the pool's shared buffers, a tree's append buffer) go in with one copy per chunk.
 */
export function merkleHashLeaves(hash: i32, dataPtr: usize, table: usize, count: i32, outPtr: usize, scratch: usize): void {
  if (hash == SHA256 && allShort(table, count)) {
    sha256ShortLeaves(dataPtr, table, count, outPtr);
    return;
  }
  const prefixedTable = scratch;
  const prefixed = scratch + (<usize>count << 3);
  let at: usize = 0;
  for (let i = 0; i < count; i++) {
    const entry = table + (<usize>i << 3);
    const len = <usize>load<u32>(entry, 4);
    store<u8>(prefixed + at, 0);
    memory.copy(prefixed + at + 1, dataPtr + <usize>load<u32>(entry), len);
    store<u32>(prefixedTable + (<usize>i << 3), <u32>at);
    store<u32>(prefixedTable + (<usize>i << 3), <u32>(len + 1), 4);
    at += len + 1;
  }
  hashMessages(hash, prefixed, prefixedTable, count, outPtr);
}

function allShort(table: usize, count: i32): bool {
  for (let i = 0; i < count; i++) {
    if (load<u32>(table + (<usize>i << 3), 4) > SHORT_LEAF) return false;
  }
  return true;
}

/**
 * Reduces `count` nodes at `buf` to their RFC 9162 root, level by level: pairs are hashed in
 * one batch per level and an odd last node moves up unchanged (the split at the largest power
 * of two gives exactly this shape). `tmp` holds (count + 1) / 2 nodes. The root ends at `buf`.
 */
export function merkleReduce(hash: i32, buf: usize, count: i32, tmp: usize): void {
  let src = buf;
  let dst = tmp;
  while (count > 1) {
    const pairs = count >> 1;
    hashNodes(hash, src, dst, pairs);
    if (count & 1) memory.copy(dst + (<usize>pairs << 5), src + (<usize>(count - 1) << 5), 32);
    count = pairs + (count & 1);
    const t = src;
    src = dst;
    dst = t;
  }
  if (src != buf) memory.copy(buf, src, 32);
}

/**
 * Adds the nodes completed when a tree grows from `oldSize` to `newSize` leaves (whose hashes
 * are already at level 0): one batch of pair hashes per level.
 */
export function merkleExtend(hash: i32, table: usize, levels: u32, oldSize: u32, newSize: u32): void {
  for (let level: u32 = 0; level + 1 < levels; level++) {
    const from = oldSize >> (level + 1);
    const to = newSize >> (level + 1);
    if (to == from) break;
    hashNodes(hash, levelAt(table, level) + (<usize>from << 6), levelAt(table, level + 1) + (<usize>from << 5), <i32>(to - from));
  }
}

/**
 * Replaces the leaf hashes at the `count` sorted, distinct indices `idx` (u32) with the hashes
 * at `hashes`, then recomputes their complete ancestors level by level: each shared parent is
 * hashed once, and each level is one batch. `idx` is overwritten; `scratch` holds count·96 bytes.
 */
export function merkleUpdate(hash: i32, table: usize, levels: u32, size: u32, idx: usize, hashes: usize, count: i32, scratch: usize): void {
  const level0 = levelAt(table, 0);
  for (let k = 0; k < count; k++) {
    memory.copy(level0 + (<usize>load<u32>(idx + (<usize>k << 2)) << 5), hashes + (<usize>k << 5), 32);
  }
  for (let level: u32 = 0; level + 1 < levels && count > 0; level++) {
    const child = levelAt(table, level);
    const parentCount = size >> (level + 1);
    let m = 0;
    for (let k = 0; k < count; k++) {
      const q = load<u32>(idx + (<usize>k << 2)) >> 1;
      if (q >= parentCount) break;
      if (m > 0 && load<u32>(idx + (<usize>(m - 1) << 2)) == q) continue;
      store<u32>(idx + (<usize>m << 2), q);
      memory.copy(scratch + (<usize>m << 6), child + (<usize>q << 6), 64);
      m++;
    }
    const out = scratch + (<usize>m << 6);
    hashNodes(hash, scratch, out, m);
    const parent = levelAt(table, level + 1);
    for (let k = 0; k < m; k++) {
      memory.copy(parent + (<usize>load<u32>(idx + (<usize>k << 2)) << 5), out + (<usize>k << 5), 32);
    }
    count = m;
  }
}

/**
 * Writes at `out` the hash of leaves [lo, hi), where lo is a multiple of a power of two
 * ≥ hi − lo > 0 (every subtree of RFC 9162 PATH and SUBPROOF has this shape): the complete
 * subtrees of the binary decomposition of hi − lo, folded from the right.
 */
function rangeHash(hash: i32, table: usize, lo: u32, hi: u32, out: usize): void {
  const width = hi - lo;
  let first = true;
  for (let level: u32 = 0; level < 32; level++) {
    if (((width >> level) & 1) == 0) continue;
    const start = lo + ((width >> level >> 1) << (level + 1));
    const node = levelAt(table, level) + (<usize>(start >> level) << 5);
    if (first) {
      memory.copy(out, node, 32);
      first = false;
    } else {
      memory.copy(pair, node, 32);
      memory.copy(pair + 32, out, 32);
      hashNodes(hash, pair, out, 1);
    }
  }
}

/** `rangeHash` for `count` (lo, hi) u32 pairs at `ranges`, 32 bytes each at `out`. */
export function merkleRangeHashes(hash: i32, table: usize, ranges: usize, count: i32, out: usize): void {
  for (let k = 0; k < count; k++) {
    const r = ranges + (<usize>k << 3);
    rangeHash(hash, table, load<u32>(r), load<u32>(r, 4), out + (<usize>k << 5));
  }
}

/** `foldProof` steps: where the proof hash goes, and whether the first accumulator moves too. */
const APPEND: u8 = 0;
const PREPEND: u8 = 1;
const PREPEND_BOTH: u8 = 2;

/**
 * The hashing half of RFC 9162 §2.1.3.2 / §2.1.4.2 verification (the host walks the indices
 * and decides each step): with accumulators fr at `accs` and sr at `accs + 32`, step k takes
 * proof hash c = `proof + 32k` and does sr = H(sr ‖ c) (APPEND), sr = H(c ‖ sr) (PREPEND), or
 * both fr = H(c ‖ fr) and sr = H(c ‖ sr) (PREPEND_BOTH).
 */
export function merkleFoldProof(hash: i32, accs: usize, proof: usize, steps: usize, count: i32): void {
  const sr = accs + 32;
  for (let k = 0; k < count; k++) {
    const c = proof + (<usize>k << 5);
    const step = load<u8>(steps + <usize>k);
    if (step == APPEND) {
      memory.copy(pair, sr, 32);
      memory.copy(pair + 32, c, 32);
    } else {
      memory.copy(pair, c, 32);
      memory.copy(pair + 32, sr, 32);
    }
    hashNodes(hash, pair, sr, 1);
    if (step == PREPEND_BOTH) {
      memory.copy(pair, c, 32);
      memory.copy(pair + 32, accs, 32);
      hashNodes(hash, pair, accs, 1);
    }
  }
}
