import type { Transaction } from '../tx/index.js';

/** A transaction as decoded and verified on admission or in a proposal, reused at execution. */
export interface DecodedTx {
  tx: Transaction;
  /** `senderKey(tx.sender)`. */
  key: string;
  /** `transactionId(tx.bytes)`. */
  id: Uint8Array;
}

interface Pending {
  entry: DecodedTx;
  /** When it arrived here. */
  at: number;
  /** When and in which view this backup last passed it on to the primary, if it did. */
  forwarded?: { view: number; at: number };
}

/**
 * Admitted transactions waiting to be ordered, in arrival order, one per (sender, nonce): a
 * second, different transaction with the same sender and nonce is refused as a duplicate. The
 * primary cuts blocks from it; every replica keeps it, because pending work is what arms the
 * view-change timer. Everything held is proposable: each sender's pending nonces run on from its
 * executed one without a gap (`prune` keeps that true when execution jumps ahead), and the pool
 * is bounded in entries and in bytes.
 */
export class RequestPool {
  private readonly entries = new Map<string, Pending>();
  /** Highest pending nonce per sender: pending nonces always run on from the executed one without a gap. */
  private readonly top = new Map<string, number>();
  private held = 0;
  /** When the oldest transaction still waiting arrived (or the last block committed): the batch timer. */
  since = 0;

  constructor(
    private readonly capacity: number,
    private readonly capacityBytes: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** Bytes of the signed transactions held. */
  get bytes(): number {
    return this.held;
  }

  /**
   * Adds a transaction whose nonce is above `executed` (its sender's last executed nonce). One
   * that would leave a gap after the sender's pending ones is refused: everything pending must be
   * proposable, or a sender could keep the view-change timer armed with work no primary can order.
   */
  add(entry: DecodedTx, now: number, executed: number): 'added' | 'duplicate' | 'full' | 'gap' {
    const key = `${entry.key}:${entry.tx.nonce}`;
    if (this.entries.has(key)) return 'duplicate';
    // A `top` at or below `executed` is stale (execution overtook it): pending ones resume from `executed`.
    if (entry.tx.nonce > Math.max(this.top.get(entry.key) ?? 0, executed) + 1) return 'gap';
    const length = entry.tx.bytes.length;
    if (this.entries.size >= this.capacity || this.held + length > this.capacityBytes) return 'full';
    if (this.entries.size === 0) this.since = now;
    this.entries.set(key, { entry, at: now });
    this.held += length;
    this.top.set(entry.key, entry.tx.nonce);
    return 'added';
  }

  /** Whether (sender, nonce) is pending here (`key` is its `senderKey`). */
  has(key: string, nonce: number): boolean {
    return this.entries.has(`${key}:${nonce}`);
  }

  /** Forgets (sender, nonce) once executed, whichever transaction held it (`key` is its `senderKey`); true if one was pending. */
  remove(key: string, nonce: number): boolean {
    const k = `${key}:${nonce}`;
    const pending = this.entries.get(k);
    if (pending) {
      this.entries.delete(k);
      this.held -= pending.entry.tx.bytes.length;
    }
    const top = this.top.get(key);
    if (top !== undefined && top <= nonce) this.top.delete(key);
    return pending !== undefined;
  }

  /**
   * Up to `max` transactions that arrived at or before `before` and were not passed on in `view`
   * since `again` (a forward can be lost too), oldest first; they are marked as passed on now.
   */
  forwardable(now: number, before: number, again: number, view: number, max: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const p of this.entries.values()) {
      if (p.at > before || out.length >= max) break;
      if (p.forwarded && p.forwarded.view === view && p.forwarded.at > again) continue;
      p.forwarded = { view, at: now };
      out.push(p.entry.tx.bytes);
    }
    return out;
  }

  /** Up to `max` waiting transactions, oldest first (a complaining backup shares the oldest with its peers). */
  waiting(max: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (const p of this.entries.values()) {
      if (out.length >= max) break;
      out.push(p.entry.tx.bytes);
    }
    return out;
  }

  /**
   * Drops every transaction at or below its sender's last executed nonce: after execution jumped
   * ahead (a checkpoint installed from a peer) they can never be proposed, yet would keep the
   * view-change timer armed and hold their senders' places.
   */
  prune(lastNonce: (key: string) => number): void {
    for (const { entry } of this.entries.values()) {
      if (entry.tx.nonce <= lastNonce(entry.key)) this.remove(entry.key, entry.tx.nonce);
    }
  }

  /** The transaction waiting longest (its sender's `senderKey` and nonce) and when it arrived; null when none waits. */
  oldest(): { key: string; nonce: number; since: number } | null {
    for (const { entry, at } of this.entries.values()) return { key: entry.key, nonce: entry.tx.nonce, since: at };
    return null;
  }

  /**
   * Up to `max` transactions in arrival order where each sender's nonces run on consecutively from
   * its last executed one, or from its last in `ahead` (blocks proposed and not executed yet,
   * whose transactions stay here until they execute); transactions already executed are
   * discarded, later ones wait.
   */
  batch(max: number, lastNonce: (key: string) => number, ahead?: Map<string, number>): DecodedTx[] {
    const out: DecodedTx[] = [];
    const next = new Map<string, number>();
    for (const { entry } of this.entries.values()) {
      if (out.length >= max) break;
      const executed = lastNonce(entry.key);
      if (entry.tx.nonce <= executed) {
        this.remove(entry.key, entry.tx.nonce);
        continue;
      }
      const expected = next.get(entry.key) ?? (ahead?.get(entry.key) ?? executed) + 1;
      if (entry.tx.nonce !== expected) continue;
      next.set(entry.key, expected + 1);
      out.push(entry);
    }
    return out;
  }
}
