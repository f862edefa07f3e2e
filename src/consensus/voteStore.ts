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
 * Verified votes a replica holds, keyed by (type, view, seq) and sender. Only a sender's first
 * vote per key is kept; a second with another digest is equivocation, and the store turns the
 * first such pair per (sender, type, view, seq) into `Evidence`.
 */
export class VoteStore {
  private readonly groups = new Map<string, VoteGroup>();
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
      if (g.seq <= seq && (checkpoints || g.type !== MessageType.Checkpoint)) this.groups.delete(key);
    }
    if (checkpoints) for (const [offence, at] of this.reported) if (at <= seq) this.reported.delete(offence);
  }
}
