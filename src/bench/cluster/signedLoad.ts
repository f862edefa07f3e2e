import { kvSet } from '../../kv/index.js';
import { nodeSha256 } from '../../node/index.js';
import { ed25519 } from '../../sig/index.js';
import { signTransaction } from '../../tx/index.js';

/** One signed transaction, its place in the sequence (a sender's lower places hold its lower nonces) and its sender. */
export interface LoadTx {
  index: number;
  sender: number;
  bytes: Uint8Array;
}

/**
 * The load generator's transactions: place k is signed by account k mod S with nonce ⌊k / S⌋ + 1,
 * so any prefix of the sequence gives every account consecutive nonces from 1. A key-value write
 * per transaction (each account its own key, so the state stays small however long the run).
 * Kept (`keep`), the sequence is signed ahead of the timing and replayed after `reset` to a fresh
 * chain; otherwise signed as it is taken and forgotten (long fills of millions).
 */
export class SignedLoad {
  private readonly keys: { secretKey: Uint8Array; publicKey: Uint8Array }[];
  private readonly signed: Uint8Array[] = [];
  private next = 0;
  /** Refused for now (full pool, nonce gap): sent again before anything new, lowest places first. */
  private retry: LoadTx[] = [];

  constructor(
    private readonly chainId: string,
    senders: number,
    private readonly keep: boolean,
  ) {
    this.keys = Array.from({ length: senders }, (_, i) => ed25519.generateKeyPair(nodeSha256(new TextEncoder().encode(`bench-cluster/sender/${i}`))));
  }

  /** Signs places up to `count` (kept): what the next `take`s hand out without signing. */
  prepare(count: number): number {
    while (this.signed.length < count) this.signed.push(this.sign(this.signed.length));
    return this.signed.length;
  }

  /** Starts the sequence again at place 0 (a fresh chain: every nonce from 1). */
  reset(): void {
    this.next = 0;
    this.retry = [];
  }

  /** Transactions to send again, in place order (a sender's nonces in order). */
  requeue(txs: readonly LoadTx[]): void {
    this.retry = [...this.retry, ...txs].sort((a, b) => a.index - b.index);
  }

  /** Every transaction waiting to be sent again, lowest places first. */
  takeRetries(): LoadTx[] {
    return this.retry.splice(0);
  }

  /** The next `count` places, never sent before. */
  take(count: number): LoadTx[] {
    const out: LoadTx[] = new Array(count);
    for (let i = 0; i < count; i++, this.next++) {
      const bytes = this.keep && this.next < this.signed.length ? this.signed[this.next] : this.sign(this.next);
      out[i] = { index: this.next, sender: this.next % this.keys.length, bytes };
      if (this.keep && this.next === this.signed.length) this.signed.push(out[i].bytes);
    }
    return out;
  }

  private sign(place: number): Uint8Array {
    const sender = place % this.keys.length;
    const nonce = Math.floor(place / this.keys.length) + 1;
    return signTransaction({ chainId: this.chainId, nonce, payload: kvSet(`a${sender}`, `v${place}`) }, this.keys[sender]).bytes;
  }
}

/** A binary `POST /v1/txs` body: [u32 big-endian length][transaction] repeated. */
export function batchBody(txs: readonly LoadTx[]): Uint8Array<ArrayBuffer> {
  let size = 0;
  for (const t of txs) size += 4 + t.bytes.length;
  const body = new Uint8Array(size);
  const view = new DataView(body.buffer);
  let at = 0;
  for (const t of txs) {
    view.setUint32(at, t.bytes.length);
    body.set(t.bytes, at + 4);
    at += 4 + t.bytes.length;
  }
  return body;
}
