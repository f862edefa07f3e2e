import type { Transaction } from '../tx/index.js';

/** A transaction as decoded and verified on admission or in a proposal, reused at execution. */
export interface DecodedTx {
  tx: Transaction;
  /** `senderKey(tx.sender)`. */
  key: string;
  /** `transactionId(tx.bytes)`. */
  id: Uint8Array;
}

/**
 * Admitted transactions waiting to be ordered, in arrival order, one per (sender, nonce): a
 * second, different transaction with the same sender and nonce is refused as a duplicate. The
 * primary cuts blocks from it; every replica keeps it, because pending work is what arms the
 * view-change timer.
 */
export class RequestPool {
  private readonly entries = new Map<string, DecodedTx>();
  /** Highest pending nonce per sender: pending nonces always run on from the executed one without a gap. */
  private readonly top = new Map<string, number>();
  /** When each pending transaction arrived, by pool key (the same order as `entries`). */
  private readonly arrived = new Map<string, number>();
  /** The view in which a backup last passed each pending transaction on to the primary. */
  private readonly forwarded = new Map<string, number>();
  /** When the oldest transaction still waiting arrived (or the last block committed): the batch timer. */
  since = 0;

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  /**
   * Adds a transaction whose nonce is above `executed` (its sender's last executed nonce). One
   * that would leave a gap after the sender's pending ones is refused: everything pending must be
   * proposable, or a sender could keep the view-change timer armed with work no primary can order.
   */
  add(entry: DecodedTx, now: number, executed: number): 'added' | 'duplicate' | 'full' | 'gap' {
    const key = `${entry.key}:${entry.tx.nonce}`;
    if (this.entries.has(key)) return 'duplicate';
    if (entry.tx.nonce > (this.top.get(entry.key) ?? executed) + 1) return 'gap';
    if (this.entries.size >= this.capacity) return 'full';
    if (this.entries.size === 0) this.since = now;
    this.entries.set(key, entry);
    this.arrived.set(key, now);
    this.top.set(entry.key, entry.tx.nonce);
    return 'added';
  }

  /** The transaction waiting longest (arrival order), and when it arrived; null when none waits. */
  oldest(): { key: string; since: number } | null {
    for (const [key, since] of this.arrived) return { key, since };
    return null;
  }

  /**
   * Up to `max` transactions that arrived at or before `before` and were not yet passed on in
   * `view`, oldest first; they are marked as passed on in `view`.
   */
  forwardable(before: number, view: number, max: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const [key, at] of this.arrived) {
      if (at > before || out.length >= max) break;
      if (this.forwarded.get(key) === view) continue;
      this.forwarded.set(key, view);
      out.push((this.entries.get(key) as DecodedTx).tx.bytes);
    }
    return out;
  }

  /** Forgets (sender, nonce) once executed, whichever transaction held it (`key` is its `senderKey`); true if one was pending. */
  remove(key: string, nonce: number): boolean {
    const entry = `${key}:${nonce}`;
    const pending = this.entries.delete(entry);
    this.arrived.delete(entry);
    this.forwarded.delete(entry);
    const top = this.top.get(key);
    if (top !== undefined && top <= nonce) this.top.delete(key);
    return pending;
  }

  /**
   * Up to `max` transactions in arrival order where each sender's nonces run on consecutively from
   * its last executed one; transactions already executed are discarded, later ones wait.
   */
  batch(max: number, lastNonce: (key: string) => number): DecodedTx[] {
    const out: DecodedTx[] = [];
    const next = new Map<string, number>();
    for (const entry of this.entries.values()) {
      if (out.length >= max) break;
      const executed = lastNonce(entry.key);
      if (entry.tx.nonce <= executed) {
        this.remove(entry.key, entry.tx.nonce);
        continue;
      }
      const expected = next.get(entry.key) ?? executed + 1;
      if (entry.tx.nonce !== expected) continue;
      next.set(entry.key, expected + 1);
      out.push(entry);
    }
    return out;
  }
}
