import { equalBytes } from '../bytes/index.js';
import { ArgumentTypeError, describe, requireArray, requireByteLength, requireBoolean, requireBytes, requireInteger, requireNumber, requireObject, requireOneOf } from '../check/index.js';
import { encodeSnapshot, restoreSnapshot } from './application.js';
import { admit } from './admission.js';
import { blockHash, senderKey } from './block.js';
import { isPreparedCertificate, type Quorums } from './certificates.js';
import { BlockNotInLogError, type BuildCommitProofOptions, type CommitProof, proveIn } from './commitProof.js';
import { type ReplicaConfig, resolveConfig } from './config.js';
import { DecodeError } from './errors.js';
import { hardStateVotes } from './durable.js';
import { decodeCommitted, executeTxs } from './execute.js';
import { underDomain } from './domain.js';
import type { HealthMonitor } from './health.js';
import { decodeFrame, decodeMessage, decodeVote, type Forward, type FrameLimits, type Message, MessageType, type NewView, type ViewChange } from './messages.js';
import { checksFor, signedParts } from './signedParts.js';
import { decideNewView } from './newViewRule.js';
import { maybePropose, onPrePrepare, onVote } from './normalCase.js';
import { PersistTracker } from './persistTracker.js';
import { frameLimits, screenFrame, wellFormed } from './precheck.js';
import { committedPosition, finished, type HeldCounts, heldBounds, heldCounts, primaryOf, recordVote, ReplicaState, slotVotes, viewTimeout } from './state.js';
import { onFetch, onTransfer, resolveTransfers } from './stateTransfer.js';
import { onTick } from './timers.js';
import { complain, onComplaint, onComplaints } from './complaints.js';
import { addStats, type DurableState, emptyStats, type EpochStart, type Ready, type ReplicaInput, type StepStats, StepOutput } from './step.js';
import { buildViewChange, onNewView, onViewChange, storeViewChange } from './viewChange.js';

const INPUT_TYPES = ['message', 'messages', 'request', 'requests', 'tick', 'peers'] as const;

/**
 * One PBFT validator as a pure state machine: `step(input)` returns a `Ready` batch and does no
 * I/O. Time arrives only as `tick(now)`. This file is the dispatcher: it checks and routes inputs
 * to the phases (normalCase, checkpoint, viewChange, stateTransfer), drives timers and
 * retransmission, and restores from durable state. See docs/consensus.md for the protocol and
 * its safety argument.
 */
export class Replica {
  readonly id: number;
  readonly q: Quorums;
  private readonly r: ReplicaState;
  private readonly totals = emptyStats();
  private readonly durable = new PersistTracker();
  private readonly limits: FrameLimits;

  constructor(config: ReplicaConfig) {
    this.r = new ReplicaState(resolveConfig(config));
    this.id = this.r.id;
    this.q = this.r.q;
    this.limits = frameLimits(this.r.cfg);
  }

  /**
   * Rebuilds a replica after a crash from what it persisted (a fresh `config.application`); one
   * begun with `startEpoch` comes back to its epoch start, which it persisted with its first Ready.
   */
  static restore(config: ReplicaConfig, durable: DurableState): Replica {
    const replica = new Replica(config);
    replica.recover(requireObject(durable, 'Replica.restore', 'durable'));
    return replica;
  }

  /**
   * A replica of the validator set that takes over at an epoch start: the previous set's last
   * height (its `lastHeight`), that block's hash and the replica snapshot there, as
   * `epochEnd()` of a replica of the previous set gives them. The start is trusted as genesis is:
   * it becomes the stable checkpoint, without a certificate of this set (so it is never served
   * to a peer), the log starts above it, the next block's parent is `start.blockHash`, and
   * `config.application` is restored from the snapshot (a `DecodeError` if it does not decode).
   * The first Ready persists the start, so `restore` comes back to it; a replica whose first
   * write never landed sent nothing, and begins again with `startEpoch`.
   */
  static startEpoch(config: ReplicaConfig, start: EpochStart): Replica {
    const replica = new Replica(config);
    const s = requireEpochStart(start, replica.r.cfg.lastHeight);
    replica.begin(s);
    replica.durable.started(s);
    return replica;
  }

