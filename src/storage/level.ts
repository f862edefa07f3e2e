import { requireInteger, requireObject, requireOptions, requireString } from '../check/index.js';
import { StorageClosedError, StorageQueueFullError, StorageReadError, StorageWriteError } from './errors.js';
import { type LatencyHistogram, LatencyRecorder } from './latency.js';
import { checkRange, copyOps } from './ops.js';
import type { KeyRange, Storage, StorageOp } from './storage.js';

/** The encodings every call names, so any abstract-level database works whatever its defaults. */
interface LevelEncodings {
  keyEncoding: 'utf8';
  valueEncoding: 'view';
}

/** An abstract-level iterator, as far as `entries` reads it. */
interface LevelIterator {
  nextv(size: number): Promise<[string, Uint8Array][]>;
  close(): Promise<void>;
}

/**
 * The part of an abstract-level database `LevelStorage` uses: `classic-level` (LevelDB),
 * `memory-level` and `browser-level` (IndexedDB) all have it. Structural, so this module names no
 * package and ships to browsers as it is.
 */
export interface LevelDatabase {
  batch(ops: StorageOp[], options: LevelEncodings & { sync: boolean }): Promise<void>;
  get(key: string, options: LevelEncodings): Promise<Uint8Array | undefined>;
  iterator(options: LevelEncodings & { gte?: string; lt?: string }): LevelIterator;
  close(): Promise<void>;
}

export interface LevelStorageOptions {
  /**
   * Bytes (keys and values) that writes queued behind the batch being synced may hold; a write
   * that does not fit is refused with `StorageQueueFullError`. A write into an empty queue is
   * always taken, however large. Default 64 MiB.
   */
  maxQueuedBytes?: number;
}

/** Plain counters for metrics (`swarmguard_storage_*`). */
export interface LevelStorageStats {
  /** `write` calls made durable, and the ops they held. */
  writes: number;
  ops: number;
  /** Sync batches committed (one per group of writes), the ops and the key + value bytes they held after merging. */
  groups: number;
  opsWritten: number;
  bytesWritten: number;
  /** Writes waiting behind the batch being synced, and their bytes. */
  queuedWrites: number;
  queuedBytes: number;
  /** Writes refused because the queue was full. */
  refused: number;
  /** Whether a write failed (the store then takes no further writes). */
  failed: boolean;
  /** Seconds from `write` to durable: the latest write's, and all of them as a histogram. */
  lastWriteSeconds: number;
  writeSeconds: LatencyHistogram;
}

interface QueuedWrite {
  ops: StorageOp[];
  bytes: number;
  start: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

const ENCODINGS: LevelEncodings = { keyEncoding: 'utf8', valueEncoding: 'view' };
const SYNC = { ...ENCODINGS, sync: true };
const DEFAULT_MAX_QUEUED_BYTES = 64 * 1024 * 1024;
const ITERATOR_STEP = 256;
const now = (): number => performance.now();

/**
 * `Storage` on an abstract-level database. Every group of writes is one atomic
 * `db.batch(ops, { sync: true })`: on LevelDB that batch is one record of its write-ahead log,
 * fsynced before the batch resolves, so the log is LevelDB's own and nothing else is written.
 *
 * Group commit: writes made in one turn of the event loop, and every write made while a batch
 * is being synced, wait in a queue and go as the next batch, merged in order (a later op on the
 * same key replaces the earlier one, which was never visible: the group is atomic). Each write's
 * promise resolves, in order, when its group is durable; one fsync then serves many small writes.
 *
 * A failed batch breaks the log: its writes, the queued ones and every later write reject with
 * `StorageWriteError`, so nothing not durable is reported durable. Reads go on working.
 */
export class LevelStorage implements Storage {
  private readonly db: LevelDatabase;
  private readonly maxQueuedBytes: number;
  private queue: QueuedWrite[] = [];
  private queuedBytes = 0;
  /** The loop committing the queue, group after group, while it is not empty. */
  private pump: Promise<void> | null = null;
  private failure: StorageWriteError | null = null;
  private closing: Promise<void> | null = null;
  private readonly latency = new LatencyRecorder();
  private readonly counts = { writes: 0, ops: 0, groups: 0, opsWritten: 0, bytesWritten: 0, refused: 0 };

  constructor(db: LevelDatabase, options?: LevelStorageOptions) {
    this.db = requireObject<LevelDatabase>(db, 'LevelStorage', 'db');
    const o = requireOptions(options, 'LevelStorage', 'options', ['maxQueuedBytes']);
    this.maxQueuedBytes = requireInteger(o.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES, 'LevelStorage', 'options.maxQueuedBytes', 1);
  }

