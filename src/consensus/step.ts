import type { Block } from './block.js';

export type ReplicaInput =
  | { type: 'message'; bytes: Uint8Array }
  /** Several frames verified in one signature batch. */
  | { type: 'messages'; messages: Uint8Array[] }
  /** One signed transaction from a client (`signTransaction(...).bytes`). */
  | { type: 'request'; request: Uint8Array }
  /**
   * Many signed transactions in one step (what a gateway forwards), their signatures verified in
   * one batch. `verified: true` says the host already verified them (e.g. on the worker pool).
   */
  | { type: 'requests'; requests: Uint8Array[]; verified?: boolean }
  | { type: 'tick'; now: number }
  /**
   * The validators the host's failure detector suspects now (e.g. phi accrual over transport
   * heartbeats). Advice for the fast path only — while any is suspected, waiting for all n
   * PREPAREs is pointless — never for safety or for leaving a view.
   */
  | { type: 'peers'; suspected: number[] };

/** A frame to send: to one validator id or to every other validator. */
export interface Outbound {
  to: number | 'all';
  bytes: Uint8Array;
}

export interface CommittedBlock {
  height: number;
  hash: Uint8Array;
  /** View whose certificate committed it. */
  view: number;
  block: Block;
  /** Commit certificate: 2f+1 COMMIT or n PREPARE frames. */
  cert: Uint8Array[];
  /** How it was committed here. */
  via: 'fast' | 'slow' | 'transfer';
}

/**
 * The answer a replica sends a client once its transaction executed (the transport
 * authenticates it). A client accepts a result once f+1 replicas sent the same `txId` and
 * `resultHash` (SHA-256 of `result`).
 */
export interface Reply {
  replica: number;
  txId: Uint8Array;
  sender: Uint8Array;
  nonce: number;
  height: number;
  result: Uint8Array;
  resultHash: Uint8Array;
}

/**
 * Proof for slashing, signed by the validator it names; `first` and `second` are its two frames.
 *
 * - `'equivocation'`: two votes with different digests for the same (type, view, seq).
 * - `'view-change-equivocation'`: two VIEW-CHANGEs for the same new view (`view`) that report
 *   the same committed height but different votes for the slot above it. An honest replica
 *   re-sends one VIEW-CHANGE per view; rebuilt after a restart it may report a higher committed
 *   height (blocks it received in the meantime), never other votes at the same height.
 * - `'new-view-equivocation'`: two different NEW-VIEWs of the primary of `view`.
 */
export type Evidence =
  | { kind: 'equivocation'; validator: number; publicKey: Uint8Array; view: number; seq: number; first: Uint8Array; second: Uint8Array }
  | { kind: 'view-change-equivocation' | 'new-view-equivocation'; validator: number; publicKey: Uint8Array; view: number; first: Uint8Array; second: Uint8Array };

/** A stable checkpoint: snapshot plus 2f+1 CHECKPOINT frames on hash(blockHash ‖ hash(snapshot)). */
export interface CheckpointRecord {
  seq: number;
  blockHash: Uint8Array;
  snapshot: Uint8Array;
  cert: Uint8Array[];
  /** Commit certificate of the block at `seq` (empty at genesis). */
  blockCert: Uint8Array[];
}

/**
 * Where a validator set takes over (`Replica.startEpoch`): the previous set's last height, its
 * block hash, and the replica snapshot there (account table + application snapshot: what a
 * checkpoint holds; `Replica.epochEnd()` gives it).
 */
export interface EpochStart {
  height: number;
  blockHash: Uint8Array;
  snapshot: Uint8Array;
}

/** What a replica must remember across a crash to stay safe: never vote twice in one (view, seq). */
export interface HardState {
  /** Counts hard-state writes: of two whole copies, the higher is the newer. */
  seq: number;
  view: number;
  inViewChange: boolean;
  /**
   * The committed height when written, with its block hash and commit certificate: if recovery
   * comes back lower (log entries lost), the replica still proves this height in a VIEW-CHANGE
   * and casts no vote at or below it until its log is back there.
   */
  committed: { height: number; hash: Uint8Array; cert: Uint8Array[] };
  /** Own latest PREPARE frame for slot height+1, or null; its block body is stored by digest. */
  latest: Uint8Array | null;
  /** Highest prepared certificate (PREPARE frames) for slot height+1; its body is stored by digest. */
  prepared: Uint8Array[];
  /** The same for slots height+2 onwards, in order (a pipelined replica's); omitted or empty for one slot. */
  ahead?: { latest: Uint8Array | null; prepared: Uint8Array[] }[];
}

