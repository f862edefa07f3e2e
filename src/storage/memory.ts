import { ArgumentRangeError, requireInteger, requireOneOf, requireOptions, requireString } from '../check/index.js';
import { StorageClosedError } from './errors.js';
import { checkRange, copyOps } from './ops.js';
import type { KeyRange, Storage, StorageOp } from './storage.js';

export interface MemoryStorageOptions {
  /**
   * When a write becomes durable: `'immediate'` (default) before `write` returns, or
   * `'manual'`, when the host calls `flush` (a simulated disk deciding in simulated time).
   */
  durability?: 'immediate' | 'manual';
}

const DURABILITY = ['immediate', 'manual'] as const;

interface PendingWrite {
  ops: StorageOp[];
  done: () => void;
}

/**
 * `Storage` in memory, for tests, the simulator and the bench. Besides the asynchronous
 * interface it has a synchronous surface for a deterministic host: with `durability: 'manual'`
 * writes wait in order until `flush` makes them durable, `crash` loses those not yet durable,
 * `flipBit` corrupts a stored record, and `records`/`peek` read what is durable without
 * awaiting. Stored values are never changed in place (a put stores a copy, a fault replaces the
 * value), so bytes that `records` and `peek` share keep what they held when read.
 */
export class MemoryStorage implements Storage {
  private readonly durable = new Map<string, Uint8Array>();
  private readonly pending: PendingWrite[] = [];
  private readonly manual: boolean;
  private closed = false;

  constructor(options?: MemoryStorageOptions) {
    const o = requireOptions(options, 'MemoryStorage', 'options', ['durability']);
    this.manual = requireOneOf(o.durability ?? 'immediate', 'MemoryStorage', 'options.durability', DURABILITY) === 'manual';
  }

  write(ops: readonly StorageOp[]): Promise<void> {
    const copy = copyOps(ops, 'MemoryStorage.write');
    if (this.closed) return Promise.reject(new StorageClosedError('MemoryStorage.write'));
    if (!this.manual) {
      this.apply(copy);
      return Promise.resolve();
    }
    return new Promise((resolve) => this.pending.push({ ops: copy, done: resolve }));
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    requireString(key, 'MemoryStorage.get', 'key');
    if (this.closed) throw new StorageClosedError('MemoryStorage.get');
    return this.durable.get(key)?.slice();
  }

  async *entries(range?: KeyRange): AsyncIterable<[string, Uint8Array]> {
    const records = this.select(range, 'MemoryStorage.entries');
    if (this.closed) throw new StorageClosedError('MemoryStorage.entries');
    for (const [key, value] of records) yield [key, value.slice()];
  }

  /** Makes every pending write durable, then refuses further use. */
  async close(): Promise<void> {
    this.flush();
    this.closed = true;
  }

  /** Writes made but not yet durable (only with `durability: 'manual'`). */
  get pendingWrites(): number {
    return this.pending.length;
  }

  /** Makes the oldest `count` pending writes durable, in order, and resolves their promises. */
  flush(count = this.pending.length): void {
    requireInteger(count, 'MemoryStorage.flush', 'count', 0);
    for (const write of this.pending.splice(0, count)) {
      this.apply(write.ops);
      write.done();
    }
  }

  /** A crash: the writes not yet durable are lost (their promises never settle: whoever awaited them is gone). Returns how many. */
  crash(): number {
    return this.pending.splice(0).length;
  }

  /** Durable records in key order within `range`, without copying (do not modify them). */
  records(range?: KeyRange): [string, Uint8Array][] {
    return this.select(range, 'MemoryStorage.records');
  }

  private select(range: KeyRange | undefined, where: string): [string, Uint8Array][] {
    const r = checkRange(range, where);
    const keys: string[] = [];
    for (const key of this.durable.keys()) if ((r.gte === undefined || key >= r.gte) && (r.lt === undefined || key < r.lt)) keys.push(key);
    return keys.sort().map((key) => [key, this.durable.get(key) as Uint8Array]);
  }

  /** The durable value under `key`, without copying (do not modify it). */
  peek(key: string): Uint8Array | undefined {
    return this.durable.get(requireString(key, 'MemoryStorage.peek', 'key'));
  }

  /** Flips bit `bit` (0 = lowest bit of the first byte) of the durable record under `key`: a corrupted sector. */
  flipBit(key: string, bit: number): void {
    const value = this.durable.get(requireString(key, 'MemoryStorage.flipBit', 'key'));
    if (value === undefined) throw new ArgumentRangeError('MemoryStorage.flipBit', 'key', `names no stored record, got '${key}'`);
    requireInteger(bit, 'MemoryStorage.flipBit', 'bit', 0, value.length * 8 - 1);
    const corrupted = value.slice();
    corrupted[bit >> 3] ^= 1 << (bit & 7);
    this.durable.set(key, corrupted);
  }

  private apply(ops: StorageOp[]): void {
    for (const op of ops) {
      if (op.type === 'put') this.durable.set(op.key, op.value);
      else this.durable.delete(op.key);
    }
  }
}
