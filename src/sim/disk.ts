import { MemoryStorage, type StorageOp } from '../storage/index.js';
import type { Prng } from './prng.js';

/** How one disk writes and fails: mean latency and, while faults are active, slow writes, torn writes and bit flips. */
export interface DiskModel {
  /** Mean write latency in ms (exponential); 0 makes every write durable at once. */
  latency: number;
  /** Slow writes: this share of them takes `factor` times as long. */
  slow?: { rate: number; factor: number };
  /** Torn writes: this share of crashes with a write in flight land part of it. */
  torn?: { rate: number };
  /** Latent corruption: this share of crashes find up to `records` stored records with a flipped bit at restart. */
  corrupt?: { rate: number; records: number };
  /** The key of the other copy of a record kept twice, or null: faults never damage both. */
  otherCopy: (key: string) => string | null;
}

interface PendingWrite {
  seq: number;
  ops: StorageOp[];
  doneAt: number;
}

/**
 * One replica's disk over a `MemoryStorage`: writes take simulated time and complete one after
 * another, in the order they were made (a resolved write means it and every earlier one are
 * durable). A crash loses the writes not yet durable, except a prefix that happened to land, and
 * may tear the write in flight or find stored records corrupted; what is durable is what a
 * restart reads. Of a record kept twice, faults damage one copy at most (see `ruin`).
 */
export class SimulatedDisk {
  private readonly store = new MemoryStorage();
  private readonly pending: PendingWrite[] = [];
  /** Keys whose record is damaged, or whose newer version a torn write lost, until rewritten. */
  private readonly damaged = new Set<string>();
  private issued = 0;
  /** Whether the last crash corrupted stored records. */
  corrupted = false;
  private completed = 0;
  private busyUntil = 0;

  constructor(
    private readonly rng: Prng,
    private readonly model: DiskModel,
    /** True while faults are active (slow writes happen only then). */
    private readonly faulty: () => boolean,
    /**
     * Whether a crash may corrupt stored records now (the simulation's budget: a corrupted log
     * entry or body comes back only from a peer that still holds it).
     */
    private readonly mayCorrupt: () => boolean = () => true,
  ) {}

  /** Writes issued so far: write number k waits for writes 1 … k-1. */
  get writes(): number {
    return this.issued;
  }

  /** Writes durable so far (in order: writes 1 … `durable`). */
  get durable(): number {
    return this.completed;
  }

  /** When the oldest pending write becomes durable, if any is pending. */
  get nextDue(): number | undefined {
    return this.pending[0]?.doneAt;
  }

  /** When pending write number `seq` becomes durable (undefined if it is not pending). */
  dueOf(seq: number): number | undefined {
    return this.pending.find((w) => w.seq === seq)?.doneAt;
  }

  /** Issues a write at `now`; returns its number. */
  write(now: number, ops: readonly StorageOp[]): number {
    const seq = ++this.issued;
    if (this.model.latency === 0 && this.pending.length === 0) {
      this.land(ops);
      this.completed = seq;
      return seq;
    }
    let took = this.rng.exp(this.model.latency);
    const slow = this.model.slow;
    if (slow && this.faulty() && this.rng.chance(slow.rate)) took *= slow.factor;
    this.busyUntil = Math.max(now, this.busyUntil) + took;
    this.pending.push({ seq, ops: [...ops], doneAt: this.busyUntil });
    return seq;
  }

  /** Makes durable the writes due by `now`, at most `limit` of them; returns how many. */
  complete(now: number, limit = Infinity): number {
    let count = 0;
    while (count < limit && this.pending.length && this.pending[0].doneAt <= now) {
      const w = this.pending.shift() as PendingWrite;
      this.land(w.ops);
      this.completed = w.seq;
      count++;
    }
    return count;
  }