  /** Public facts about this replica, for hosts, tests and the simulator. */
  status(): {
    id: number;
    view: number;
    inViewChange: boolean;
    height: number;
    lastHash: Uint8Array;
    stableCheckpoint: number;
    pending: number;
    primary: number;
    /** Whether it committed its set's last height (`config.lastHeight`): then only `epochEnd()` and serving peers remain. */
    finished: boolean;
    /** Milliseconds without progress before this replica gives up on its view now (doubled per view left since progress). */
    viewTimeout: number;
    health: ReturnType<HealthMonitor['snapshot']>;
    totals: StepStats;
  } {
    const r = this.r;
    return {
      id: r.id,
      view: r.view,
      inViewChange: r.inViewChange,
      height: r.height,
      lastHash: r.lastHash,
      stableCheckpoint: r.stable.seq,
      pending: r.pool.size,
      primary: primaryOf(r, r.view),
      finished: finished(r),
      viewTimeout: viewTimeout(r),
      health: r.health.snapshot(),
      totals: this.totals,
    };
  }

  /**
   * Where the next validator set starts once this one committed its last height
   * (`config.lastHeight`): that height, its block hash and the replica snapshot there (what a
   * checkpoint holds), to hand to `Replica.startEpoch`. Null until then.
   */
  epochEnd(): EpochStart | null {
    const r = this.r;
    if (!finished(r)) return null;
    return { height: r.height, blockHash: r.lastHash, snapshot: encodeSnapshot(r.accounts, r.cfg.application) };
  }

  /** Counts of what this replica holds from peers and clients, each bounded (docs/consensus.md, "Memory bounds"); walks its state, so not for every step. */
  held(): HeldCounts {
    return heldCounts(this.r);
  }

  /** The documented bound on each count of `held()` for this replica's configuration (docs/consensus.md, "Memory bounds"). */
  heldBounds(): Omit<HeldCounts, 'log'> {
    return heldBounds(this.r);
  }

  /** The last nonce this replica executed for `sender` (a 32-byte public key), 0 when none: a client's next is this + 1. */
  lastNonce(sender: Uint8Array): number {
    return this.r.accounts.lastNonceOf(senderKey(requireByteLength(sender, 'Replica.lastNonce', 'sender', 32)));
  }

  /** The genesis hash every chain starts from (parent of height 1). */
  genesisHash(): Uint8Array {
    return this.r.genesis;
  }

  /**
   * The commit proof of transaction `index` of the block at `height`, while the log holds it
   * (blocks since the stable checkpoint); else `BlockNotInLogError` (`ERR_BLOCK_NOT_IN_LOG`):
   * hosts that keep older blocks call `buildCommitProof` on the `CommittedBlock` they stored.
   */
  proveTransaction(height: number, index: number, options?: BuildCommitProofOptions): CommitProof {
    const committed = this.r.log.get(requireInteger(height, 'Replica.proveTransaction', 'height', 0));
    if (!committed) throw new BlockNotInLogError(height, `Replica.proveTransaction: the log holds no block at height ${height} (it keeps blocks from the stable checkpoint ${this.r.stable.seq} to height ${this.r.height})`);
    return proveIn(committed, index, options, 'Replica.proveTransaction');
  }

  step(input: ReplicaInput): Ready {
    requireObject(input, 'Replica.step', 'input');
    const r = this.r;
    const out = new StepOutput(r.q.n);
    switch (input.type) {
      case 'message':
        this.receive(out, [input.bytes]);
        break;
      case 'messages':
        this.receive(out, requireArray(input.messages, 'Replica.step', 'input.messages'));
        break;
      case 'request':
        admit(r, out, [requireTransactionBytes(input.request, 'input.request')], false);
        break;
      case 'requests': {
        const list = requireArray(input.requests, 'Replica.step', 'input.requests');
        for (let i = 0; i < list.length; i++) requireTransactionBytes(list[i], 'input.requests', i);
        admit(r, out, list as Uint8Array[], input.verified === undefined ? false : requireBoolean(input.verified, 'Replica.step', 'input.verified'));
        break;
      }
      case 'tick': {
        const now = requireNumber(input.now, 'Replica.step', 'input.now');
        if (now > r.now) {
          // The clock starts at the first tick: a replica restarted with work waiting must not
          // take its downtime for a stalled view and leave it at once.
          if (r.now === 0) r.lastProgress = now;
          r.now = now;
        }
        onTick(r, out);
        break;
      }
      case 'peers': {
        const list = requireArray(input.suspected, 'Replica.step', 'input.suspected');
        const down = new Set<number>();
        for (let i = 0; i < list.length; i++) {
          const id = requireInteger(list[i], 'Replica.step', `input.suspected[${i}]`, 0, r.q.n - 1);
          if (id !== r.id) down.add(id);
        }
        r.health.peersDown(down.size);
        break;
      }
      default:
        requireOneOf((input as { type: unknown }).type, 'Replica.step', 'input.type', INPUT_TYPES);
    }
    if (out.suspected !== null && out.suspected === r.view) complain(r, out);
    maybePropose(r, out);
    resolveTransfers(r, out);
    // Nothing pending can be ordered by this set any more: the next set orders it (its clients resend).
    if (finished(r) && r.pool.size > 0) r.pool.prune(() => Infinity);
    addStats(this.totals, out.stats);
    return {
      persist: this.durable.batch(r, out),
      messages: out.messages,
      committed: out.committed,
      replies: out.replies,
      evidence: out.evidence,
      // Forwarded transactions are admitted in a message step: only a client input has refusals to report.
      refused: input.type === 'request' || input.type === 'requests' ? out.refused : [],
      stats: out.stats,
    };
  }

