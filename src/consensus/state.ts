import { AccountTable } from './application.js';
import { type Block, genesisParent } from './block.js';
import { type Quorums, quorums } from './certificates.js';
import type { ResolvedConfig } from './config.js';
import type { HashFunction, Signer } from './crypto.js';
import { consensusDomain, domainSigner } from './domain.js';
import { VerifiedIds } from './verifiedIds.js';
import { HealthMonitor } from './health.js';
import { type NewView, signVote, type ViewChange, type Vote, type VoteType } from './messages.js';
import type { NewViewDecision } from './newViewRule.js';
import { type DecodedTx, RequestPool } from './requestPool.js';
import type { CheckpointRecord, CommittedBlock, StepOutput } from './step.js';
import { VIEWS_PER_SLOT, VoteStore } from './voteStore.js';

/** A committed height with its block hash and commit certificate (empty at genesis). */
export interface CommittedPosition {
  height: number;
  hash: Uint8Array;
  cert: Uint8Array[];
}

/** An accepted pre-prepare: the block, its digest, and the frame to re-send (empty when not ours). */
export interface Proposal {
  block: Block;
  digest: Uint8Array;
  frame: Uint8Array;
  /** When it was accepted here (retransmission waits an interval from then). */
  at: number;
}

/** This replica's own checkpoint, until 2f+1 CHECKPOINT votes make it stable. */
export interface OwnCheckpoint {
  seq: number;
  digest: Uint8Array;
  snapshot: Uint8Array;
  blockHash: Uint8Array;
  frame: Uint8Array;
}

/** This replica's part in one slot above its committed height (see `ReplicaState.slots`). */
export interface SlotVotes {
  /** Own latest PREPARE in the slot and its block. */
  latest: Vote | null;
  latestBlock: Block | null;
  /** Highest prepared certificate in the slot (2f+1 PREPAREs) and its block. */
  prepared: Vote[];
  preparedBlock: Block | null;
  /** When `prepared` was collected: the fast path's wait runs from then. */
  preparedAt: number;
  /** When to send COMMIT for `prepared` if the fast path has not completed by then (null: sent, or not waiting). */
  commitAt: number | null;
}

/**
 * Everything one replica knows, as one record. The phases are functions over it in the etcd
 * style, `onVote(r, out, vote)`, stacked so that each file imports only those below it:
 * checkpoint → execute → normalCase → viewChange → stateTransfer → replica (the dispatcher).
 * Phase classes would have to hold references to one another (a commit takes a checkpoint, a
 * transfer commits and enters views); functions over one record keep the imports one-way, and
 * what a lower phase needs from a higher one (fetch from a peer, push to a lagging one) it asks of
 * the step output. Parts with invariants of their own stay classes: `VoteStore`, `RequestPool`,
 * `AccountTable`, `VerifiedIds`, `HealthMonitor`.
 */
export class ReplicaState {
  readonly id: number;
  readonly q: Quorums;
  readonly hash: HashFunction;
  /** The hash every chain starts from (parent of height 1). */
  readonly genesis: Uint8Array;
  /**
   * Where this validator set's chain starts: genesis (height 0), or the epoch start
   * `Replica.startEpoch` gave. Trusted like genesis: this set holds no certificate for it, so it is
   * never served to a peer, and a VIEW-CHANGE may report it with an empty certificate.
   */
  start: { height: number; hash: Uint8Array };
  readonly health: HealthMonitor;
  /** Watermarks: sequence numbers in (stable.seq, stable.seq + window] are accepted. */
  readonly window: number;
  readonly votes: VoteStore;
  readonly pool: RequestPool;