  /**
   * Power fails: of the writes not yet durable, a random prefix lands (the device had finished
   * them) and the rest are lost; the first lost one may be torn, and stored records may turn out
   * corrupted when the disk is read again. Returns how many writes were lost.
   */
  crash(): number {
    const landed = this.rng.int(this.pending.length + 1);
    for (const w of this.pending.splice(0, landed)) this.land(w.ops);
    const lost = this.pending.length;
    const { torn, corrupt } = this.model;
    if (lost && torn && this.faulty() && this.rng.chance(torn.rate)) this.tear(this.pending[0].ops);
    this.corrupted = false;
    if (corrupt && this.faulty() && this.mayCorrupt() && this.rng.chance(corrupt.rate)) {
      this.corrupt(1 + this.rng.int(corrupt.records));
      this.corrupted = true;
    }
    this.pending.length = 0;
    this.busyUntil = 0;
    // Numbering goes on after a restart, so a new write never takes a lost one's number.
    this.completed = this.issued;
    return lost;
  }

  /** What is durable, in key order (what a restart reads). */
  records(): [string, Uint8Array][] {
    return this.store.records();
  }

  /**
   * Damages both copies of one record kept twice: beyond the faults recovery survives, so the
   * replica refuses to start (the simulation does this only within its fault budget). Returns the
   * keys, or null when no such pair is stored.
   */
  ruin(): [string, string] | null {
    const pairs = this.store.records().flatMap(([key]) => {
      const other = this.model.otherCopy(key);
      return other !== null && key < other && this.store.peek(other) ? [[key, other] as [string, string]] : [];
    });
    if (pairs.length === 0) return null;
    const pair = this.rng.pick(pairs);
    for (const key of pair) this.flip(key);
    return pair;
  }

  /** The power failed in the middle of this write: a prefix of its records landed, the last of them garbled. */
  private tear(ops: readonly StorageOp[]): void {
    let k = 1 + this.rng.int(ops.length);
    for (const op of ops.slice(0, k - 1)) this.land([op]);
    const last = ops[k - 1];
    const other = last.type === 'put' ? this.model.otherCopy(last.key) : null;
    if (last.type === 'del') {
      this.land([last]);
    } else if (other !== null && this.damaged.has(other)) {
      k--; // never both copies: the cut falls just before it
    } else {
      const value = last.value.slice();
      value[this.rng.int(value.length)] ^= 1 << this.rng.int(8);
      this.land([{ type: 'put', key: last.key, value }]);
      this.damaged.add(last.key);
    }
    for (const op of ops.slice(k)) if (op.type === 'put') this.damaged.add(op.key);
  }

  /** Flips a bit in up to `count` stored records, each of a kind drawn first (so rare kinds get their turn). */
  private corrupt(count: number): void {
    const byKind = new Map<string, string[]>();
    for (const [key] of this.store.records()) {
      const other = this.model.otherCopy(key);
      if (this.damaged.has(key) || (other !== null && this.damaged.has(other))) continue;
      const kind = key.split('/')[0];
      byKind.set(kind, [...(byKind.get(kind) ?? []), key]);
    }
    const take = (key: string) => {
      const kind = key.split('/')[0];
      const keys = byKind.get(kind) ?? [];
      if (keys.includes(key)) keys.splice(keys.indexOf(key), 1);
      if (keys.length === 0) byKind.delete(kind);
    };
    for (let i = 0; i < count && byKind.size; i++) {
      const keys = byKind.get(this.rng.pick([...byKind.keys()])) as string[];
      const key = keys[this.rng.int(keys.length)];
      take(key);
      const other = this.model.otherCopy(key);
      if (other !== null) take(other);
      this.flip(key);
    }
  }

  private flip(key: string): void {
    const value = this.store.peek(key) as Uint8Array;
    this.store.flipBit(key, this.rng.int(value.length * 8));
    this.damaged.add(key);
  }

  private land(ops: readonly StorageOp[]): void {
    void this.store.write(ops);
    for (const op of ops) this.damaged.delete(op.key);
  }
}
