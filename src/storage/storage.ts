/** One operation of an atomic write: store `value` under `key`, or delete `key`. */
export type StorageOp = { type: 'put'; key: string; value: Uint8Array } | { type: 'del'; key: string };

/** Keys from `gte` (inclusive) up to `lt` (exclusive), in key order; either end may be open. */
export interface KeyRange {
  gte?: string;
  lt?: string;
}

/**
 * A durable key-value store: string keys, byte values, nothing else (it knows no consensus).
 * Shaped so LevelDB (`classic-level`, whose `sync: true` batches are a write-ahead log) and
 * IndexedDB (`browser-level`) plug in as they are. Keys compare as strings; keep them ASCII so
 * every backend (LevelDB compares UTF-8 bytes) orders them alike.
 */
export interface Storage {
  /**
   * Applies `ops` atomically, in order (a later op on the same key wins). The promise resolves
   * once the write is durable, and writes become durable in the order they were made: when it
   * resolves, every earlier write is durable too.
   */
  write(ops: readonly StorageOp[]): Promise<void>;
  /** The durable value under `key`, or undefined. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Durable entries in key order within `range`. */
  entries(range?: KeyRange): AsyncIterable<[string, Uint8Array]>;
  /** Releases the store; later calls reject with `StorageClosedError`. */
  close(): Promise<void>;
}