/** A committed block as the log stores it: the body is stored once, under `digest`. */
export interface LogEntry {
  height: number;
  digest: Uint8Array;
  view: number;
  cert: Uint8Array[];
  via: CommittedBlock['via'];
}

/**
 * What the host must make durable, in one write, before sending the Ready's messages: a plain
 * description that `persistOps` turns into storage operations (in an order that keeps a torn
 * write recoverable). Each block body is written once, under its digest, however many records
 * name it, and a second time while the hard state's votes name it; garbage (entries at or below a
 * new stable checkpoint, bodies no record names any more) is deleted in the same write.
 */
export interface PersistBatch {
  /** Block bodies to store under their digests (new to the store). */
  blocks: { digest: Uint8Array; block: Block }[];
  /** Second copies of the bodies the new hard state's votes name (new to it). */
  votedBlocks?: { digest: Uint8Array; block: Block }[];
  /** Committed blocks appended to the log, by height. */
  entries: LogEntry[];
  /** Replaces the hard state (both copies). */
  hardState?: HardState;
  /** Replaces the NEW-VIEW frame that started the current view, both copies (it changes only with the view). */
  newView?: Uint8Array;
  /**
   * Replaces (null: deletes) this replica's VIEW-CHANGE for the view it left without that view
   * installing. It is re-sent while the view change goes on, and must survive a restart: peers
   * still in that view may need it for their quorum. Liveness only, so kept once.
   */
  previousViewChange?: Uint8Array | null;
  /** Replaces the stable checkpoint. */
  checkpoint?: CheckpointRecord;
  /** The epoch start of a replica begun with `Replica.startEpoch` (both copies): with its first write, and again after a restore. */
  start?: EpochStart;
  /** Heights of log entries to delete (at or below the new stable checkpoint). */
  dropEntries: number[];
  /** Digests of bodies no record names any more. */
  dropBlocks: Uint8Array[];
  /** Digests of bodies whose second copy the hard state no longer needs. */
  dropVoted?: Uint8Array[];
  /** Storage keys recovery could not use (`DurableState.discarded`), deleted first. */
  discard?: string[];
}

/** What `Replica.restore` needs: what the persist batches left in storage, recovered (see `decodeDurable`). */
export interface DurableState {
  hardState: HardState | null;
  newView: Uint8Array | null;
  /** Own VIEW-CHANGE for the view left without it installing, when the hard state is still in the view change after it. */
  previousViewChange: Uint8Array | null;
  checkpoint: CheckpointRecord | null;
  /** The epoch start of a replica begun with `Replica.startEpoch` (absent or null: it started at genesis). */
  start?: EpochStart | null;
  /** Committed blocks above the checkpoint (or the epoch start), in height order, bodies joined from their digests. */
  blocks: CommittedBlock[];
  /** Bodies of the blocks the hard state's votes name. */
  votedBlocks: Block[];
  /** Keys of stored records recovery did not use (damaged, or left over): the first write after restore deletes them. */
  discarded: string[];
}

const DROP_REASONS = [
  'malformed',
  // Longer than `maxFrameBytes`: dropped before its header is read.
  'oversize',
  'badSignature',
  'unknownSender',
  'stale',
  'invalid',
  'duplicate',
  'outOfWindow',
  'poolFull',
  // A peer that asked for state transfers faster than its budget (see stateTransfer.ts).
  'rateLimited',
  // Client transactions (admission): see admission.ts.
  'wrongChain',
  'txTooLarge',
  'badTxSignature',
  'replay',
  'nonceGap',
] as const;
export type DropReason = (typeof DROP_REASONS)[number];

export interface StepStats {
  received: number;
  dropped: Record<DropReason, number>;
  /** Signatures checked by the verifier. */
  verified: number;
  signed: number;
  /** Frames handed out (a broadcast counts n-1). */
  sent: number;
  committed: number;
  committedTxs: number;
}

