import { MemoryStorage, type StorageOp } from '../storage/index.js';

/** One replica's disk: a `MemoryStorage` that makes every write durable at once. */
export class SimulatedDisk {
  private readonly store = new MemoryStorage();

  write(ops: readonly StorageOp[]): void {
    void this.store.write(ops);
  }

  /** What is durable, in key order (what a restart reads). */
  records(): [string, Uint8Array][] {
    return this.store.records();
  }
}