  /**
   * Peer frames, cheapest check first (precheck.ts): length and header, then decoding within the
   * config's limits, then structure; then every signature of the step in one `verifyBatch`, then
   * dispatch. A frame dropped before the batch costs no verification.
   */
  private receive(out: StepOutput, frames: unknown[]): void {
    const r = this.r;
    const parsed: Message[] = [];
    const checks = [];
    const spans: number[] = [];
    for (const bytes of frames) {
      out.stats.received++;
      if (!(bytes instanceof Uint8Array)) {
        out.drop('malformed');
        continue;
      }
      const screened = screenFrame(r, bytes);
      if (screened !== null) {
        out.drop(screened);
        continue;
      }
      let m: Message;
      try {
        m = decodeFrame(bytes, this.limits);
      } catch (err) {
        if (!(err instanceof DecodeError)) throw err;
        out.drop('malformed');
        continue;
      }
      if (!wellFormed(r, m)) {
        out.drop('invalid');
        continue;
      }
      const c = checksFor(signedParts(m), r.cfg.validators);
      if (c === null) {
        out.drop('unknownSender');
        continue;
      }
      underDomain(c, r.domain);
      parsed.push(m);
      spans.push(c.length);
      for (const check of c) checks.push(check);
    }
    if (checks.length === 0) return;
    const ok = r.cfg.verifier.verifyBatch(checks);
    out.stats.verified += checks.length;
    let at = 0;
    for (let i = 0; i < parsed.length; i++) {
      const span = spans[i];
      let valid = true;
      for (let j = at; j < at + span; j++) valid &&= ok[j] === true;
      at += span;
      // Not held against the health monitor: anyone can put a bad signature under a validator's id.
      if (!valid) {
        out.drop('badSignature');
        continue;
      }
      this.dispatch(out, parsed[i]);
    }
  }

  private dispatch(out: StepOutput, m: Message): void {
    const r = this.r;
    switch (m.kind) {
      case 'preprepare':
        return onPrePrepare(r, out, m);
      case 'vote':
        return m.type === MessageType.Complaint ? onComplaint(r, out, m) : onVote(r, out, m);
      case 'viewchange':
        return onViewChange(r, out, m);
      case 'newview':
        return onNewView(r, out, m);
      case 'fetch':
        return onFetch(r, out, m);
      case 'transfer':
        return onTransfer(r, out, m);
      case 'forward':
        return onForward(r, out, m);
      case 'complaints':
        return onComplaints(r, out, m);
    }
  }

