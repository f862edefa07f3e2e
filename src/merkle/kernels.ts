import { forEachBatch, type HashKernels, MAX_BATCH_ITEMS, putItems, type WasmInstance } from '../wasm/index.js';

/** The hash functions of a tree: RFC 9162 structure and prefixes with SHA-256 or BLAKE3-256. */
export const MERKLE_HASHES = ['sha256', 'blake3'] as const;
export type MerkleHash = (typeof MERKLE_HASHES)[number];

/** Ids of assembly/merkle/hashing.ts. */
const hashIds: Record<MerkleHash, number> = { sha256: 0, blake3: 1 };

export const HASH_BYTES = 32;
/** Leaf bytes packed per kernel call. */
export const PACK_BYTES = 4 << 20;

/** Proof-folding steps of `merkleFoldProof`. */
export const APPEND = 0;
export const PREPEND = 1;
export const PREPEND_BOTH = 2;

/** The merkle* kernels of one WASM instance, bound to one hash function. */
export class MerkleKernels {
  readonly wasm: WasmInstance<HashKernels>;
  readonly hash: MerkleHash;
  readonly id: number;
  readonly digest: HashKernels['merkleDigest'];
  private readonly hashLeavesKernel: HashKernels['merkleHashLeaves'];
  readonly reduce: HashKernels['merkleReduce'];
  readonly extend: HashKernels['merkleExtend'];
  readonly update: HashKernels['merkleUpdate'];
  readonly rangeHashes: HashKernels['merkleRangeHashes'];
  readonly foldProof: HashKernels['merkleFoldProof'];

  constructor(wasm: WasmInstance<HashKernels>, hash: MerkleHash) {
    this.wasm = wasm;
    this.hash = hash;
    this.id = hashIds[hash];
    const k = wasm.kernels;
    this.digest = k.merkleDigest;
    this.hashLeavesKernel = k.merkleHashLeaves;
    this.reduce = k.merkleReduce;
    this.extend = k.merkleExtend;
    this.update = k.merkleUpdate;
    this.rangeHashes = k.merkleRangeHashes;
    this.foldProof = k.merkleFoldProof;
  }

  /** H(""), the root of the empty tree. */
  emptyRoot(): Uint8Array {
    const wasm = this.wasm;
    return wasm.scoped(() => {
      const out = wasm.alloc(HASH_BYTES);
      this.digest(this.id, out, 0, out);
      return wasm.read(out, HASH_BYTES);
    });
  }

  /**
   * Writes the leaf hashes of `leaves[from..to)` at `outPtr` (32 bytes each): the leaves are
   * copied back to back into scratch (the kernel adds their prefixes) and hashed in one
   * call per 4 MiB. Scratch is released.
   */
  hashLeaves(leaves: readonly Uint8Array[], from: number, to: number, outPtr: number): void {
    const wasm = this.wasm;
    forEachBatch(leaves, from, to, PACK_BYTES, MAX_BATCH_ITEMS, (a, b, bytes) => {
      wasm.scoped(() => {
        const { data, table } = putItems(wasm, leaves, a, b, bytes);
        this.hashPacked(data, table, b - a, outPtr + (a - from) * HASH_BYTES, bytes);
      });
    });
  }

  /** Leaf hashes of `count` leaves already in WASM memory (table of offsets from `data`, `bytes` in all). */
  hashPacked(data: number, table: number, count: number, outPtr: number, bytes: number): void {
    const wasm = this.wasm;
    wasm.scoped(() => {
      const scratch = wasm.alloc(count * 9 + bytes);
      this.hashLeavesKernel(this.id, data, table, count, outPtr, scratch);
    });
  }
}

const bound = new WeakMap<WasmInstance<HashKernels>, Partial<Record<MerkleHash, MerkleKernels>>>();

/** The Merkle kernels of `wasm` for `hash` (bound once per instance and hash). */
export function merkleKernels(wasm: WasmInstance<HashKernels>, hash: MerkleHash): MerkleKernels {
  let byHash = bound.get(wasm);
  if (!byHash) bound.set(wasm, (byHash = {}));
  return (byHash[hash] ??= new MerkleKernels(wasm, hash));
}