  write(ops: readonly StorageOp[]): Promise<void> {
    const copy = copyOps(ops, 'LevelStorage.write');
    if (this.closing !== null) return Promise.reject(new StorageClosedError('LevelStorage.write'));
    if (this.failure !== null) return Promise.reject(this.failure);
    let bytes = 0;
    for (const op of copy) bytes += op.key.length + (op.type === 'put' ? op.value.length : 0);
    if (this.queuedBytes > 0 && this.queuedBytes + bytes > this.maxQueuedBytes) {
      this.counts.refused++;
      return Promise.reject(new StorageQueueFullError('LevelStorage.write', this.queuedBytes, bytes, this.maxQueuedBytes));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ ops: copy, bytes, start: now(), resolve, reject });
      this.queuedBytes += bytes;
      this.pump ??= this.drain();
    });
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    requireString(key, 'LevelStorage.get', 'key');
    if (this.closing !== null) throw new StorageClosedError('LevelStorage.get');
    try {
      const value = await this.db.get(key, ENCODINGS);
      return value === undefined ? undefined : plain(value);
    } catch (err) {
      throw this.readError('LevelStorage.get', err);
    }
  }

  async *entries(range?: KeyRange): AsyncIterable<[string, Uint8Array]> {
    const r = checkRange(range, 'LevelStorage.entries');
    if (this.closing !== null) throw new StorageClosedError('LevelStorage.entries');
    const iterator = this.db.iterator({ ...r, ...ENCODINGS });
    try {
      for (;;) {
        let step: [string, Uint8Array][];
        try {
          step = await iterator.nextv(ITERATOR_STEP);
        } catch (err) {
          throw this.readError('LevelStorage.entries', err);
        }
        if (step.length === 0) return;
        for (const [key, value] of step) yield [key, plain(value)];
      }
    } finally {
      await iterator.close();
    }
  }

  /** Lets every write already made become durable (or fail), then closes the database. Later calls reject with `StorageClosedError`. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.pump !== null) await this.pump;
      await this.db.close();
    })();
    return this.closing;
  }

  stats(): LevelStorageStats {
    return {
      ...this.counts,
      queuedWrites: this.queue.length,
      queuedBytes: this.queuedBytes,
      failed: this.failure !== null,
      lastWriteSeconds: this.latency.last,
      writeSeconds: this.latency.snapshot(),
    };
  }

  /** Commits the queue group by group until it is empty; the first group waits one microtask so that writes made together go together. */
  private async drain(): Promise<void> {
    await Promise.resolve();
    while (this.queue.length > 0) {
      const group = this.queue;
      this.queue = [];
      this.queuedBytes = 0;
      await this.commit(group);
    }
    this.pump = null;
  }

  private async commit(group: QueuedWrite[]): Promise<void> {
    const ops = group.length === 1 ? group[0].ops : merge(group);
    try {
      await this.db.batch(ops, SYNC);
    } catch (err) {
      this.failure = new StorageWriteError('LevelStorage.write', { cause: err });
      for (const write of group) write.reject(this.failure);
      for (const write of this.queue) write.reject(this.failure);
      this.queue = [];
      this.queuedBytes = 0;
      return;
    }
    const end = now();
    const c = this.counts;
    c.groups++;
    c.opsWritten += ops.length;
    for (const op of ops) c.bytesWritten += op.key.length + (op.type === 'put' ? op.value.length : 0);
    for (const write of group) {
      c.writes++;
      c.ops += write.ops.length;
      this.latency.observe((end - write.start) / 1000);
      write.resolve();
    }
  }

  private readError(where: string, err: unknown): Error {
    if (this.closing !== null || isNotOpen(err)) return new StorageClosedError(where);
    return new StorageReadError(where, { cause: err });
  }
}

/** The ops of several writes as one batch: in order, the last op on each key kept (the batch is atomic, so the others were never visible). */
function merge(group: QueuedWrite[]): StorageOp[] {
  const last = new Map<string, StorageOp>();
  for (const write of group) {
    for (const op of write.ops) {
      last.delete(op.key);
      last.set(op.key, op);
    }
  }
  return [...last.values()];
}

/**
 * A plain Uint8Array copy: memory-level hands out the bytes it stores, and classic-level Buffers
 * (whose `slice` does not copy).
 */
function plain(value: Uint8Array): Uint8Array {
  return new Uint8Array(value);
}

function isNotOpen(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'LEVEL_DATABASE_NOT_OPEN';
}
