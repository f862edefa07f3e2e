import type { Input } from '../bytes/index.js';
import { ArgumentRangeError, ArgumentTypeError, describe, isBytes, requireArray, requireInput, requireInputs, requireInteger } from '../check/index.js';
import { type BackendName, type HashKernels, inspectAs, type WasmInstance } from '../wasm/index.js';
import { HASH_BYTES, type MerkleHash, type MerkleKernels, merkleKernels } from './kernels.js';
import { type MerkleOptions, requireMerkleOptions, treeInstance } from './options.js';
import type { ConsistencyProof, InclusionProof } from './proof.js';
import { consistencyRanges, inclusionRanges } from './ranges.js';

/** Most leaves one tree holds: its levels (< 64 bytes per leaf) must fit in 4 GiB of WASM memory with room for scratch. */
export const MAX_TREE_LEAVES = 2 ** 26 - 2 ** 22;

const encoder = new TextEncoder();

/** Refuses `argument` of `where` when it would grow a tree to `size` > MAX_TREE_LEAVES leaves. */
function requireRoom(size: number, where: string, argument: string): void {
  if (size > MAX_TREE_LEAVES) throw new ArgumentRangeError(where, argument, `would grow the tree to ${size} leaves, past MAX_TREE_LEAVES = ${MAX_TREE_LEAVES}`);
}

/** Appended leaves wait here (packed back to back) and are hashed in one batch. */
const PENDING_LEAVES = 1024;
const PENDING_BYTES = 64 * 1024;
const TABLE_BYTES = 32 * 4;
/** Layout growth factor: small enough that reserved memory stays near 2·n·32 bytes; moves are cheap memmoves. */
const GROWTH = 1.25;
/** Leaves hashed per kernel call when appending many. */
const APPEND_CHUNK = 1 << 14;

/**
 * A growable RFC 9162 Merkle tree with in-place leaf updates, inclusion and consistency
 * proofs. Each tree owns a WASM instance whose memory holds every level as one flat array of
 * complete 32-byte nodes (< 2·n·32 bytes for n leaves); leaves themselves are not kept.
 */
export class MerkleTree {
  readonly hash: MerkleHash;
  private readonly wasm: WasmInstance<HashKernels>;
  private readonly k: MerkleKernels;
  /** Address of the level table: u32 address of each level's first node. */
  private readonly table: number;
  private readonly pendingTable: number;
  private readonly pendingData: number;
  private readonly region: number;
  /** Leaves whose hashes are in level 0. */
  private hashed = 0;
  private pendingCount = 0;
  private pendingWords: Uint32Array = new Uint32Array(0);
  private pendingBytes = 0;
  /** Leaves the current level layout has room for. */
  private capacity = 0;
  private levelAddress: number[] = [];
  private cachedRoot: Uint8Array | undefined;

  constructor(options?: MerkleOptions) {
    const { hash = 'sha256', backend } = requireMerkleOptions(options, 'MerkleTree');
    this.hash = hash;
    this.wasm = treeInstance(backend);
    this.k = merkleKernels(this.wasm, hash);
    this.table = this.wasm.alloc(TABLE_BYTES);
    this.pendingTable = this.wasm.alloc(PENDING_LEAVES * 8);
    this.pendingData = this.wasm.alloc(PENDING_BYTES);
    this.region = this.wasm.alloc(0, 64);
    this.layout(1024);
    inspectAs(this, () => `MerkleTree { hash: '${this.hash}', size: ${this.size}, backend: '${this.backend}' }`);
  }

  /** The backend this tree's kernels run on. */
  get backend(): BackendName {
    return this.wasm.backend;
  }

  /** Number of leaves. */
  get size(): number {
    return this.hashed + this.pendingCount;
  }

  /** Appends one leaf (bytes, or a string as UTF-8) and returns its index. */
  append(leaf: Input): number {
    const bytes = requireInput(leaf, 'MerkleTree.append', 'leaf');
    requireRoom(this.size + 1, 'MerkleTree.append', 'leaf');
    this.reserve(this.size + 1);
    const need = bytes.length;
    if (this.pendingCount === PENDING_LEAVES || this.pendingBytes + need > PENDING_BYTES) this.flush();
    if (need > PENDING_BYTES) {
      this.hashInto([bytes], 0, 1);
    } else {
      const u8 = this.wasm.u8;
      u8.set(bytes, this.pendingData + this.pendingBytes);
      // A view kept across appends (a new one per leaf would cost more than the copy).
      if (this.pendingWords.buffer !== u8.buffer) this.pendingWords = new Uint32Array(u8.buffer, this.pendingTable, PENDING_LEAVES * 2);
      this.pendingWords[2 * this.pendingCount] = this.pendingBytes;
      this.pendingWords[2 * this.pendingCount + 1] = need;
      this.pendingBytes += need;
      this.pendingCount++;
    }
    this.cachedRoot = undefined;
    return this.size - 1;
  }

