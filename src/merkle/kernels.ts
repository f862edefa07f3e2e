import type { Kernel, WasmInstance } from '../wasm/index.js';
import { packItems } from './pack.js';

/** The hash function of a tree: RFC 9162 structure and prefixes with SHA-256 or BLAKE3-256. */
export type MerkleHash = 'sha256' | 'blake3';

/** Ids of assembly/merkle/hashing.ts. */
const hashIds: Record<MerkleHash, number> = { sha256: 0, blake3: 1 };

export const HASH_BYTES = 32;
/** Leaf bytes packed per kernel call. */
export const PACK_BYTES = 4 << 20;

/** Proof-folding steps of `merkle_foldProof`. */
export const APPEND = 0;
export const PREPEND = 1;
export const PREPEND_BOTH = 2;

/** The merkle_* kernels of one WASM instance, bound to one hash function. */
export class MerkleKernels {
  readonly wasm: WasmInstance;
  readonly hash: MerkleHash;
  readonly id: number;
  readonly digest: Kernel;
  private readonly hashLeavesKernel: Kernel;
  readonly hashNodes: Kernel;
  readonly reduce: Kernel;
  readonly extend: Kernel;
  readonly update: Kernel;
  readonly rangeHashes: Kernel;
  readonly foldProof: Kernel;

  constructor(wasm: WasmInstance, hash: MerkleHash) {
    this.wasm = wasm;
    this.hash = hash;
    this.id = hashIds[hash];
    this.digest = wasm.kernel('merkle_digest');
    this.hashLeavesKernel = wasm.kernel('merkle_hashLeaves');
    this.hashNodes = wasm.kernel('merkle_hashNodes');
    this.reduce = wasm.kernel('merkle_reduce');
    this.extend = wasm.kernel('merkle_extend');
    this.update = wasm.kernel('merkle_update');
    this.rangeHashes = wasm.kernel('merkle_rangeHashes');
    this.foldProof = wasm.kernel('merkle_foldProof');
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
    let start = from;
    let bytes = 0;
    for (let i = from; i < to; i++) {
      bytes += leaves[i].length;
      if (bytes >= PACK_BYTES || i + 1 === to) {
        this.hashLeafBatch(leaves, start, i + 1, outPtr + (start - from) * HASH_BYTES, bytes);
        start = i + 1;
        bytes = 0;
      }
    }
  }

  private hashLeafBatch(leaves: readonly Uint8Array[], from: number, to: number, outPtr: number, bytes: number): void {
    const wasm = this.wasm;
    const count = to - from;
    wasm.scoped(() => {
      const table = wasm.alloc(count * 8);
      const data = wasm.alloc(bytes);
      const u8 = wasm.u8;
      packItems(leaves, from, to, u8, data, new Uint32Array(u8.buffer, table, count * 2), 0, data);
      this.hashPacked(data, table, count, outPtr, bytes);
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

const bound = new WeakMap<WasmInstance, Partial<Record<MerkleHash, MerkleKernels>>>();

/** The Merkle kernels of `wasm` for `hash` (bound once per instance and hash). */
export function merkleKernels(wasm: WasmInstance, hash: MerkleHash): MerkleKernels {
  let byHash = bound.get(wasm);
  if (!byHash) bound.set(wasm, (byHash = {}));
  return (byHash[hash] ??= new MerkleKernels(wasm, hash));
}
