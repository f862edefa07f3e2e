import type { Input } from '../bytes/index.js';
import { ArgumentRangeError, requireArray, requireBytesList, requireInputs } from '../check/index.js';
import { forEachBatch, MAX_BATCH_ITEMS } from '../wasm/index.js';
import { HASH_BYTES, type MerkleKernels, PACK_BYTES } from './kernels.js';
import { type MerkleOptions, sharedKernels } from './options.js';
import { MAX_TREE_LEAVES } from './tree.js';

/** Leaves reduced per kernel round: a complete subtree, so chunk roots join like nodes. */
const CHUNK_LEAVES = 1 << 14;

/**
 * Root of leaves [from, to) where `hashLeaves(a, b, out)` writes the leaf hashes of [a, b) at
 * `out`. Scratch stays bounded: leaves go through in complete subtrees of CHUNK_LEAVES, whose
 * roots then join like nodes. `from` must be a multiple of a power of two at least `to − from`
 * for the result to be a node of the whole tree (the pool's subtrees are).
 */
function rootInChunks(k: MerkleKernels, from: number, to: number, hashLeaves: (a: number, b: number, out: number) => void): Uint8Array {
  const count = to - from;
  if (count <= 0) return k.emptyRoot();
  const wasm = k.wasm;
  const chunks = Math.ceil(count / CHUNK_LEAVES);
  return wasm.scoped(() => {
    const roots = wasm.alloc(chunks * HASH_BYTES);
    const rootsTmp = wasm.alloc(Math.ceil(chunks / 2) * HASH_BYTES);
    for (let c = 0; c < chunks; c++) {
      const a = from + c * CHUNK_LEAVES;
      const b = Math.min(a + CHUNK_LEAVES, to);
      wasm.scoped(() => {
        const buf = wasm.alloc((b - a) * HASH_BYTES);
        const tmp = wasm.alloc(Math.ceil((b - a) / 2) * HASH_BYTES);
        hashLeaves(a, b, buf);
        k.reduce(k.id, buf, b - a, tmp);
        wasm.u8.copyWithin(roots + c * HASH_BYTES, buf, buf + HASH_BYTES);
      });
    }
    k.reduce(k.id, roots, chunks, rootsTmp);
    return wasm.read(roots, HASH_BYTES);
  });
}

/**
 * The RFC 9162 Merkle Tree Hash of `leaves` (SHA-256 unless `hash: 'blake3'`); the empty list
 * gives H(""). Leaves are bytes or strings (UTF-8); only their hashes are kept while reducing.
 */
export function merkleRoot(leaves: readonly Input[], options?: MerkleOptions): Uint8Array {
  const bytes = requireInputs(leaves, 'merkleRoot', 'leaves');
  const k = sharedKernels(options, 'merkleRoot');
  return rootInChunks(k, 0, bytes.length, (a, b, out) => k.hashLeaves(bytes, a, b, out));
}

/**
 * Joins the roots of consecutive subtrees into the root of the whole tree: `roots[i]` must be
 * the root of leaves [i·2^s, (i+1)·2^s) for one s, the last possibly covering fewer leaves.
 * This is how subtrees hashed apart (in workers, on other machines) give `merkleRoot`. At most
 * `MAX_TREE_LEAVES` roots, which are reduced in WASM memory all at once.
 */
export function joinSubtreeRoots(roots: readonly Uint8Array[], options?: MerkleOptions): Uint8Array {
  const where = 'joinSubtreeRoots';
  // The count before the items, so that a list too long is refused before it is walked.
  const count = requireArray(roots, where, 'roots').length;
  if (count > MAX_TREE_LEAVES) throw new ArgumentRangeError(where, 'roots', `must hold at most MAX_TREE_LEAVES = ${MAX_TREE_LEAVES} roots, got ${count}`);
  const list = requireBytesList(roots, where, 'roots');
  for (let i = 0; i < list.length; i++) {
    if (list[i].length !== HASH_BYTES) throw new ArgumentRangeError(where, `roots[${i}]`, `must be ${HASH_BYTES} bytes, got ${list[i].length}`);
  }
  const k = sharedKernels(options, where);
  if (list.length === 0) return k.emptyRoot();
  const wasm = k.wasm;
  return wasm.scoped(() => {
    const buf = wasm.alloc(list.length * HASH_BYTES);
    const tmp = wasm.alloc(Math.ceil(list.length / 2) * HASH_BYTES);
    const u8 = wasm.u8;
    for (let i = 0; i < list.length; i++) u8.set(list[i], buf + i * HASH_BYTES);
    k.reduce(k.id, buf, list.length, tmp);
    return wasm.read(buf, HASH_BYTES);
  });
}

/**
 * Root of leaves [from, to) of a packed batch (the worker pool's form): `data` holds the leaves
 * back to back, `table` the (offset, length) u32 pair of each. Each sub-batch crosses into WASM
 * as one copy of its bytes and table. `from` must be a multiple of a power of two at least
 * `to − from` (a subtree of the batch) for the result to be a node of the batch's tree. The
 * caller checked the batch (the pool packs it from checked leaves).
 */
export function rootOfPackedBatch(data: Uint8Array, table: Uint32Array, from: number, to: number, options?: MerkleOptions): Uint8Array {
  const k = sharedKernels(options, 'rootOfPackedBatch');
  const wasm = k.wasm;
  return rootInChunks(k, from, to, (a, b, out) => {
    // Sub-batches bound the scratch that large leaves need.
    forEachBatch(table, a, b, PACK_BYTES, MAX_BATCH_ITEMS, (i, j, bytes) => {
      const start = table[2 * i];
      wasm.scoped(() => {
        const tablePtr = wasm.alloc((j - i) * 8);
        const dataPtr = wasm.put(data.subarray(start, start + bytes));
        const words = new Uint32Array(wasm.u8.buffer, tablePtr, 2 * (j - i));
        words.set(table.subarray(2 * i, 2 * j));
        for (let w = 0; w < words.length; w += 2) words[w] -= start;
        k.hashPacked(dataPtr, tablePtr, j - i, out + (i - a) * HASH_BYTES, bytes);
      });
    });
  });
}