/**
 * The output of one `step`. What the host must do with it (etcd raft's Ready contract):
 *
 * 1. Make `persist` durable, atomically and after every earlier batch (e.g. one
 *    `storage.write(persistOps(persist))`; a resolved write means durable, in order).
 * 2. Only then send `messages` (`recipients` expands `to: 'all'`) and `replies`. A vote in
 *    `messages` is a promise never to vote otherwise in that view and slot, and only the persisted
 *    state keeps that promise across a crash.
 * 3. `committed` blocks are already executed: `step` ran the application on them. They are for
 *    notifying, indexing and proofs, hand them on after (1); never execute them again.
 *    `evidence` can be kept at once.
 * 4. The next `step` may run before (1) completes (raft's asynchronous writes). Then each
 *    Ready's messages and replies wait for its own persist and for every earlier one, and
 *    persists complete in the order their Readys were returned. A Ready with `persist: null`
 *    adds no write but its messages still wait for the writes before it.
 *
 * After a crash, restart from what became durable: `Replica.restore(config, decodeDurable(records))`.
 */
export interface Ready {
  persist: PersistBatch | null;
  messages: Outbound[];
  committed: CommittedBlock[];
  replies: Reply[];
  evidence: Evidence[];
  /**
   * The client transactions of this step's `request`/`requests` input that were not taken into
   * the pool, by position in that input, with the reason (a host answers its clients with it).
   * Empty for other inputs.
   */
  refused: Refusal[];
  stats: StepStats;
}

/** A client transaction a step refused: its position in the step's input, and why. */
export interface Refusal {
  index: number;
  reason: DropReason;
}

/** The validators a message goes to: `to` itself, or for `'all'` every validator but `self`. */
export function recipients(to: Outbound['to'], self: number, n: number): number[] {
  if (to !== 'all') return [to];
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (i !== self) out.push(i);
  return out;
}

export function emptyStats(): StepStats {
  const dropped = {} as Record<DropReason, number>;
  for (const reason of DROP_REASONS) dropped[reason] = 0;
  return { received: 0, dropped, verified: 0, signed: 0, sent: 0, committed: 0, committedTxs: 0 };
}

/** Adds one step's counters to running totals. */
export function addStats(totals: StepStats, s: StepStats): void {
  totals.received += s.received;
  totals.verified += s.verified;
  totals.signed += s.signed;
  totals.sent += s.sent;
  totals.committed += s.committed;
  totals.committedTxs += s.committedTxs;
  for (const reason of DROP_REASONS) totals.dropped[reason] += s.dropped[reason];
}

/** One step's output under construction: the phases add to it, `Replica.step` turns it into a `Ready`. */
export class StepOutput {
  readonly messages: Outbound[] = [];
  readonly committed: CommittedBlock[] = [];
  readonly replies: Reply[] = [];
  readonly evidence: Evidence[] = [];
  readonly refused: Refusal[] = [];
  readonly stats = emptyStats();
  /** The hard state changed and must be written with this step's batch. */
  hardDirty = false;
  /** A new stable checkpoint to persist. */
  checkpoint: CheckpointRecord | null = null;
  /** The peer to fetch committed blocks from, sent at the end of the step (see `fetchFrom`). */
  fetch: { peer: number; force: boolean } | null = null;
  /** Peers to push what they miss, each with the lowest height asked (see `serveTo`). */
  readonly serve = new Map<number, number>();
  /** A view whose primary proposed an invalid block, left at the end of the step (see `suspectPrimary`). */
  suspected: number | null = null;

  constructor(private readonly n: number) {}

  broadcast(bytes: Uint8Array): void {
    this.messages.push({ to: 'all', bytes });
    this.stats.sent += this.n - 1;
  }

  send(to: number, bytes: Uint8Array): void {
    this.messages.push({ to, bytes });
    this.stats.sent++;
  }

  drop(reason: DropReason): void {
    this.stats.dropped[reason]++;
  }

  /** Drops the client transaction at `index` of the step's input, and says so in the Ready. */
  refuse(index: number, reason: DropReason): void {
    this.stats.dropped[reason]++;
    this.refused.push({ index, reason });
  }

  /**
   * Asks a peer that is ahead for committed blocks. The FETCH is built once, at the end of the
   * step, from the replica's state then; asks merge: a forced one (skips the rate limit) beats an
   * unforced one, otherwise the first stands.
   */
  fetchFrom(peer: number, force = false): void {
    if (!this.fetch || (force && !this.fetch.force)) this.fetch = { peer, force };
  }

  /** Asks to leave `view` (start a view change) at the end of the step, if still in it then. */
  suspectPrimary(view: number): void {
    this.suspected = view;
  }

  /** Asks to push `peer` what it misses from height `from` on, at the end of the step (rate-limited per peer). */
  serveTo(peer: number, from: number): void {
    const asked = this.serve.get(peer);
    if (asked === undefined || from < asked) this.serve.set(peer, from);
  }
}

