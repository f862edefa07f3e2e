import { Reader, senderKey, Writer } from '../consensus/index.js';
import { sha256, sha256Many } from '../hash/index.js';

/** Stable map key of raw bytes (consensus's `senderKey` of each part): one char per byte, so string order is byte order. */
export function keyOf(...parts: Uint8Array[]): string {
  let s = '';
  for (const p of parts) s += senderKey(p);
  return s;
}

const charCodes: number[] = [];

/** A copy of `key` in one piece of memory (see `SortedTable.set`). */
function flatten(key: string): string {
  charCodes.length = key.length;
  for (let i = 0; i < key.length; i++) charCodes[i] = key.charCodeAt(i);
  return String.fromCharCode.apply(null, charCodes);
}

/** Scratch for `writeKey`, by key length (keys are 32, 64 or 96 bytes). */
const keyScratch: Uint8Array[] = [];

/** A `keyOf` string as the bytes it was made from, length-prefixed (as `Writer.bytes` writes them). */
function writeKey(w: Writer, key: string): void {
  const n = key.length;
  const bytes = (keyScratch[n] ??= new Uint8Array(n));
  for (let i = 0; i < n; i++) bytes[i] = key.charCodeAt(i);
  w.u32(n).raw(bytes);
}

/** Amounts in state are u128 (sums of u64 amounts plus rewards minted over time), little-endian. */
export function writeAmount(w: Writer, v: bigint): Writer {
  // Most amounts fit a double exactly: two u32 words and zeros, without a bigint operation per byte.
  if (v >= 0n && v <= 9_007_199_254_740_991n) {
    const n = Number(v);
    return w.u32(n % 2 ** 32).u32(Math.floor(n / 2 ** 32)).u32(0).u32(0);
  }
  const out = new Uint8Array(16);
  let x = v;
  for (let i = 0; i < 16; i++) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return w.raw(out);
}

