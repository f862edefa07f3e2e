import { bytesToHex } from '../bytes/index.js';
import type { Block } from './block.js';
import { hardStateVotes } from './durable.js';
import { decodeVote } from './messages.js';
import { committedPosition, type ReplicaState } from './state.js';
import type { DurableState, EpochStart, PersistBatch, StepOutput } from './step.js';

interface Body {
  digest: Uint8Array;
  block: Block;
}

interface StoredBody {
  digest: Uint8Array;
  /** Records that name it: log entries, and the hard state (once, for latest and prepared together). */
  refs: number;
}

/**
 * What the replica's storage holds, so each step's `PersistBatch` writes a block body once (when
 * the first record names it), a second copy while the hard state's votes name it, and deletes
 * them with the last record that needs them. The invariant: every durable entry and the durable
 * hard state name only bodies that are durable, the hard state's in two copies.
 */
export class PersistTracker {
  private readonly bodies = new Map<string, StoredBody>();
  /** Durable log entries: height → digest (hex). */
  private readonly entries = new Map<number, string>();
  /** Digests (hex) the durable hard state names; each has its second copy. */
  private hardRefs: string[] = [];
  /** The durable NEW-VIEW frame. */
  private newView: Uint8Array | null = null;
  /** The durable VIEW-CHANGE of the view left without installing. */
  private previousViewChange: Uint8Array | null = null;
  /** Hard-state writes so far. */
  private seq = 0;
  /** After a restore: the keys to delete, and a sign that the next batch rewrites both copies of everything kept twice. */
  private repair: string[] | null = null;
  /** The epoch start of a replica begun with `Replica.startEpoch`, and whether the next batch writes it. */
  private start: EpochStart | null = null;
  private writeStart = false;

  /** A replica begun at an epoch start: its first batch writes it, before anything else. */
  started(start: EpochStart): void {
    this.start = start;
    this.writeStart = true;
  }

  /** After a restore: the storage holds `d` (and the damaged or left-over records it lists). */
  restored(d: DurableState): void {
    for (const e of d.blocks) {
      const hex = bytesToHex(e.hash);
      this.entries.set(e.height, hex);
      this.ref(hex, e.hash);
    }
    for (const vote of d.hardState ? hardStateVotes(d.hardState).flatMap((slot) => [slot.latest, slot.prepared[0]]) : []) {
      if (!vote) continue;
      const digest = decodeVote(vote).digest;
      const hex = bytesToHex(digest);
      if (this.hardRefs.includes(hex)) continue;
      this.hardRefs.push(hex);
      this.ref(hex, digest);
    }
    this.newView = d.newView;
    this.previousViewChange = d.previousViewChange;
    this.start = d.start ?? null;
    this.seq = d.hardState?.seq ?? 0;
    // Both copies are rewritten before anything is sent: a replica acting on the newer of two
    // copies must not fall back to the older one at its next restart.
    this.repair = d.discarded;
  }

  /** This step's writes: its committed entries, then the hard state and NEW-VIEW if changed, then the checkpoint and the garbage it makes. */
  batch(r: ReplicaState, out: StepOutput): PersistBatch | null {
    const repair = this.repair;
    this.repair = null;
    const votedBlocks: Body[] = [];
    const dropVoted: Uint8Array[] = [];
    const b: PersistBatch = { blocks: [], votedBlocks, entries: [], dropEntries: [], dropBlocks: [], dropVoted, discard: repair ?? [] };
    if (this.start && (this.writeStart || repair)) b.start = this.start;
    this.writeStart = false;
    const puts = new Map<string, Body>();
    for (const e of out.committed) {
      const hex = bytesToHex(e.hash);
      if (this.ref(hex, e.hash)) puts.set(hex, { digest: e.hash, block: e.block });
      this.entries.set(e.height, hex);
      b.entries.push({ height: e.height, digest: e.hash, view: e.view, cert: e.cert, via: e.via });
    }
    if (out.hardDirty || repair) {
      const named: Body[] = [];
      const first = committedPosition(r).height + 1;
      const slots: { latest: Uint8Array | null; prepared: Uint8Array[] }[] = [];
      for (const [seq, slot] of [...r.slots].sort((a, b) => a[0] - b[0])) {
        if (seq < first) continue;
        while (slots.length < seq - first) slots.push({ latest: null, prepared: [] });
        if (slot.latest && slot.latestBlock) named.push({ digest: slot.latest.digest, block: slot.latestBlock });
        if (slot.prepared.length && slot.preparedBlock) named.push({ digest: slot.prepared[0].digest, block: slot.preparedBlock });
        slots.push({ latest: slot.latest?.bytes ?? null, prepared: slot.prepared.map((v) => v.bytes) });
      }
      if (slots.length === 0) slots.push({ latest: null, prepared: [] });
      // Reference the new bodies before releasing the old: a body named before and after stays put.
      const refs: string[] = [];
      for (const n of named) {
        const hex = bytesToHex(n.digest);
        if (refs.includes(hex)) continue;
        refs.push(hex);
        if (this.ref(hex, n.digest) || repair) puts.set(hex, n);
        if (!this.hardRefs.includes(hex) || repair) votedBlocks.push(n);
      }
      for (const hex of this.hardRefs) {
        if (!refs.includes(hex)) dropVoted.push((this.bodies.get(hex) as StoredBody).digest);
        this.unref(hex, puts, b);
      }
      this.hardRefs = refs;
      b.hardState = {
        seq: ++this.seq,
        view: r.view,
        inViewChange: r.inViewChange,
        committed: committedPosition(r),
        latest: slots[0].latest,
        prepared: slots[0].prepared,
        ...(slots.length > 1 ? { ahead: slots.slice(1) } : {}),
      };
    }
    const newView = r.newView?.bytes ?? null;
    if (newView && (newView !== this.newView || repair)) b.newView = this.newView = newView;
    if (r.previousViewChange !== this.previousViewChange) b.previousViewChange = this.previousViewChange = r.previousViewChange;
    if (out.checkpoint) {
      b.checkpoint = out.checkpoint;
      for (const [height, hex] of this.entries) {
        if (height > out.checkpoint.seq) continue;
        this.entries.delete(height);
        const i = b.entries.findIndex((e) => e.height === height);
        if (i >= 0) b.entries.splice(i, 1);
        else b.dropEntries.push(height);
        this.unref(hex, puts, b);
      }
    }
    b.blocks = [...puts.values()];
    const empty = !b.start && !b.hardState && !b.newView && b.previousViewChange === undefined && !b.checkpoint && b.entries.length === 0 && b.blocks.length === 0 && b.dropEntries.length === 0 && b.dropBlocks.length === 0;
    return empty ? null : b;
  }

  /** Counts one more record naming the body; true when it is new to the store (write it). */
  private ref(hex: string, digest: Uint8Array): boolean {
    const body = this.bodies.get(hex);
    if (body) {
      body.refs++;
      return false;
    }
    this.bodies.set(hex, { digest, refs: 1 });
    return true;
  }

  /** One record fewer names the body: the last one takes it along (never written, if written in this batch). */
  private unref(hex: string, puts: Map<string, unknown>, b: PersistBatch): void {
    const body = this.bodies.get(hex);
    if (!body || --body.refs > 0) return;
    this.bodies.delete(hex);
    if (!puts.delete(hex)) b.dropBlocks.push(body.digest);
  }
}
