import { Reader, Writer } from '../consensus/index.js';
import { sha256, sha256Many } from '../hash/index.js';

/** Stable map key of raw bytes: one char per byte, so string order is byte order. */
export function keyOf(...parts: Uint8Array[]): string {
  let s = '';
  for (const p of parts) s += String.fromCharCode.apply(null, p as unknown as number[]);
  return s;
}

/** The bytes a `keyOf` string was made from. */
function keyBytes(key: string): Uint8Array {
  const out = new Uint8Array(key.length);
  for (let i = 0; i < key.length; i++) out[i] = key.charCodeAt(i);
  return out;
}

/** Amounts in state are u128 (sums of u64 amounts plus rewards minted over time). */
export function writeAmount(w: Writer, v: bigint): Writer {
  const out = new Uint8Array(16);
  let x = v;
  for (let i = 0; i < 16; i++) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return w.raw(out);
}

export function readAmount(r: Reader): bigint {
  const b = r.raw(16);
  let x = 0n;
  for (let i = 15; i >= 0; i--) x = (x << 8n) | BigInt(b[i]);
  return x;
}

/** First index of sorted `keys` whose key is not below `key`. */
function lowerBound(keys: string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface Codec<T> {
  encode(w: Writer, value: T): void;
  decode(r: Reader): T;
}

/**
 * A map with a canonical order and a cached root: each entry's leaf hash (key ‖ encoding) is
 * recomputed only when the entry changed, and the section root — the hash of the leaf hashes in
 * key order — only when something in the section did. A block that touches no staking state
 * costs no hashing; one that moves a balance rehashes one leaf and the section's leaf list.
 */
export class SortedTable<T> {
  private readonly entries = new Map<string, T>();
  private readonly leaves = new Map<string, Uint8Array>();
  private readonly dirty = new Set<string>();
  private sorted: string[] | null = [];
  private root: Uint8Array | null = null;

  constructor(private readonly codec: Codec<T>) {}

  get size(): number {
    return this.entries.size;
  }
  get(key: string): T | undefined {
    return this.entries.get(key);
  }
  has(key: string): boolean {
    return this.entries.has(key);
  }
  /** Stores `value` (or marks a mutated one changed) under `key`. */
  set(key: string, value: T): void {
    if (!this.entries.has(key) && this.sorted) this.sorted.splice(this.position(key), 0, key);
    this.entries.set(key, value);
    this.dirty.add(key);
    this.root = null;
  }
  delete(key: string): void {
    if (!this.entries.delete(key)) return;
    this.leaves.delete(key);
    this.dirty.delete(key);
    if (this.sorted) this.sorted.splice(this.position(key), 1);
    this.root = null;
  }
  /** Where `key` is or would go in the sorted keys (binary search: an insert costs a splice, not a sort). */
  private position(key: string): number {
    return lowerBound(this.keys(), key);
  }
  /** Keys that start with `prefix`, in order (e.g. one delegator's delegations). */
  keysWithPrefix(prefix: string): string[] {
    const keys = this.keys();
    const out: string[] = [];
    for (let i = lowerBound(keys, prefix); i < keys.length && keys[i].startsWith(prefix); i++) out.push(keys[i]);
    return out;
  }
  /** Entries in insertion order (use `keys()` for the canonical order). */
  values(): IterableIterator<T> {
    return this.entries.values();
  }
  entriesInOrder(): [string, T][] {
    return this.keys().map((k) => [k, this.entries.get(k) as T]);
  }
  keys(): string[] {
    if (!this.sorted) this.sorted = [...this.entries.keys()].sort();
    return this.sorted;
  }

  /** Hash of the leaf hashes in key order. */
  rootHash(): Uint8Array {
    if (this.root) return this.root;
    if (this.dirty.size) {
      const keys = [...this.dirty];
      const hashes = sha256Many(keys.map((k) => this.encodeEntry(k, this.entries.get(k) as T)));
      for (let i = 0; i < keys.length; i++) this.leaves.set(keys[i], hashes[i]);
      this.dirty.clear();
    }
    const keys = this.keys();
    const all = new Uint8Array(keys.length * 32);
    for (let i = 0; i < keys.length; i++) all.set(this.leaves.get(keys[i]) as Uint8Array, i * 32);
    this.root = sha256(all);
    return this.root;
  }

  private encodeEntry(key: string, value: T): Uint8Array {
    const w = new Writer(128).bytes(keyBytes(key));
    this.codec.encode(w, value);
    return w.finish();
  }

  /** Every entry, in key order: the table's part of a snapshot. */
  encode(w: Writer): void {
    const keys = this.keys();
    w.u32(keys.length);
    for (const k of keys) {
      w.bytes(keyBytes(k));
      this.codec.encode(w, this.entries.get(k) as T);
    }
  }

  /** Replaces the contents with what `encode` wrote. */
  decodeFrom(r: Reader): void {
    this.entries.clear();
    this.leaves.clear();
    this.dirty.clear();
    this.sorted = [];
    this.root = null;
    const count = r.u32();
    for (let i = 0; i < count; i++) {
      const key = keyOf(r.bytes(1024));
      this.set(key, this.codec.decode(r));
    }
  }
}