  /**
   * Replays what was persisted (`decodeDurable`): checkpoint, committed blocks (re-executed), then
   * the hard state. If the log came back below the height the hard state recorded (entries or the
   * checkpoint were damaged), that height becomes the floor: the votes kept are those for the slot
   * above it, and no vote is cast at or below it until state transfer brings the log back.
   */
  private recover(d: DurableState): void {
    const r = this.r;
    // Anything the replay would send is dropped: a restarted replica speaks only from its next step.
    const out = new StepOutput(r.q.n);
    if (d.start) this.begin(d.start);
    if (d.checkpoint && d.checkpoint.seq > r.start.height) {
      const cp = d.checkpoint;
      restoreSnapshot(cp.snapshot, r.accounts, r.cfg.application);
      r.height = cp.seq;
      r.lastHash = cp.blockHash;
      r.stable = cp;
      r.lastCert = { height: cp.seq, cert: cp.blockCert };
    }
    for (const e of d.blocks) {
      if (e.height !== r.height + 1) continue;
      executeTxs(r, decodeCommitted(r, e.block), e.height);
      r.height = e.height;
      r.lastHash = e.hash;
      r.lastCert = { height: e.height, cert: e.cert };
      r.log.set(e.height, e);
    }
    if (d.hardState) {
      const h = d.hardState;
      r.view = h.view;
      r.inViewChange = h.inViewChange;
      if (h.committed.height > r.height) {
        r.floor = h.committed;
        r.floorView = h.view;
      }
      const first = committedPosition(r).height + 1;
      const byHash = (digest: Uint8Array) => d.votedBlocks.find((b) => equalBytes(blockHash(b, r.hash), digest)) ?? null;
      // Only the slots above the committed height: a vote below it is for a decided slot.
      for (const { latest, prepared } of hardStateVotes(h)) {
        const v = latest && decodeVote(latest, MessageType.Prepare);
        if (v && v.seq >= first) {
          const slot = slotVotes(r, v.seq);
          slot.latest = v;
          slot.latestBlock = byHash(v.digest);
          recordVote(r, out, v);
        }
        const cert = prepared.map((b) => decodeVote(b, MessageType.Prepare));
        if (cert.length && isPreparedCertificate(cert, r.q) && cert[0].seq >= first) {
          const slot = slotVotes(r, cert[0].seq);
          slot.prepared = cert;
          slot.preparedBlock = byHash(cert[0].digest);
        }
      }
    }
    if (d.newView) {
      const nv = decodeMessage(d.newView) as NewView;
      r.newView = nv;
      if (nv.view === r.view) r.decision = decideNewView(nv.viewChanges, r.q, r.hash);
    }
    if (d.hardState && r.inViewChange) storeViewChange(r, out, decodeMessage(buildViewChange(r, out)) as ViewChange);
    r.previousViewChange = d.previousViewChange;
    this.durable.restored(d);
  }

  /** Takes over at an epoch start (see `startEpoch`): its state, its height, its block as the parent of the next. */
  private begin(s: EpochStart): void {
    const r = this.r;
    restoreSnapshot(s.snapshot, r.accounts, r.cfg.application);
    r.start = { height: s.height, hash: s.blockHash };
    r.height = s.height;
    r.lastHash = s.blockHash;
    r.stable = { seq: s.height, blockHash: s.blockHash, snapshot: s.snapshot, cert: [], blockCert: [] };
    r.lastCert = { height: s.height, cert: [] };
  }
}

/** An epoch start from the host, checked, and copied so the host's buffers may change. */
function requireEpochStart(value: unknown, lastHeight: number): EpochStart {
  const where = 'Replica.startEpoch';
  const s = requireObject<EpochStart>(value, where, 'start');
  const height = requireInteger(s.height, where, 'start.height', 1, Number.isFinite(lastHeight) ? lastHeight - 1 : undefined);
  return { height, blockHash: requireByteLength(s.blockHash, where, 'start.blockHash', 32).slice(), snapshot: requireBytes(s.snapshot, where, 'start.snapshot').slice() };
}

/** Transactions a backup passed on: admitted by the primary of the current view like a client's (their signatures checked). */
/**
 * Transactions a peer passed on: a backup forwarding to the primary, or a complaining backup
 * sharing what waits with everyone (timers.ts). Admitted like a client's, bounded alike.
 */
function onForward(r: ReplicaState, out: StepOutput, m: Forward): void {
  if (r.inViewChange) return out.drop('stale');
  if (m.txs.length > r.cfg.batchSize) return out.drop('invalid');
  admit(r, out, m.txs, false);
}

/** A transaction from the host must be bytes (what the client sent); undecodable bytes are dropped and counted, not thrown. */
function requireTransactionBytes(value: unknown, argument: string, index = -1): Uint8Array {
  if (value instanceof Uint8Array) return value;
  throw new ArgumentTypeError('Replica.step', index < 0 ? argument : `${argument}[${index}]`, `must be a Uint8Array (a signed transaction), got ${describe(value)}`);
}
