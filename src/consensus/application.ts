import type { Transaction } from '../tx/index.js';
import { senderKey } from './block.js';
import { Reader, Writer } from './codec.js';

/**
 * The replicated state machine a replica drives. It must be deterministic: the same transactions
 * in the same order give the same results and snapshots on every replica.
 */
export interface Application {
  /**
   * Executes one transaction and returns its result. Called once per transaction, in order: the
   * signature was verified and `tx.nonce` is the sender's last executed nonce + 1.
   */
  execute(tx: Transaction, height: number): Uint8Array;
  /**
   * Called once per committed block, after its transactions ran (also for a block with none):
   * where an application does per-block work such as epoch ends.
   */
  endBlock?(height: number): void;
  /** Serialises the whole state (taken at checkpoints). */
  snapshot(): Uint8Array;
  /** Replaces the whole state (state transfer, restart). */
  restore(snapshot: Uint8Array): void;
}

export interface AccountRecord {
  sender: Uint8Array;
  /** Last executed nonce. */
  nonce: number;
  /** Id of that transaction and its result: a client that lost the reply asks again. */
  txId: Uint8Array;
  result: Uint8Array;
}

/** Last executed nonce, transaction id and result per sender: what makes execution exactly-once. */
export class AccountTable {
  private readonly records = new Map<string, AccountRecord>();

  /** By `senderKey` (the hot path computes the key once). */
  get(key: string): AccountRecord | undefined {
    return this.records.get(key);
  }
  /** Last executed nonce of a sender by `senderKey` (0: none yet). */
  lastNonceOf(key: string): number {
    return this.records.get(key)?.nonce ?? 0;
  }
  record(key: string, sender: Uint8Array, nonce: number, txId: Uint8Array, result: Uint8Array): void {
    const r = this.records.get(key);
    if (r) {
      r.nonce = nonce;
      r.txId = txId;
      r.result = result;
    } else {
      this.records.set(key, { sender: sender.slice(), nonce, txId, result });
    }
  }
  /** Sorted by sender, so equal tables encode to equal bytes. */
  encode(w: Writer): void {
    const keys = [...this.records.keys()].sort();
    w.u32(keys.length);
    for (const key of keys) {
      const r = this.records.get(key) as AccountRecord;
      w.u8(r.sender.length).raw(r.sender).u64(r.nonce).raw(r.txId).bytes(r.result);
    }
  }
  decodeInto(r: Reader): void {
    this.records.clear();
    const count = r.u32();
    for (let i = 0; i < count; i++) {
      const sender = r.raw(r.u8()).slice();
      const nonce = r.u64();
      const txId = r.raw(32).slice();
      this.record(senderKey(sender), sender, nonce, txId, r.bytes().slice());
    }
  }
}

/** Replica snapshot at a checkpoint: the account table, then the application's own snapshot. */
export function encodeSnapshot(table: AccountTable, app: Application): Uint8Array {
  const w = new Writer(1024);
  table.encode(w);
  w.bytes(app.snapshot());
  return w.finish();
}

export function restoreSnapshot(snapshot: Uint8Array, table: AccountTable, app: Application): void {
  const r = new Reader(snapshot);
  table.decodeInto(r);
  const appState = r.bytes();
  r.end();
  app.restore(appState);
}