  /** Appends `leaves` in order (hashed in batches); returns the index of the first. */
  appendMany(leaves: readonly Input[]): number {
    const where = 'MerkleTree.appendMany';
    const first = this.size;
    // The count before the items, so that a list too long is refused before it is walked.
    requireRoom(first + requireArray(leaves, where, 'leaves').length, where, 'leaves');
    const bytes = requireInputs(leaves, where, 'leaves');
    this.reserve(first + bytes.length);
    this.flush();
    for (let i = 0; i < bytes.length; i += APPEND_CHUNK) this.hashInto(bytes, i, Math.min(i + APPEND_CHUNK, bytes.length));
    this.cachedRoot = undefined;
    return first;
  }

  /** The root of the whole tree (H("") when empty). */
  root(): Uint8Array {
    this.flush();
    this.cachedRoot ??= this.rangeHashes([0, this.hashed])[0];
    return this.cachedRoot.slice();
  }

  /** The root the tree had when it held its first `size` leaves. */
  rootAt(size: number): Uint8Array {
    requireInteger(size, 'MerkleTree.rootAt', 'size', 0, this.size);
    if (size === this.size) return this.root();
    this.flush();
    return this.rangeHashes([0, size])[0];
  }

  /** The RFC 9162 leaf hash H(0x00 ‖ leaf) stored at `index`. */
  leafHash(index: number): Uint8Array {
    requireInteger(index, 'MerkleTree.leafHash', 'index', 0, this.size - 1);
    this.flush();
    return this.wasm.read(this.levelAddress[0] + index * HASH_BYTES, HASH_BYTES);
  }

  /** Replaces the leaf at `index` and recomputes its path (one kernel call for all levels). */
  update(index: number, leaf: Input): void {
    requireInteger(index, 'MerkleTree.update', 'index', 0, this.size - 1);
    const bytes = requireInput(leaf, 'MerkleTree.update', 'leaf');
    this.flush();
    this.applyUpdates(Uint32Array.of(index), [bytes]);
  }

  /**
   * Replaces many leaves at once: the touched paths are recomputed level by level, every
   * shared ancestor once. When an index appears twice, the later entry wins.
   */
  updateMany(entries: readonly (readonly [number, Input])[]): void {
    const where = 'MerkleTree.updateMany';
    const list = requireArray(entries, where, 'entries');
    const size = this.size;
    const byIndex = new Map<number, Uint8Array>();
    for (let i = 0; i < list.length; i++) {
      const entry = list[i];
      if (!Array.isArray(entry) || entry.length !== 2) throw new ArgumentTypeError(where, `entries[${i}]`, `must be an [index, leaf] pair, got ${describe(entry)}`);
      // Argument paths are built only for a refusal.
      const [index, leaf] = entry as [unknown, unknown];
      if (!(Number.isInteger(index) && (index as number) >= 0 && (index as number) < size)) requireInteger(index, where, `entries[${i}][0]`, 0, size - 1);
      const bytes = isBytes(leaf) && leaf.length !== 0 ? leaf : typeof leaf === 'string' ? encoder.encode(leaf) : requireInput(leaf, where, `entries[${i}][1]`);
      byIndex.set(index as number, bytes);
    }
    if (byIndex.size === 0) return;
    this.flush();
    const indices = Uint32Array.from(byIndex.keys()).sort();
    this.applyUpdates(indices, Array.from(indices, (i) => byIndex.get(i) as Uint8Array));
  }

  /** Hashes `leaves` (for the sorted, distinct `indices`) and rewrites their paths level by level. */
  private applyUpdates(indices: Uint32Array, leaves: Uint8Array[]): void {
    const wasm = this.wasm;
    const count = indices.length;
    wasm.scoped(() => {
      const idx = wasm.alloc(count * 4);
      const hashes = wasm.alloc(count * HASH_BYTES);
      const scratch = wasm.alloc(count * 3 * HASH_BYTES);
      new Uint32Array(wasm.u8.buffer, idx, count).set(indices);
      this.k.hashLeaves(leaves, 0, count, hashes);
      this.k.update(this.k.id, this.table, this.levelAddress.length, this.hashed, idx, hashes, count, scratch);
    });
    this.cachedRoot = undefined;
  }

