import type { DropReason } from '../consensus/index.js';

/** Frames waiting for the replica, per peer, bounded in frames and bytes. */
const MAX_FRAMES = 65_536;
const MAX_BYTES = 256 * 2 ** 20;
/** Most frames of one peer stepped together (one signature batch). */
const MAX_FRAMES_PER_STEP = 4096;
/** Frames an authenticated peer may send that no honest validator sends, before it is cut off. */
const PENALTY_LIMIT = 32;
/** How long a penalized peer's frames are dropped unread, in ms. */
const PENALTY_MS = 10_000;
/** Drops that only a Byzantine (or broken) sender causes: its own frame would not decode or verify. */
const PROVEN: readonly DropReason[] = ['malformed', 'oversize', 'badSignature'];

/** What the inbox dropped, and penalties given. */
export interface InboxCounters {
  framesWrongSender: number;
  framesInboxFull: number;
  framesFromPenalized: number;
  penalties: number;
}

/**
 * The node's intake of peer frames. Every frame is bound to the peer the transport authenticated
 * (its header's sender must be that peer), queued per peer within a frame and byte bound, and
 * stepped per peer so that frames the replica drops as undecodable or badly signed are charged
 * to the peer that sent them: past a limit the peer is cut off for a while (its frames are dropped
 * unread). A peer that sends bad state-transfer data is also one the replica's next FETCH skips
 * past, since the replica asks each peer in turn.
 */
export class PeerInbox {
  readonly counters: InboxCounters = { framesWrongSender: 0, framesInboxFull: 0, framesFromPenalized: 0, penalties: 0 };
  private readonly queues: Uint8Array[][];
  private readonly score: number[];
  private readonly bannedUntil: number[];
  private frames = 0;
  private bytes = 0;

  constructor(n: number) {
    this.queues = Array.from({ length: n }, () => []);
    this.score = new Array(n).fill(0);
    this.bannedUntil = new Array(n).fill(0);
  }

  /** Queues `frame` from `from`; false when it was dropped (and counted). */
  push(from: number, frame: Uint8Array, now: number): boolean {
    // The transport authenticated `from`; a frame signed under another id is not that peer's to send.
    if (frame.length < 4 || (frame[2] | (frame[3] << 8)) !== from) {
      this.counters.framesWrongSender++;
      return false;
    }
    if (this.bannedUntil[from] > now) {
      this.counters.framesFromPenalized++;
      return false;
    }
    if (this.frames >= MAX_FRAMES || this.bytes + frame.length > MAX_BYTES) {
      this.counters.framesInboxFull++;
      return false;
    }
    this.queues[from].push(frame);
    this.frames++;
    this.bytes += frame.length;
    return true;
  }

  get size(): number {
    return this.frames;
  }

  /** Takes up to a step's worth of each waiting peer's frames: [peer, frames][]. */
  take(): [number, Uint8Array[]][] {
    const out: [number, Uint8Array[]][] = [];
    for (let peer = 0; peer < this.queues.length; peer++) {
      const q = this.queues[peer];
      if (q.length === 0) continue;
      const frames = q.length > MAX_FRAMES_PER_STEP ? q.splice(0, MAX_FRAMES_PER_STEP) : q;
      if (frames === q) this.queues[peer] = [];
      this.frames -= frames.length;
      for (const f of frames) this.bytes -= f.length;
      out.push([peer, frames]);
    }
    return out;
  }

  /** Charges `peer` with the step's drops that prove it sent what no honest validator sends; true when that cut it off. */
  charge(peer: number, dropped: Record<DropReason, number>, now: number): boolean {
    let bad = 0;
    for (const reason of PROVEN) bad += dropped[reason];
    if (bad === 0) return false;
    this.score[peer] += bad;
    if (this.score[peer] < PENALTY_LIMIT) return false;
    this.score[peer] = 0;
    this.bannedUntil[peer] = now + PENALTY_MS;
    this.counters.penalties++;
    for (const f of this.queues[peer]) this.bytes -= f.length;
    this.frames -= this.queues[peer].length;
    this.queues[peer] = [];
    return true;
  }

  /** Peers cut off now. */
  penalized(now: number): number[] {
    const out: number[] = [];
    for (let peer = 0; peer < this.bannedUntil.length; peer++) if (this.bannedUntil[peer] > now) out.push(peer);
    return out;
  }
}
