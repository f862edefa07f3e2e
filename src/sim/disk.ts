import { MemoryStorage, type StorageOp } from '../storage/index.js';
import type { Prng } from './prng.js';

/** How one disk writes: mean latency and, while faults are active, slow writes. */
export interface DiskModel {
  /** Mean write latency in ms (exponential); 0 makes every write durable at once. */
  latency: number;
  /** Slow writes: this share of them takes `factor` times as long. */
  slow?: { rate: number; factor: number };
}

interface PendingWrite {
  seq: number;
  ops: StorageOp[];
  doneAt: number;
}

/**
 * One replica's disk over a `MemoryStorage`: writes take simulated time and complete one after
 * another, in the order they were made (a resolved write means it and every earlier one are
 * durable). A crash loses the writes not yet durable, except a prefix that happened to land;
 * what is durable is what a restart reads.
 */
export class SimulatedDisk {
  private readonly store = new MemoryStorage();
  private readonly pending: PendingWrite[] = [];
  private issued = 0;
  private completed = 0;
  private busyUntil = 0;

  constructor(
    private readonly rng: Prng,
    private readonly model: DiskModel,
    /** True while faults are active (slow writes happen only then). */
    private readonly faulty: () => boolean,
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
   * them) and the rest are lost. Returns how many were lost.
   */
  crash(): number {
    const landed = this.rng.int(this.pending.length + 1);
    for (const w of this.pending.splice(0, landed)) this.land(w.ops);
    const lost = this.pending.length;
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

  private land(ops: readonly StorageOp[]): void {
    void this.store.write(ops);
  }
}
