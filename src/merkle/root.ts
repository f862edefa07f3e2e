import { type Input, requireArray, requireBytes, toBytes } from '../bytes/index.js';
import { HASH_BYTES, type MerkleKernels, PACK_BYTES } from './kernels.js';
import { type MerkleOptions, sharedKernels } from './options.js';

/** Leaves reduced per kernel round: a complete subtree, so chunk roots join like nodes. */
const CHUNK_LEAVES = 1 << 14;

/** `leaves` as bytes, throwing `TypeError` naming the first bad one. */
export function leavesToBytes(leaves: unknown, argName = 'leaves'): readonly Uint8Array[] {
  const list = requireArray(leaves, argName);
  // The common case, all bytes already, needs no copy of the list.
  let allBytes = true;
  for (let i = 0; i < list.length && allBytes; i++) allBytes = list[i] instanceof Uint8Array;
  if (allBytes) return list as Uint8Array[];
  const out = new Array<Uint8Array>(list.length);
  for (let i = 0; i < list.length; i++) out[i] = toBytes(list[i], `${argName}[${i}]`);
  return out;
}

/**
 * Reduces `count` 32-byte nodes packed in `nodes` to their RFC 9162 root (an odd node at the
 * end of a level moves up unchanged).
 */
export function reduceNodes(k: MerkleKernels, nodes: Uint8Array, count: number): Uint8Array {
  if (count === 0) return k.emptyRoot();
  const wasm = k.wasm;
  return wasm.scoped(() => {
    const buf = wasm.put(nodes.subarray(0, count * HASH_BYTES));
    const tmp = wasm.alloc(Math.ceil(count / 2) * HASH_BYTES);
    k.reduce(k.id, buf, count, tmp);
    return wasm.read(buf, HASH_BYTES);
  });
}

/**
 * Root of leaves [from, to) where `hashLeaves(a, b, out)` writes the leaf hashes of [a, b) at
 * `out`. Scratch stays bounded: leaves go through in complete subtrees of CHUNK_LEAVES, whose
 * roots then join like nodes.
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
 * RFC 9162 MTH of `leaves[from..to)`. `from` must be a multiple of a power of two at least
 * `to − from` for the result to be a node of the whole tree (the pool's subtrees are).
 */
export function rootOfRange(k: MerkleKernels, leaves: readonly Uint8Array[], from: number, to: number): Uint8Array {
  return rootInChunks(k, from, to, (a, b, out) => k.hashLeaves(leaves, a, b, out));
}

/**
 * The RFC 9162 Merkle Tree Hash of `leaves` (SHA-256 unless `hash: 'blake3'`); the empty list
 * gives H(""). Leaves are bytes or strings (UTF-8); only their hashes are kept while reducing.
 */
export function merkleRoot(leaves: readonly Input[], options?: MerkleOptions): Uint8Array {
  const bytes = leavesToBytes(leaves);
  const k = sharedKernels(options);
  return rootOfRange(k, bytes, 0, bytes.length);
}

/**
 * Joins the roots of consecutive subtrees into the root of the whole tree: `roots[i]` must be
 * the root of leaves [i·2^s, (i+1)·2^s) for one s, the last possibly covering fewer leaves.
 * This is how subtrees hashed apart (in workers, on other machines) give `merkleRoot`.
 */
export function joinSubtreeRoots(roots: readonly Uint8Array[], options?: MerkleOptions): Uint8Array {
  const list = requireArray(roots, 'roots');
  const packed = new Uint8Array(list.length * HASH_BYTES);
  for (let i = 0; i < list.length; i++) {
    const r = requireBytes(list[i], `roots[${i}]`);
    if (r.length !== HASH_BYTES) throw new RangeError(`roots[${i}] must be ${HASH_BYTES} bytes, got ${r.length}`);
    packed.set(r, i * HASH_BYTES);
  }
  return reduceNodes(sharedKernels(options), packed, list.length);
}

/**
 * Root of leaves [from, to) of a packed batch (the worker pool's form): `data` holds the leaves
 * back to back, `table` the (offset, length) u32 pair of each. Each chunk crosses into WASM as
 * one copy of its bytes and table. `from` must be a multiple of a power of two at least
 * `to − from` (a subtree of the batch) for the result to be a node of the batch's tree.
 */
export function rootOfPackedBatch(data: Uint8Array, table: Uint32Array, from: number, to: number, options?: MerkleOptions): Uint8Array {
  const k = sharedKernels(options);
  const wasm = k.wasm;
  return rootInChunks(k, from, to, (a, b, out) => {
    // Sub-batches bound the scratch that large leaves need.
    for (let i = a; i < b; ) {
      const start = table[2 * i];
      let j = i + 1;
      while (j < b && table[2 * j] + table[2 * j + 1] - start <= PACK_BYTES) j++;
      const end = table[2 * (j - 1)] + table[2 * (j - 1) + 1];
      wasm.scoped(() => {
        const tablePtr = wasm.alloc((j - i) * 8);
        const dataPtr = wasm.put(data.subarray(start, end));
        const words = new Uint32Array(wasm.u8.buffer, tablePtr, 2 * (j - i));
        words.set(table.subarray(2 * i, 2 * j));
        for (let w = 0; w < words.length; w += 2) words[w] -= start;
        k.hashPacked(dataPtr, tablePtr, j - i, out + (i - a) * HASH_BYTES, end - start);
      });
      i = j;
    }
  });
}