  /**
   * RFC 9162 §2.1.3.1 inclusion proof of leaf `index` in the tree of the first `size` leaves:
   * the audit path (leaf level first) with the tree's hash and both positions, for `verifyInclusion`.
   */
  prove(index: number, size: number = this.size): InclusionProof {
    requireInteger(size, 'MerkleTree.prove', 'size', 1, this.size);
    requireInteger(index, 'MerkleTree.prove', 'index', 0, size - 1);
    this.flush();
    return { hash: this.hash, index, size, path: this.rangeHashes(inclusionRanges(index, size)) };
  }

  /** RFC 9162 §2.1.4.1 consistency proof between the trees of the first `oldSize` and `newSize` leaves, for `verifyConsistency`. */
  proveConsistency(oldSize: number, newSize: number = this.size): ConsistencyProof {
    requireInteger(newSize, 'MerkleTree.proveConsistency', 'newSize', 1, this.size);
    requireInteger(oldSize, 'MerkleTree.proveConsistency', 'oldSize', 1, newSize);
    this.flush();
    return { hash: this.hash, oldSize, newSize, path: this.rangeHashes(consistencyRanges(oldSize, newSize)) };
  }

  /** Hashes of the given leaf ranges (flat lo, hi pairs) in one kernel call. */
  private rangeHashes(ranges: number[]): Uint8Array[] {
    const count = ranges.length / 2;
    if (count === 1 && ranges[1] === ranges[0]) return [this.k.emptyRoot()];
    const wasm = this.wasm;
    return wasm.scoped(() => {
      const table = wasm.alloc(ranges.length * 4);
      const out = wasm.alloc(count * HASH_BYTES);
      new Uint32Array(wasm.u8.buffer, table, ranges.length).set(ranges);
      this.k.rangeHashes(this.k.id, this.table, table, count, out);
      const proof = new Array<Uint8Array>(count);
      for (let i = 0; i < count; i++) proof[i] = wasm.read(out + i * HASH_BYTES, HASH_BYTES);
      return proof;
    });
  }

  /** Hashes the pending leaves into level 0 and adds the nodes they complete. */
  private flush(): void {
    if (this.pendingCount === 0) return;
    const from = this.hashed;
    const to = from + this.pendingCount;
    this.k.hashPacked(this.pendingData, this.pendingTable, this.pendingCount, this.levelAddress[0] + from * HASH_BYTES, this.pendingBytes);
    this.pendingCount = 0;
    this.pendingBytes = 0;
    this.k.extend(this.k.id, this.table, this.levelAddress.length, from, to);
    this.hashed = to;
  }

  /** Hashes `leaves[start..end)` straight into level 0 (after any pending ones) and extends the levels. */
  private hashInto(leaves: readonly Uint8Array[], start: number, end: number): void {
    this.flush();
    const from = this.hashed;
    const to = from + end - start;
    this.k.hashLeaves(leaves, start, end, this.levelAddress[0] + from * HASH_BYTES);
    this.k.extend(this.k.id, this.table, this.levelAddress.length, from, to);
    this.hashed = to;
  }

  /** Makes room for `size` (at most MAX_TREE_LEAVES) leaves, growing the layout by GROWTH at least. */
  private reserve(size: number): void {
    if (size <= this.capacity) return;
    this.layout(Math.min(Math.max(size, Math.ceil(this.capacity * GROWTH)), MAX_TREE_LEAVES));
  }

  /**
   * Lays the levels out for `capacity` leaves (level L has room for floor(capacity / 2^L)
   * nodes) and moves the existing nodes, top level first: every level only moves up, so no
   * level overwrites one not yet moved.
   */
  private layout(capacity: number): void {
    const wasm = this.wasm;
    const addresses: number[] = [];
    let bytes = 0;
    for (let nodes = capacity; nodes >= 1; nodes = Math.floor(nodes / 2)) {
      addresses.push(this.region + bytes);
      bytes += nodes * HASH_BYTES;
    }
    wasm.release(this.region);
    wasm.alloc(bytes, 64);
    const u8 = wasm.u8;
    for (let level = this.levelAddress.length - 1; level >= 0; level--) {
      const nodes = Math.floor(this.hashed / 2 ** level);
      const from = this.levelAddress[level];
      u8.copyWithin(addresses[level], from, from + nodes * HASH_BYTES);
    }
    new Uint32Array(u8.buffer, this.table, addresses.length).set(addresses);
    this.levelAddress = addresses;
    this.capacity = capacity;
  }
}
