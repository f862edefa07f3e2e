import { MessageType, signFetch, signViewChange, signVote, type Signer } from '../consensus/index.js';
import type { Prng } from './prng.js';

/** Frames per tick a flooding validator sends (each costs it a signature: kept small for the soak). */
const FRAMES_PER_TICK = 3;

/**
 * `flood`: a Byzantine validator sends, every tick, validly signed frames of every kind, chosen to
 * land where a replica's bounds are (docs/consensus.md, "Memory bounds" and "Frame bounds"):
 * PREPAREs and COMMITs across views and sequence numbers inside and beyond the windows,
 * CHECKPOINTs at sequence numbers that are and are not multiples of K, COMPLAINTs about views
 * ahead, FETCHes alternating their `from`, and VIEW-CHANGEs for ascending and descending views.
 * All signed by its own key, so each passes the signature check and meets the structural and
 * memory bounds; the checks after the heal and the swarm's invariants must still hold.
 */
export class Flooder {
  private turn = 0;

  constructor(
    private readonly id: number,
    private readonly n: number,
    private readonly signer: Signer,
    private readonly rng: Prng,
    private readonly genesis: Uint8Array,
  ) {}

  /** This tick's frames, for a replica at `view` and `height`, each to one peer. */
  frames(view: number, height: number): { to: number; bytes: Uint8Array }[] {
    const out: { to: number; bytes: Uint8Array }[] = [];
    for (let k = 0; k < FRAMES_PER_TICK; k++) {
      const to = (this.id + 1 + this.rng.int(this.n - 1)) % this.n;
      out.push({ to, bytes: this.frame(view, height) });
    }
    return out;
  }

  private frame(view: number, height: number): Uint8Array {
    const kind = this.turn++ % 6;
    const r = this.rng;
    switch (kind) {
      case 0:
      case 1: {
        const type = kind === 0 ? MessageType.Prepare : MessageType.Commit;
        return signVote(this.signer, type, this.id, Math.max(0, view - 2 + r.int(12)), Math.max(1, height - 4 + r.int(300)), r.bytes(32));
      }
      case 2:
        return signVote(this.signer, MessageType.Checkpoint, this.id, r.int(2), Math.max(1, height + r.int(200)), r.bytes(32));
      case 3:
        return signVote(this.signer, MessageType.Complaint, this.id, view + r.int(8), 0, new Uint8Array(32));
      case 4:
        return signFetch(this.signer, this.id, this.turn % 2 === 0 ? 1 : Math.max(1, height - r.int(40)), view);
      default: {
        // Structurally valid (nothing committed, nothing prepared): views climbing, then falling.
        const newView = view + 1 + (this.turn % 16 < 8 ? this.turn % 8 : 8 - (this.turn % 8));
        return signViewChange(this.signer, this.id, { newView, committed: { height: 0, hash: this.genesis, cert: [] }, prepared: [], latest: null, blocks: [] });
      }
    }
  }
}