export function readAmount(r: Reader): bigint {
  const lo = r.u32();
  const hi = r.u32();
  const high = r.u32();
  const top = r.u32();
  if (high === 0 && top === 0 && hi < 2 ** 21) return BigInt(hi * 2 ** 32 + lo);
  return (BigInt(top) << 96n) | (BigInt(high) << 64n) | (BigInt(hi) << 32n) | BigInt(lo);
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

/** One entry of a table: its key (a flat copy), its value, where its leaf hash is. */
interface Entry<T> {
  readonly key: string;
  value: T;
  /** Slot of its 32-byte leaf hash in the table's leaf buffer; −1 until first hashed. */
  slot: number;
  /** False once deleted (it may still sit in `order` until the next merge). */
  live: boolean;
}

const byKey = <T>(a: Entry<T>, b: Entry<T>) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * A map with a canonical order and a cached root: each entry's leaf hash (key ‖ encoding) is
 * recomputed only when the entry changed, and the section root — the hash of the leaf hashes in
 * key order — only when something in the section did. A block that touches no staking state
 * costs no hashing; one that moves a balance rehashes one leaf and the section's leaf list.
 *
 * Kept for speed at 10^5 entries (see docs/bench/validators.md): inserts and deletes only note
 * the entry, and the order is merged once when next asked for (a bulk change costs one merge,
 * not a splice each); changed entries are tracked as objects, not by key; leaf hashes live in
 * one flat buffer, and the leaf list in key order is patched in place while the order stands.
 */
export class SortedTable<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly dirty = new Set<Entry<T>>();
  /** Entries in key order as of the last merge (never changed in place: iterating it stays safe). */
  private order: Entry<T>[] = [];
  private orderKeys: string[] | null = [];
  /** Entries created since the merge, and whether any entry was deleted since. */
  private readonly added: Entry<T>[] = [];
  private removed = false;
  /** Leaf hashes, 8 words a slot; slots of deleted entries are reused. */
  private leafWords = new Uint32Array(0);
  private leafBytes = new Uint8Array(0);
  private readonly freeSlots: number[] = [];
  private nextSlot = 0;
  /** Leaf hashes in key order (8 words each), valid for `order` while `listed`. */
  private leafList = new Uint32Array(0);
  private listed = true;
  private root: Uint8Array | null = null;

  constructor(private readonly codec: Codec<T>) {}

  get size(): number {
    return this.entries.size;
  }
  /** Entries written since the root was last computed: the leaves the next `rootHash` rehashes. */
  get changed(): number {
    return this.dirty.size;
  }
  get(key: string): T | undefined {
    return this.entries.get(key)?.value;
  }
  has(key: string): boolean {
    return this.entries.has(key);
  }
  /** Stores `value` (or marks a mutated one changed) under `key`. */
  set(key: string, value: T): void {
    const entry = this.entries.get(key);
    if (entry) {
      entry.value = value;
      this.dirty.add(entry);
      this.root = null;
    } else {
      // A flat copy of the key: one cut from a longer key (a delegator out of a delegation key)
      // would keep that one alive, and compares several times slower when sorted.
      this.insert(flatten(key), value);
    }
  }
  private insert(key: string, value: T): void {
    const entry: Entry<T> = { key, value, slot: -1, live: true };
    this.entries.set(key, entry);
    this.added.push(entry);
    this.dirty.add(entry);
    this.root = null;
  }
  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    entry.live = false;
    if (entry.slot >= 0) this.freeSlots.push(entry.slot);
    this.dirty.delete(entry);
    this.removed = true;
    this.root = null;
  }
  /** Keys that start with `prefix`, in order (e.g. one delegator's delegations). */
  keysWithPrefix(prefix: string): string[] {
    const keys = this.keys();
    const out: string[] = [];
    for (let i = lowerBound(keys, prefix); i < keys.length && keys[i].startsWith(prefix); i++) out.push(keys[i]);
    return out;
  }
  /**
   * Calls `fn` on each entry in key order, without a lookup per key. `fn` may change or delete
   * entries: one deleted before its turn is skipped, one inserted meanwhile is not visited.
   */
  forEach(fn: (key: string, value: T) => void): void {
    for (const entry of this.ordered()) if (entry.live) fn(entry.key, entry.value);
  }
  /** Values in insertion order (use `keys()` for the canonical order). */
  *values(): IterableIterator<T> {
    for (const entry of this.entries.values()) yield entry.value;
  }
  entriesInOrder(): [string, T][] {
    return this.ordered().map((e) => [e.key, e.value]);
  }
  /** The keys in canonical (byte) order. The array is the table's own: read it, do not change it. */
  keys(): string[] {
    const order = this.ordered();
    return (this.orderKeys ??= order.map((e) => e.key));
  }

  /** Live entries in key order: the last merge's, with what changed since merged in. */
  private ordered(): Entry<T>[] {
    if (!this.added.length && !this.removed) return this.order;
    const kept = this.removed ? this.order.filter((e) => e.live) : this.order;
    // Sorting the few new entries and merging beats re-sorting all; entries restored from a
    // snapshot arrive in order, and sorting sorted input is one pass.
    const fresh = (this.removed ? this.added.filter((e) => e.live) : this.added).sort(byKey);
    const merged = new Array<Entry<T>>(kept.length + fresh.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < kept.length && j < fresh.length) merged[k++] = kept[i].key < fresh[j].key ? kept[i++] : fresh[j++];
    while (i < kept.length) merged[k++] = kept[i++];
    while (j < fresh.length) merged[k++] = fresh[j++];
    this.order = merged;
    this.orderKeys = null;
    this.added.length = 0;
    this.removed = false;
    this.listed = false;
    return merged;
  }

  /** Hash of the leaf hashes in key order. */
  rootHash(): Uint8Array {
    if (this.root) return this.root;
    const order = this.ordered();
    if (this.dirty.size) this.hashDirty(order);
    if (!this.listed) {
      if (this.leafList.length !== order.length * 8) this.leafList = new Uint32Array(order.length * 8);
      for (let i = 0; i < order.length; i++) this.copyLeaf(order[i].slot, i);
      this.listed = true;
    }
    this.root = sha256(new Uint8Array(this.leafList.buffer, 0, order.length * 32));
    return this.root;
  }

  /** Hashes every changed entry in one batch into its slot (and, while the order stands, into the leaf list). */
  private hashDirty(order: Entry<T>[]): void {
    const list = [...this.dirty];
    this.dirty.clear();
    const w = new Writer(list.length * 64);
    const ends = new Array<number>(list.length);
    for (let i = 0; i < list.length; i++) {
      writeKey(w, list[i].key);
      this.codec.encode(w, list[i].value);
      ends[i] = w.length;
    }
    const bytes = w.finish();
    const hashes = sha256Many(list.map((_, i) => bytes.subarray(i ? ends[i - 1] : 0, ends[i])));
    // Patching the leaf list costs a binary search per leaf: past a quarter of them, relisting all is cheaper.
    if (this.listed && list.length * 4 > order.length) this.listed = false;
    for (let i = 0; i < list.length; i++) {
      const entry = list[i];
      if (entry.slot < 0) {
        entry.slot = this.freeSlots.pop() ?? this.nextSlot++;
        if (entry.slot * 8 >= this.leafWords.length) this.growLeaves();
      }
      this.leafBytes.set(hashes[i], entry.slot * 32);
      if (this.listed) this.copyLeaf(entry.slot, this.position(order, entry.key));
    }
  }

  private growLeaves(): void {
    const next = new Uint32Array(Math.max(64, this.leafWords.length * 2));
    next.set(this.leafWords);
    this.leafWords = next;
    this.leafBytes = new Uint8Array(next.buffer);
  }

  private copyLeaf(slot: number, at: number): void {
    const from = slot * 8;
    const to = at * 8;
    const src = this.leafWords;
    const dst = this.leafList;
    for (let i = 0; i < 8; i++) dst[to + i] = src[from + i];
  }

  /** Index of `key` in `order` (binary search). */
  private position(order: Entry<T>[], key: string): number {
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (order[mid].key < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Every entry, in key order: the table's part of a snapshot. */
  encode(w: Writer): void {
    const order = this.ordered();
    w.u32(order.length);
    for (const entry of order) {
      writeKey(w, entry.key);
      this.codec.encode(w, entry.value);
    }
  }

  /** Replaces the contents with what `encode` wrote. */
  decodeFrom(r: Reader): void {
    this.entries.clear();
    this.dirty.clear();
    this.order = [];
    this.orderKeys = [];
    this.added.length = 0;
    this.removed = false;
    this.freeSlots.length = 0;
    this.nextSlot = 0;
    this.listed = false;
    this.root = null;
    const count = r.u32();
    for (let i = 0; i < count; i++) {
      const key = keyOf(r.bytes(1024));
      const value = this.codec.decode(r);
      // A snapshot repeating a key keeps the last value, as `set` would.
      if (this.entries.has(key)) this.set(key, value);
      else this.insert(key, value);
    }
  }
}
