import { type ClientRequest, clientKey } from './block.js';
import { Reader, Writer } from './codec.js';

/**
 * The replicated state machine a replica drives. It must be deterministic: the same requests in
 * the same order give the same results and snapshots on every replica.
 */
export interface Application {
  /** Executes one request (called at most once per (clientId, seq)) and returns its result. */
  execute(request: ClientRequest, height: number): Uint8Array;
  /** Serialises the whole state (taken at checkpoints). */
  snapshot(): Uint8Array;
  /** Replaces the whole state (state transfer, restart). */
  restore(snapshot: Uint8Array): void;
}

export interface ClientRecord {
  clientId: Uint8Array;
  seq: number;
  result: Uint8Array;
}

/** Last executed request and its result per client: what makes execution at-most-once. */
export class ClientTable {
  private readonly records = new Map<string, ClientRecord>();

  lastSeq(clientId: Uint8Array): number {
    return this.records.get(clientKey(clientId))?.seq ?? 0;
  }
  get(clientId: Uint8Array): ClientRecord | undefined {
    return this.records.get(clientKey(clientId));
  }
  record(clientId: Uint8Array, seq: number, result: Uint8Array, key = clientKey(clientId)): void {
    const r = this.records.get(key);
    if (r) {
      r.seq = seq;
      r.result = result;
    } else {
      this.records.set(key, { clientId: clientId.slice(), seq, result });
    }
  }
  /** Last executed seq by precomputed `clientKey` (the hot path computes the key once). */
  lastSeqOf(key: string): number {
    return this.records.get(key)?.seq ?? 0;
  }
  /** Sorted by client key, so equal tables encode to equal bytes. */
  encode(w: Writer): void {
    const keys = [...this.records.keys()].sort();
    w.u32(keys.length);
    for (const key of keys) {
      const r = this.records.get(key) as ClientRecord;
      w.u8(r.clientId.length).raw(r.clientId).u64(r.seq).bytes(r.result);
    }
  }
  decodeInto(r: Reader): void {
    this.records.clear();
    const count = r.u32();
    for (let i = 0; i < count; i++) {
      const clientId = r.raw(r.u8()).slice();
      const seq = r.u64();
      this.record(clientId, seq, r.bytes().slice());
    }
  }
}

/** Replica snapshot at a checkpoint: the client table, then the application's own snapshot. */
export function encodeSnapshot(table: ClientTable, app: Application): Uint8Array {
  const w = new Writer(1024);
  table.encode(w);
  w.bytes(app.snapshot());
  return w.finish();
}

export function restoreSnapshot(snapshot: Uint8Array, table: ClientTable, app: Application): void {
  const r = new Reader(snapshot);
  table.decodeInto(r);
  const appState = r.bytes();
  r.end();
  app.restore(appState);
}