  now = 0;
  view = 0;
  inViewChange = false;
  /** When 2f+1 VIEW-CHANGEs for the current view were first held (PBFT starts the new-view timer then). */
  quorumAt = Infinity;
  /**
   * Views left since the last progress on pending work (a commit that executed a transaction
   * waiting here): each doubles the view timeouts, without a cap (see `viewTimeout`).
   */
  failedViews = 0;
  lastProgress = 0;
  /** When the current view was entered (or its view change started). */
  viewSince = 0;
  /** The oldest pending transaction (pool key) and since when it has been the oldest: the per-request timer. */
  head: { key: string; since: number } | null = null;
  /** Each replica's COMPLAINT about the highest view it complained about (see complaints.ts), this replica's included. */
  readonly complaints = new Map<number, Vote>();
  /** This replica's COMPLAINT about its current view, re-sent while the view stays stalled. */
  myComplaint: { view: number; frame: Uint8Array } | null = null;
  /** The COMPLAINTS frame (the signals it left on) of the last view this replica left, re-sent during the view change. */
  leftOn: Uint8Array | null = null;
  lastRetransmit = 0;
  lastForward = 0;
  lastFetch = -Infinity;
  height = 0;
  lastHash: Uint8Array;
  accounts = new AccountTable();
  /** Ids of transactions whose signatures verified here (see `VerifiedIds`). */
  readonly verified: VerifiedIds;
  /** Prefix of every consensus signature (`consensusDomain`), and the signer that signs under it. */
  readonly domain: Uint8Array;
  readonly signer: Signer;
  /** Committed blocks since the stable checkpoint (inclusive), by height. */
  readonly log = new Map<number, CommittedBlock>();
  stable: CheckpointRecord;
  /** Commit certificate of the last committed height: what a VIEW-CHANGE proves its height with. */
  lastCert: { height: number; cert: Uint8Array[] } = { height: 0, cert: [] };
  /**
   * The committed position the hard state recorded, when recovery came back below it (entries or
   * the checkpoint were damaged and dropped). Until the log is back there the replica reports it
   * in VIEW-CHANGEs (it is what the replica committed) and, in views up to `floorView`, casts no
   * PREPARE or COMMIT at or below it (it may have voted there already); its blocks come back by
   * state transfer, or are ordered again in a later view.
   */
  floor: CommittedPosition | null = null;
  /**
   * The view the hard state recorded when recovery set the floor. A vote is persisted, with its
   * view, before it is sent, so in views above this one the replica cast nothing before the
   * crash, and may vote at or below the floor like any replica (pipelined, the new view's
   * re-run of the base's ancestors may need its vote: its peers may not have committed them).
   */
  floorView = 0;
  myCheckpoint: OwnCheckpoint | null = null;
  /** Accepted pre-prepares by seq, then view. */
  readonly proposals = new Map<number, Map<number, Proposal>>();
  /**
   * This replica's votes in the slots above its committed height, by seq (persisted): its latest
   * PREPARE (never another in that view) and highest prepared certificate in each, with their
   * blocks. With `pipeline` W it votes in slots height+1 … height+W at once.
   */
  readonly slots = new Map<number, SlotVotes>();
  /** `view:seq` of COMMITs sent, so each is sent once. */
  readonly sentCommit = new Set<string>();
  /** VIEW-CHANGEs held, by new view, then sender. */
  readonly viewChanges = new Map<number, Map<number, ViewChange>>();
  /** The NEW-VIEW that started the current view (persisted), or null in view 0. */
  newView: NewView | null = null;
  /** Own VIEW-CHANGE for the view left without it installing (re-sent while in view change). */
  previousViewChange: Uint8Array | null = null;
  decision: NewViewDecision | null = null;
  /** Last answer to each peer (time and first height sent), to rate-limit repeated asks. */
  readonly lastServed = new Map<number, { at: number; from: number }>();
  /** Held VIEW-CHANGEs and NEW-VIEWs already reported as equivocation (see equivocation.ts). */
  readonly reportedEquivocations = new WeakSet<ViewChange | NewView>();
  /** FETCHes answered per peer since `since` (see `onFetch`). */
  readonly fetchesServed = new Map<number, { since: number; count: number }>();
  /** When and in which view each recent height committed here. */
  readonly committedAt = new Map<number, { at: number; view: number }>();
  readonly decoded = new WeakMap<Block, DecodedTx[]>();

  constructor(readonly cfg: ResolvedConfig) {
    this.id = cfg.id;
    this.q = quorums(cfg.validators.length);
    this.hash = cfg.hash;
    this.window = 2 * cfg.checkpointInterval;
    this.genesis = genesisParent(this.hash);
    this.lastHash = this.genesis;
    this.start = { height: 0, hash: this.genesis };
    this.stable = { seq: 0, blockHash: this.genesis, snapshot: new Uint8Array(0), cert: [], blockCert: [] };
    this.votes = new VoteStore(cfg.validators);
    this.pool = new RequestPool(cfg.maxPending, cfg.maxPendingBytes);
    this.health = new HealthMonitor(cfg.fastPath, cfg.fastPathWindow.min, cfg.fastPathWindow.max);
    this.verified = new VerifiedIds(cfg.verifiedCacheSize);
    this.domain = consensusDomain(cfg, cfg.hash);
    this.signer = domainSigner(cfg.signer, this.domain);
  }
}

/** The replica's votes in slot `seq`, created empty when it has none. */
export function slotVotes(r: ReplicaState, seq: number): SlotVotes {
  let slot = r.slots.get(seq);
  if (!slot) r.slots.set(seq, (slot = { latest: null, latestBlock: null, prepared: [], preparedBlock: null, preparedAt: 0, commitAt: null }));
  return slot;
}

/** Forgets the votes of slots at or below `height` (committed, or below a checkpoint installed). */
export function forgetSlotsUpTo(r: ReplicaState, height: number): void {
  for (const seq of r.slots.keys()) if (seq <= height) r.slots.delete(seq);
}

