import { equalBytes } from '../bytes/index.js';
import { MessageType, type Vote, type VoteType } from './messages.js';

/** The votes of one (type, view, seq), by sender. */
export interface VoteGroup {
  type: VoteType;
  view: number;
  seq: number;
  bySender: Map<number, Vote>;
}

/**
 * Verified votes a replica holds, keyed by (type, view, seq) and sender. Only a sender's first
 * vote per key is kept; a second with another digest is returned as a conflict (equivocation).
 */
export class VoteStore {
  private readonly groups = new Map<string, VoteGroup>();

  /** 'stored', 'duplicate', or the earlier vote this one conflicts with. */
  add(v: Vote): 'stored' | 'duplicate' | Vote {
    const key = `${v.type}:${v.view}:${v.seq}`;
    let g = this.groups.get(key);
    if (!g) this.groups.set(key, (g = { type: v.type, view: v.view, seq: v.seq, bySender: new Map() }));
    const prior = g.bySender.get(v.sender);
    if (!prior) {
      g.bySender.set(v.sender, v);
      return 'stored';
    }
    return equalBytes(prior.digest, v.digest) ? 'duplicate' : prior;
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

  /** Forgets PREPARE/COMMIT groups at or below `seq` (and CHECKPOINT groups too when `checkpoints`). */
  forgetUpTo(seq: number, checkpoints: boolean): void {
    for (const [key, g] of this.groups) {
      if (g.seq <= seq && (checkpoints || g.type !== MessageType.Checkpoint)) this.groups.delete(key);
    }
  }
}
