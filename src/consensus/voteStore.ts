import { equalBytes } from '../bytes/index.js';
import { MessageType, type Vote, type VoteType } from './messages.js';
import type { Evidence } from './step.js';

/** The votes of one (type, view, seq), by sender. */
export interface VoteGroup {
  type: VoteType;
  view: number;
  seq: number;
  bySender: Map<number, Vote>;
}

/**
 * Views in which one sender's votes of one type are kept per seq. An honest sender votes in a
 * view, then (after a view change) in a later one; the callers accept views up to 4 above the
 * current one, and this bounds the views below it that a sender could fill with signed votes.
 */
export const VIEWS_PER_SLOT = 8;

/**
 * Verified votes a replica holds, keyed by (type, view, seq) and sender. Only a sender's first
 * vote per key is kept; a second with another digest is equivocation, and the store turns the
 * first such pair per (sender, type, view, seq) into `Evidence`. Per (sender, type, seq) votes of
 * at most `VIEWS_PER_SLOT` views are held, the earliest stored going first.
 */
export class VoteStore {
  private readonly groups = new Map<string, VoteGroup>();
  /** Views held per (type, seq) and sender, in the order stored. */
  private readonly slots = new Map<string, { seq: number; bySender: Map<number, number[]> }>();
  private held = 0;
  /** (sender, type, view, seq) already reported: outlives its group, which a commit forgets before the checkpoint. */
  private readonly reported = new Map<string, number>();

  constructor(private readonly validators: readonly Uint8Array[]) {}

  /**
   * 'stored' for a sender's first vote on the key, 'duplicate' for the same digest again; a
   * conflicting digest returns `Evidence` the first time and 'equivocated' after.
   */
  add(v: Vote): 'stored' | 'duplicate' | 'equivocated' | Evidence {
    const key = `${v.type}:${v.view}:${v.seq}`;
    let g = this.groups.get(key);
    if (!g) this.groups.set(key, (g = { type: v.type, view: v.view, seq: v.seq, bySender: new Map() }));
    const prior = g.bySender.get(v.sender);
    if (!prior) {
      g.bySender.set(v.sender, v);
      this.held++;
      this.keepViews(v);
      return 'stored';
    }
    if (equalBytes(prior.digest, v.digest)) return 'duplicate';
    const offence = `${v.sender}:${key}`;
    if (this.reported.has(offence)) return 'equivocated';
    this.reported.set(offence, v.seq);
    return {
      kind: 'equivocation',
      validator: v.sender,
      publicKey: this.validators[v.sender],
      view: prior.view,
      seq: prior.seq,
      first: prior.bytes,
      second: v.bytes,
    };
  }

  /** Votes held (PREPARE and COMMIT, and CHECKPOINT). */
  get size(): number {
    return this.held;
  }

  /** CHECKPOINT votes held. */
  checkpointVotes(): number {
    let count = 0;
    for (const g of this.groups.values()) if (g.type === MessageType.Checkpoint) count += g.bySender.size;
    return count;
  }

  /** Records the view of a vote just stored; past `VIEWS_PER_SLOT` views, the sender's earliest stored vote in that slot goes. */
  private keepViews(v: Vote): void {
    const slotKey = `${v.type}:${v.seq}`;
    let slot = this.slots.get(slotKey);
    if (!slot) this.slots.set(slotKey, (slot = { seq: v.seq, bySender: new Map() }));
    let views = slot.bySender.get(v.sender);
    if (!views) slot.bySender.set(v.sender, (views = []));
    views.push(v.view);
    if (views.length <= VIEWS_PER_SLOT) return;
    const evicted = `${v.type}:${views.shift() as number}:${v.seq}`;
    const g = this.groups.get(evicted);
    if (!g?.bySender.delete(v.sender)) return;
    this.held--;
    if (g.bySender.size === 0) this.groups.delete(evicted);
  }

  /** The votes of (type, view, seq) for `digest`, from distinct senders. */
  matching(type: VoteType, view: number, seq: number, digest: Uint8Array): Vote[] {
    const out: Vote[] = [];
    const g = this.groups.get(`${type}:${view}:${seq}`);
    if (g) for (const v of g.bySender.values()) if (equalBytes(v.digest, digest)) out.push(v);
    return out;
  }

  /** `sender`'s vote of (type, view, seq), if held. */
  of(type: VoteType, view: number, seq: number, sender: number): Vote | undefined {
    return this.groups.get(`${type}:${view}:${seq}`)?.bySender.get(sender);
  }

  /** PREPARE and COMMIT groups for `seq`, in any view. */
  phasesAt(seq: number): VoteGroup[] {
    const out: VoteGroup[] = [];
    for (const g of this.groups.values()) if (g.seq === seq && g.type !== MessageType.Checkpoint) out.push(g);
    return out;
  }

  /**
   * Forgets PREPARE/COMMIT groups at or below `seq`; with `checkpoints` (a stable checkpoint)
   * also CHECKPOINT groups and the record of which equivocations were reported.
   */
  forgetUpTo(seq: number, checkpoints: boolean): void {
    for (const [key, g] of this.groups) {
      if (g.seq <= seq && (checkpoints || g.type !== MessageType.Checkpoint)) {
        this.groups.delete(key);
        this.held -= g.bySender.size;
      }
    }
    for (const [key, slot] of this.slots) {
      if (slot.seq <= seq && (checkpoints || !key.startsWith(`${MessageType.Checkpoint}:`))) this.slots.delete(key);
    }
    if (checkpoints) for (const [offence, at] of this.reported) if (at <= seq) this.reported.delete(offence);
  }
}