/** Own latest PREPARE in slot `seq` if it was cast in `view`. */
export function myPrepare(r: ReplicaState, seq: number, view: number): Vote | null {
  const latest = r.slots.get(seq)?.latest ?? null;
  return latest && latest.view === view ? latest : null;
}

export function primaryOf(r: ReplicaState, view: number): number {
  return view % r.q.n;
}

/** Whether the replica committed its set's last height (`lastHeight`): from then on it only serves and helps peers finish. */
export function finished(r: ReplicaState): boolean {
  return r.height >= r.cfg.lastHeight;
}

/** True while recovery left the log below the committed height the hard state recorded (see `floor`). */
export function belowFloor(r: ReplicaState): boolean {
  return r.floor !== null && r.floor.height > r.height;
}

/** True while this replica must not vote or propose: below the floor, in a view it may have voted in before the crash. */
export function votingBarred(r: ReplicaState): boolean {
  return belowFloor(r) && r.view <= r.floorView;
}

/** The highest committed position this replica can prove: its log's, or the floor recovery kept. */
export function committedPosition(r: ReplicaState): CommittedPosition {
  if (belowFloor(r)) return r.floor as CommittedPosition;
  return { height: r.height, hash: r.lastHash, cert: r.lastCert.height === r.height ? r.lastCert.cert : [] };
}

/** Milliseconds without progress before a replica gives up on a view: doubled for every view left since progress on pending work. */
export function viewTimeout(r: ReplicaState): number {
  // 2^40 × the base timeout is beyond any run; the bound only keeps the arithmetic finite.
  return r.cfg.viewChangeTimeout * 2 ** Math.min(r.failedViews, 40);
}

/** What a replica holds from peers and clients, counted (`Replica.held()`); docs/consensus.md, "Memory bounds", bounds each. */
export interface HeldCounts {
  /** PREPARE and COMMIT votes. */
  votes: number;
  checkpointVotes: number;
  viewChanges: number;
  proposals: number;
  /** Transaction bytes of the proposals' blocks. */
  proposalBytes: number;
  pending: number;
  pendingBytes: number;
  /** Committed blocks in the log (since the stable checkpoint). */
  log: number;
  /** Peers with a FETCH answer or push on record. */
  served: number;
}

/**
 * The documented bound on each count of `heldCounts` (docs/consensus.md, "Memory bounds") for this
 * replica's configuration. The log is left out: it holds the blocks since the stable checkpoint,
 * which only the checkpoint's progress bounds.
 */
export function heldBounds(r: ReplicaState): Omit<HeldCounts, 'log'> {
  const n = r.q.n;
  const w = r.window;
  const block = r.cfg.batchSize * (r.cfg.maxPayload + 178);
  return {
    votes: 2 * w * VIEWS_PER_SLOT * n,
    checkpointVotes: n * (w / r.cfg.checkpointInterval + 1),
    viewChanges: 2 * n,
    proposals: w,
    proposalBytes: w * block,
    pending: r.cfg.maxPending,
    pendingBytes: r.cfg.maxPendingBytes,
    served: n - 1,
  };
}

export function heldCounts(r: ReplicaState): HeldCounts {
  const checkpointVotes = r.votes.checkpointVotes();
  let viewChanges = 0;
  for (const bySender of r.viewChanges.values()) viewChanges += bySender.size;
  let proposals = 0;
  let proposalBytes = 0;
  for (const byView of r.proposals.values()) {
    for (const p of byView.values()) {
      proposals++;
      for (const tx of p.block.txs) proposalBytes += tx.length;
    }
  }
  const served = new Set([...r.lastServed.keys(), ...r.fetchesServed.keys()]).size;
  return { votes: r.votes.size - checkpointVotes, checkpointVotes, viewChanges, proposals, proposalBytes, pending: r.pool.size, pendingBytes: r.pool.bytes, log: r.log.size, served };
}

export function inWindow(r: ReplicaState, seq: number): boolean {
  return seq > r.stable.seq && seq <= r.stable.seq + r.window;
}

/**
 * Stores the first vote of a sender per (type, view, seq); a conflicting second is evidence. A
 * vote not stored is counted as a dropped duplicate unless `countDrop` is false (the vote inside
 * a PRE-PREPARE: the frame goes on, and is counted once, by whatever refuses it).
 */
export function recordVote(r: ReplicaState, out: StepOutput, v: Vote, countDrop = true): boolean {
  const outcome = r.votes.add(v);
  if (outcome === 'stored') return true;
  if (outcome !== 'duplicate') {
    r.health.suspect();
    if (outcome !== 'equivocated') out.evidence.push(outcome);
  }
  if (countDrop) out.drop('duplicate');
  return false;
}

/** This replica's signed vote frame. */
export function sign(r: ReplicaState, out: StepOutput, type: VoteType, view: number, seq: number, digest: Uint8Array): Uint8Array {
  out.stats.signed++;
  return signVote(r.signer, type, r.id, view, seq, digest);
}
