import { bytesToHex, equalBytes } from '../bytes/index.js';
import { requireArray, requireBytes, requireInteger, requireNumber, requireObject, requireOneOf } from '../check/index.js';
import { ClientTable, encodeSnapshot, restoreSnapshot } from './application.js';
import { type Block, blockHash, type ClientRequest, clientKey, decodeRequest, encodeBlock, encodeRequest } from './block.js';
import { isCertificate, isCommitCertificate, isPreparedCertificate, type Quorums, quorums } from './certificates.js';
import { type ReplicaConfig, type ResolvedConfig, resolveConfig } from './config.js';
import type { HashFunction } from './crypto.js';
import { DecodeError } from './errors.js';
import { decodeHardState, encodeHardState } from './hardState.js';
import { HealthMonitor } from './health.js';
import {
  type CheckpointProof,
  checksFor,
  decodeMessage,
  decodeVote,
  encodePrePrepare,
  type Fetch,
  type Message,
  MessageType,
  type NewView,
  type PrePrepare,
  signedParts,
  signFetch,
  signNewView,
  signTransfer,
  signViewChange,
  signVote,
  type Transfer,
  type ViewChange,
  type Vote,
  type VoteType,
} from './messages.js';
import { decideNewView, isValidViewChange, type NewViewDecision } from './newViewRule.js';
import {
  addStats,
  type CheckpointRecord,
  type CommittedBlock,
  type DropReason,
  type DurableState,
  emptyStats,
  type PersistBatch,
  type Ready,
  type ReplicaInput,
  type StepStats,
  StepOutput,
} from './step.js';
import { RequestPool } from './requestPool.js';
import { VoteStore } from './voteStore.js';

const MAX_TRANSFER_BLOCKS = 16;
const INPUT_TYPES = ['message', 'messages', 'request', 'requests', 'tick'] as const;
/** Votes are stored for views up to this far above the current one. */
const VIEW_WINDOW = 4;

interface Proposal {
  block: Block;
  digest: Uint8Array;
  frame: Uint8Array;
}

/** A block's requests as decoded when it was validated, reused at execution. */
interface DecodedTx {
  request: ClientRequest;
  key: string;
}

/**
 * One PBFT validator as a pure state machine: `step(input)` returns a `Ready` batch and does no
 * I/O. Time arrives only as `tick(now)`. See docs/consensus.md for the protocol and its safety
 * argument.
 */
export class Replica {
  readonly id: number;
  readonly q: Quorums;
  private readonly cfg: ResolvedConfig;
  private readonly hash: HashFunction;
  private readonly genesis: Uint8Array;
  private readonly health: HealthMonitor;
  private readonly window: number;

  private now = 0;
  private view = 0;
  private inViewChange = false;
  /** When 2f+1 VIEW-CHANGEs for the current view were first held (PBFT starts the new-view timer then). */
  private quorumAt = Infinity;
  /** View changes that failed to install since the last commit: each doubles the timeouts (up to 8×). */
  private failedViews = 0;
  private lastProgress = 0;
  private lastRetransmit = 0;
  private lastFetch = -Infinity;
  private height = 0;
  private lastHash: Uint8Array;
  private clients = new ClientTable();
  /** Committed blocks since the stable checkpoint (inclusive), by height. */
  private log = new Map<number, CommittedBlock>();
  private stable: CheckpointRecord;
  /** Commit certificate of the last committed height: what a VIEW-CHANGE proves its height with. */
  private lastCert: { height: number; cert: Uint8Array[] } = { height: 0, cert: [] };
  private myCheckpoint: { seq: number; digest: Uint8Array; snapshot: Uint8Array; blockHash: Uint8Array; frame: Uint8Array } | null = null;
  private pool: RequestPool;
  /** Accepted pre-prepares by seq, then view. */
  private proposals = new Map<number, Map<number, Proposal>>();
  private readonly votes: VoteStore;
  private latest: Vote | null = null;
  private latestBlock: Block | null = null;
  private prepared: Vote[] = [];
  private preparedBlock: Block | null = null;
  private sentCommit = new Set<string>();
  private commitDeadline: { view: number; seq: number; at: number } | null = null;
  private preparedAt = 0;
  private viewChanges = new Map<number, Map<number, ViewChange>>();
  private newView: NewView | null = null;
  /** Own VIEW-CHANGE for the view left without it installing (re-sent while in view change). */
  private previousViewChange: Uint8Array | null = null;
  private decision: NewViewDecision | null = null;
  /** Last answer to each peer (time and first height sent), to rate-limit repeated asks. */
  private lastServed = new Map<number, { at: number; from: number }>();
  /** When and in which view each recent height committed here. */
  private committedAt = new Map<number, { at: number; view: number }>();
  private totals = emptyStats();
  private decoded = new WeakMap<Block, DecodedTx[]>();

  /** The step's output under construction. */
  private o: StepOutput;

  constructor(config: ReplicaConfig) {
    this.cfg = resolveConfig(config);
    const id = this.cfg.id;
    const k = this.cfg.checkpointInterval;
    const validators = this.cfg.validators;
    this.id = id;
    this.q = quorums(validators.length);
    this.o = new StepOutput(this.q.n);
    this.votes = new VoteStore(validators);
    this.hash = config.hash;
    this.window = 2 * k;
    this.genesis = this.hash(new TextEncoder().encode('swarmguard/pbft/genesis'));
    this.lastHash = this.genesis;
    this.stable = { seq: 0, blockHash: this.genesis, snapshot: new Uint8Array(0), cert: [], blockCert: [] };
    this.pool = new RequestPool(this.cfg.maxPending);
    this.health = new HealthMonitor(this.cfg.fastPath, this.cfg.fastPathWindow.min, this.cfg.fastPathWindow.max);
  }

  /** Rebuilds a replica after a crash from what it persisted (a fresh `config.application`). */
  static restore(config: ReplicaConfig, durable: DurableState): Replica {
    const r = new Replica(config);
    r.recover(durable);
    return r;
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
    health: ReturnType<HealthMonitor['snapshot']>;
    totals: StepStats;
  } {
    return {
      id: this.id,
      view: this.view,
      inViewChange: this.inViewChange,
      height: this.height,
      lastHash: this.lastHash,
      stableCheckpoint: this.stable.seq,
      pending: this.pool.size,
      primary: this.primaryOf(this.view),
      health: this.health.snapshot(),
      totals: this.totals,
    };
  }

  /** The genesis hash every chain starts from (parent of height 1). */
  genesisHash(): Uint8Array {
    return this.genesis;
  }

  step(input: ReplicaInput): Ready {
    requireObject(input, 'Replica.step', 'input');
    const out = (this.o = new StepOutput(this.q.n));
    switch (input.type) {
      case 'message':
        this.receive([input.bytes]);
        break;
      case 'messages':
        this.receive(requireArray(input.messages, 'Replica.step', 'input.messages'));
        break;
      case 'request':
        this.onRequest(input.request);
        break;
      case 'requests':
        requireArray(input.requests, 'Replica.step', 'input.requests').forEach((r, i) => this.onRequest(r as Uint8Array, i));
        break;
      case 'tick': {
        const now = requireNumber(input.now, 'Replica.step', 'input.now');
        if (now > this.now) this.now = now;
        this.onTick();
        break;
      }
      default:
        requireOneOf((input as { type: unknown }).type, 'Replica.step', 'input.type', INPUT_TYPES);
    }
    this.maybePropose();
    this.resolveTransfers();
    const persist: PersistBatch = { blocks: out.committed };
    if (out.hardDirty) persist.hardState = this.encodeHard();
    if (out.checkpoint) persist.checkpoint = out.checkpoint;
    addStats(this.totals, out.stats);
    return {
      persist: persist.hardState || persist.checkpoint || persist.blocks.length ? persist : null,
      messages: out.messages,
      committed: out.committed,
      replies: out.replies,
      evidence: out.evidence,
      stats: out.stats,
    };
  }

  // ---------------------------------------------------------------- inputs

  private receive(frames: unknown[]): void {
    const parsed: Message[] = [];
    const checks = [];
    const spans: number[] = [];
    for (const bytes of frames) {
      this.o.stats.received++;
      if (!(bytes instanceof Uint8Array)) {
        this.drop('malformed');
        continue;
      }
      let m: Message;
      try {
        m = decodeMessage(bytes);
      } catch (err) {
        if (!(err instanceof DecodeError)) throw err;
        this.drop('malformed');
        continue;
      }
      const c = checksFor(signedParts(m), this.cfg.validators);
      if (c === null || m.sender === this.id) {
        this.drop('unknownSender');
        continue;
      }
      parsed.push(m);
      spans.push(c.length);
      checks.push(...c);
    }
    if (checks.length === 0) return;
    const ok = this.cfg.verifier.verifyBatch(checks);
    this.o.stats.verified += checks.length;
    let at = 0;
    for (let i = 0; i < parsed.length; i++) {
      const span = spans[i];
      let valid = true;
      for (let j = at; j < at + span; j++) valid &&= ok[j] === true;
      at += span;
      if (!valid) {
        this.health.suspect();
        this.drop('badSignature');
        continue;
      }
      this.dispatch(parsed[i]);
    }
  }

  private dispatch(m: Message): void {
    switch (m.kind) {
      case 'preprepare':
        return this.onPrePrepare(m);
      case 'vote':
        return this.onVote(m);
      case 'viewchange':
        return this.onViewChange(m);
      case 'newview':
        return this.onNewView(m);
      case 'fetch':
        return this.onFetch(m);
      case 'transfer':
        return this.onTransfer(m);
    }
  }

  /** A request from the host: bytes from a client (malformed ones are dropped), or an object the host built (checked). */
  private onRequest(input: Uint8Array | ClientRequest, index = -1): void {
    this.o.stats.received++;
    let request: ClientRequest;
    let bytes: Uint8Array;
    if (input instanceof Uint8Array) {
      try {
        request = decodeRequest(input);
      } catch (err) {
        if (err instanceof DecodeError) return this.drop('malformed');
        throw err;
      }
      bytes = input;
    } else {
      const name = index < 0 ? 'input.request' : `input.requests[${index}]`;
      requireObject(input, 'Replica.step', name);
      requireBytes(input.clientId, 'Replica.step', `${name}.clientId`);
      requireBytes(input.payload, 'Replica.step', `${name}.payload`);
      requireInteger(input.seq, 'Replica.step', `${name}.seq`, 1);
      request = input;
      bytes = encodeRequest(input);
    }
    const done = this.clients.get(request.clientId);
    if (done && request.seq <= done.seq) {
      if (request.seq === done.seq) this.reply(request.clientId, request.seq, this.height, done.result);
      return this.drop('duplicate');
    }
    const added = this.pool.add(request, bytes, this.now);
    if (added !== 'added') this.drop(added === 'full' ? 'poolFull' : 'duplicate');
  }

  private onTick(): void {
    const cfg = this.cfg;
    if (this.commitDeadline && this.now >= this.commitDeadline.at) {
      const { view, seq } = this.commitDeadline;
      this.commitDeadline = null;
      this.sendCommit(view, seq);
    }
    const timeout = cfg.viewChangeTimeout * 2 ** Math.min(this.failedViews, 3);
    if (this.inViewChange) {
      // 2f+1 replicas moved to this view but its primary never produced NEW-VIEW: try the next.
      if (this.now - this.quorumAt >= timeout) {
        this.failedViews++;
        this.startViewChange(this.view + 1);
      }
    } else if (!this.hasWork()) {
      this.lastProgress = this.now;
    } else if (this.now - this.lastProgress >= timeout) {
      this.startViewChange(this.view + 1);
    }
    if (this.now - this.lastRetransmit >= cfg.retransmitInterval) {
      this.lastRetransmit = this.now;
      this.retransmit();
    }
  }

  private hasWork(): boolean {
    return this.pool.size > 0 || (this.proposals.get(this.height + 1)?.size ?? 0) > 0;
  }

  // ---------------------------------------------------------------- normal case

  private primaryOf(view: number): number {
    return view % this.q.n;
  }

  private maybePropose(): void {
    if (this.inViewChange || this.primaryOf(this.view) !== this.id) return;
    const seq = this.height + 1;
    if (this.proposals.get(seq)?.has(this.view)) return;
    if (seq > this.stable.seq + this.window) return;
    const d = this.decision;
    if (d && d.base.height > this.height) return; // catching up to the new view's base first
    const voted = this.latest;
    if (voted && voted.seq === seq && voted.view === this.view) {
      // Restarted after proposing: re-send that very proposal, never a second one.
      if (!this.latestBlock) return;
      const again = { block: this.latestBlock, digest: voted.digest, frame: encodePrePrepare(this.id, voted.bytes, encodeBlock(this.latestBlock)) };
      this.acceptProposal(seq, this.view, again);
      this.broadcast(again.frame);
      return;
    }
    let block: Block;
    if (d && d.base.height + 1 === seq && d.digest) {
      if (!d.block) return;
      block = d.block;
    } else {
      if (this.pool.size === 0) return;
      if (this.pool.size < this.cfg.batchSize && this.now - this.pool.since < this.cfg.batchTimeout) return;
      const txs = this.pool.batch(this.cfg.batchSize, (key) => this.clients.lastSeqOf(key));
      if (txs.length === 0) return;
      block = { height: seq, parent: this.lastHash, txRoot: this.cfg.txRoot(txs), txs };
    }
    const digest = blockHash(block, this.hash);
    const vote = this.sign(MessageType.Prepare, this.view, seq, digest);
    const frame = encodePrePrepare(this.id, vote, encodeBlock(block));
    this.acceptProposal(seq, this.view, { block, digest, frame });
    this.castPrepare(decodeVote(vote), block);
    this.broadcast(frame);
  }

  /** Deterministic checks a backup makes before voting for a block at height+1 (txRoot was checked on arrival). */
  private validBlock(block: Block): boolean {
    if (block.height !== this.height + 1 || !equalBytes(block.parent, this.lastHash)) return false;
    const seen = new Map<string, number>();
    const decoded: DecodedTx[] = [];
    for (const tx of block.txs) {
      let request: ClientRequest;
      try {
        request = decodeRequest(tx);
      } catch {
        return false;
      }
      const key = clientKey(request.clientId);
      const floor = seen.get(key) ?? this.clients.lastSeqOf(key);
      if (request.seq <= floor) return false;
      seen.set(key, request.seq);
      decoded.push({ request, key });
    }
    this.decoded.set(block, decoded);
    return true;
  }

  private onPrePrepare(m: PrePrepare): void {
    const { vote, block } = m;
    const { view, seq } = vote;
    if (m.sender !== this.primaryOf(view) || block.height !== seq) return this.drop('invalid');
    if (!this.inWindow(seq)) return this.drop('outOfWindow');
    const digest = blockHash(block, this.hash);
    if (!equalBytes(digest, vote.digest)) return this.drop('invalid');
    this.recordVote(vote);
    // The header binds the transactions only through txRoot: a body that does not match is forged or corrupt.
    if (!equalBytes(this.cfg.txRoot(block.txs), block.txRoot)) return this.drop('invalid');
    if (view > this.view) return this.o.fetchFrom(m.sender);
    if (view < this.view || this.inViewChange) return this.drop('stale');
    if (seq <= this.height) return this.helpRecommit(view, seq, digest);
    const existing = this.proposals.get(seq)?.get(view);
    if (existing) return this.drop('duplicate');
    this.acceptProposal(seq, view, { block, digest, frame: new Uint8Array(0) });
    if (seq > this.height + 1) return this.o.fetchFrom(m.sender);
    this.considerProposal(seq);
  }

  /** Votes for the current view's proposal at height+1 if it is valid and allowed. */
  private considerProposal(seq: number): void {
    if (seq !== this.height + 1 || this.inViewChange) return;
    const p = this.proposals.get(seq)?.get(this.view);
    if (!p) return;
    if (this.latest && this.latest.seq === seq && this.latest.view >= this.view) return this.tryProgress(seq);
    const d = this.decision;
    if (d && d.base.height + 1 === seq && d.digest && !equalBytes(d.digest, p.digest)) {
      this.proposals.get(seq)?.delete(this.view);
      return this.drop('invalid');
    }
    if (d && seq <= d.base.height) return;
    if (!this.validBlock(p.block)) {
      this.proposals.get(seq)?.delete(this.view);
      return this.drop('invalid');
    }
    const frame = this.sign(MessageType.Prepare, this.view, seq, p.digest);
    this.castPrepare(decodeVote(frame), p.block);
    this.broadcast(frame);
    this.tryProgress(seq);
  }

  private castPrepare(vote: Vote, block: Block): void {
    this.latest = vote;
    this.latestBlock = block;
    this.recordVote(vote);
    this.o.hardDirty = true;
  }

  /** A committed block re-proposed in a later view: vote for it again so lagging replicas can finish. */
  private helpRecommit(view: number, seq: number, digest: Uint8Array): void {
    const entry = this.log.get(seq);
    const at = this.committedAt.get(seq);
    // Only in views entered after committing `seq`: in those this replica cannot have voted for it yet.
    if (!entry || !at || view <= at.view || !equalBytes(entry.hash, digest)) return this.drop('stale');
    const key = `${view}:${seq}`;
    if (this.sentCommit.has(key)) return this.drop('duplicate');
    this.sentCommit.add(key);
    this.broadcast(this.sign(MessageType.Prepare, view, seq, digest));
    this.broadcast(this.sign(MessageType.Commit, view, seq, digest));
  }

  private acceptProposal(seq: number, view: number, p: Proposal): void {
    let byView = this.proposals.get(seq);
    if (!byView) this.proposals.set(seq, (byView = new Map()));
    byView.set(view, p);
  }

  private inWindow(seq: number): boolean {
    return seq > this.stable.seq && seq <= this.stable.seq + this.window;
  }

  private onVote(v: Vote): void {
    if (v.type === MessageType.Checkpoint) return this.onCheckpointVote(v);
    if (v.seq <= this.height) {
      if (v.seq <= this.stable.seq) return this.drop('stale');
      this.lazyCommit(v);
      // Late votes for a just-committed slot are normal; only a retransmission means the peer is stuck.
      const at = this.committedAt.get(v.seq);
      if (at === undefined || this.now - at.at >= this.cfg.retransmitInterval) this.o.serveTo(v.sender, v.seq);
      return;
    }
    if (!this.inWindow(v.seq)) {
      if (v.seq > this.stable.seq + this.window) this.o.fetchFrom(v.sender);
      return this.drop('outOfWindow');
    }
    if (v.view > this.view + VIEW_WINDOW) {
      // Far-future views are only stored once we get there (bounds memory against vote spam).
      this.o.fetchFrom(v.sender);
      return this.drop('outOfWindow');
    }
    if (!this.recordVote(v)) return;
    if (v.view > this.view && !this.inViewChange) this.o.fetchFrom(v.sender);
    if (v.seq > this.height + 1) return this.o.fetchFrom(v.sender);
    this.tryProgress(v.seq);
  }

  /** Stores the first vote of a sender per (type, view, seq); a conflicting second is evidence. */
  private recordVote(v: Vote): boolean {
    const outcome = this.votes.add(v);
    if (outcome === 'stored') return true;
    if (outcome !== 'duplicate') {
      this.health.suspect();
      if (outcome !== 'equivocated') this.o.evidence.push(outcome);
    }
    this.drop('duplicate');
    return false;
  }

  /** After any vote or proposal for height+1: prepared? committed (fast or slow)? */
  private tryProgress(seq: number): void {
    while (seq === this.height + 1) {
      if (!this.tryCommit(seq)) break;
      seq = this.height + 1;
      this.considerProposal(seq);
    }
    if (seq !== this.height + 1 || this.inViewChange) return;
    const mine = this.latest;
    if (!mine || mine.seq !== seq || mine.view !== this.view) return;
    const prepares = this.votes.matching(MessageType.Prepare, mine.view, seq, mine.digest);
    if (prepares.length < this.q.quorum) return;
    if (this.prepared.length === 0 || this.prepared[0].view < mine.view) {
      this.prepared = prepares.slice(0, this.q.quorum);
      this.preparedBlock = this.latestBlock;
      this.preparedAt = this.now;
      this.o.hardDirty = true;
      const wait = this.health.fastWindow();
      if (wait > 0) this.commitDeadline = { view: mine.view, seq, at: this.now + wait };
      else this.sendCommit(mine.view, seq);
    }
  }

  private sendCommit(view: number, seq: number): void {
    if (seq !== this.height + 1 || view !== this.view || this.inViewChange) return;
    const p = this.prepared[0];
    if (!p || p.view !== view || p.seq !== seq) return;
    const key = `${view}:${seq}`;
    if (this.sentCommit.has(key)) return;
    this.sentCommit.add(key);
    const frame = this.sign(MessageType.Commit, view, seq, p.digest);
    this.recordVote(decodeVote(frame));
    this.broadcast(frame);
    this.tryProgress(seq);
  }

  /** A peer still on the slow path for a slot this replica fast-committed: give it our COMMIT. */
  private lazyCommit(v: Vote): void {
    if (v.type !== MessageType.Commit) return;
    const entry = this.log.get(v.seq);
    if (!entry || entry.via !== 'fast' || entry.view !== v.view || !equalBytes(entry.hash, v.digest)) return;
    const key = `${v.view}:${v.seq}`;
    if (this.sentCommit.has(key)) return;
    this.sentCommit.add(key);
    this.send(v.sender, this.sign(MessageType.Commit, v.view, v.seq, v.digest));
  }

  private tryCommit(seq: number): boolean {
    const candidates = new Map<string, Proposal>();
    for (const p of this.proposals.get(seq)?.values() ?? []) candidates.set(bytesToHex(p.digest), p);
    for (const b of [this.latestBlock, this.preparedBlock, this.decision?.block ?? null]) {
      if (b && b.height === seq) {
        const digest = blockHash(b, this.hash);
        candidates.set(bytesToHex(digest), { block: b, digest, frame: new Uint8Array(0) });
      }
    }
    for (const { type, view, bySender } of this.votes.phasesAt(seq)) {
      if (type === MessageType.Prepare && !this.cfg.fastPath) continue;
      const seen = new Set<string>();
      for (const v of bySender.values()) {
        const hex = bytesToHex(v.digest);
        if (seen.has(hex)) continue;
        seen.add(hex);
        const p = candidates.get(hex);
        if (!p) continue;
        const votes = this.votes.matching(type, view, seq, v.digest);
        const need = type === MessageType.Commit ? this.q.quorum : this.q.n;
        if (votes.length >= need) {
          if (!equalBytes(p.block.parent, this.lastHash)) return false;
          this.commit(p.block, p.digest, view, votes.slice(0, need).map((x) => x.bytes), type === MessageType.Commit ? 'slow' : 'fast');
          return true;
        }
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- execution

  private commit(block: Block, digest: Uint8Array, view: number, cert: Uint8Array[], via: CommittedBlock['via']): void {
    const prepares = this.votes.matching(MessageType.Prepare, view, block.height, digest).length;
    if (via !== 'transfer') this.health.observe(prepares === this.q.n, this.now - this.preparedAt);
    const decoded = this.decoded.get(block) ?? block.txs.map((tx) => {
      const request = decodeRequest(tx);
      return { request, key: clientKey(request.clientId) };
    });
    for (const { request, key } of decoded) {
      if (request.seq <= this.clients.lastSeqOf(key)) continue;
      const result = this.cfg.application.execute(request, block.height);
      this.clients.record(request.clientId, request.seq, result, key);
      this.pool.remove(key, request.seq);
      this.reply(request.clientId, request.seq, block.height, result);
    }
    this.height = block.height;
    this.lastHash = digest;
    const entry: CommittedBlock = { height: block.height, hash: digest, view, block, cert, via };
    this.lastCert = { height: block.height, cert };
    this.log.set(block.height, entry);
    this.committedAt.set(block.height, { at: this.now, view: this.view });
    this.o.committed.push(entry);
    this.o.stats.committed++;
    this.o.stats.committedTxs += block.txs.length;
    this.lastProgress = this.now;
    this.pool.since = this.now;
    this.failedViews = 0;
    this.proposals.delete(block.height);
    this.votes.forgetUpTo(block.height, false);
    if (this.latest && this.latest.seq <= block.height) {
      this.latest = null;
      this.latestBlock = null;
    }
    if (this.prepared.length && this.prepared[0].seq <= block.height) {
      this.prepared = [];
      this.preparedBlock = null;
    }
    if (this.commitDeadline && this.commitDeadline.seq <= block.height) this.commitDeadline = null;
    this.o.hardDirty = true;
    if (block.height % this.cfg.checkpointInterval === 0) this.takeCheckpoint();
  }

  private reply(clientId: Uint8Array, seq: number, height: number, result: Uint8Array): void {
    this.o.replies.push({ replica: this.id, clientId, seq, height, result });
  }

  // ---------------------------------------------------------------- checkpoints

  private checkpointDigest(blockHash: Uint8Array, snapshot: Uint8Array): Uint8Array {
    const h = this.hash(snapshot);
    const both = new Uint8Array(64);
    both.set(blockHash);
    both.set(h, 32);
    return this.hash(both);
  }

  private takeCheckpoint(): void {
    const snapshot = encodeSnapshot(this.clients, this.cfg.application);
    const digest = this.checkpointDigest(this.lastHash, snapshot);
    const frame = this.sign(MessageType.Checkpoint, 0, this.height, digest);
    this.myCheckpoint = { seq: this.height, digest, snapshot, blockHash: this.lastHash, frame };
    this.recordVote(decodeVote(frame));
    this.broadcast(frame);
    this.tryStabilize();
  }

  private onCheckpointVote(v: Vote): void {
    if (v.seq <= this.stable.seq) {
      // The peer still lacks a certificate we hold: send it (rate-limited).
      if (v.seq === this.stable.seq) this.o.serveTo(v.sender, v.seq);
      return this.drop('stale');
    }
    if (v.seq > this.height + this.window) {
      this.o.fetchFrom(v.sender);
      return this.drop('outOfWindow');
    }
    if (!this.recordVote(v)) return;
    if (v.seq > this.height) {
      const agreeing = this.votes.matching(MessageType.Checkpoint, 0, v.seq, v.digest);
      if (agreeing.length >= this.q.f + 1) this.o.fetchFrom(v.sender);
    }
    this.tryStabilize();
  }

  private tryStabilize(): void {
    const mine = this.myCheckpoint;
    if (!mine || mine.seq <= this.stable.seq) return;
    const votes = this.votes.matching(MessageType.Checkpoint, 0, mine.seq, mine.digest);
    if (votes.length < this.q.quorum) return;
    this.stable = {
      seq: mine.seq,
      blockHash: mine.blockHash,
      snapshot: mine.snapshot,
      cert: votes.slice(0, this.q.quorum).map((v) => v.bytes),
      blockCert: this.lastCert.height === mine.seq ? this.lastCert.cert : (this.log.get(mine.seq)?.cert ?? []),
    };
    this.o.checkpoint = this.stable;
    this.collectGarbage();
  }

  /** Discards log entries, votes and proposals the stable checkpoint makes unnecessary. */
  private collectGarbage(): void {
    const low = this.stable.seq;
    for (const h of this.log.keys()) if (h < low) this.log.delete(h);
    for (const h of this.committedAt.keys()) if (h < low) this.committedAt.delete(h);
    this.votes.forgetUpTo(low, true);
    for (const seq of this.proposals.keys()) if (seq <= low) this.proposals.delete(seq);
    for (const key of this.sentCommit) if (Number(key.split(':')[1]) <= low) this.sentCommit.delete(key);
  }

  // ---------------------------------------------------------------- view change

  private startViewChange(newView: number): void {
    if (newView <= this.view) return;
    // Leaving a view change that never installed: keep re-sending that VIEW-CHANGE too. It still
    // reports every vote this replica cast below it, and peers that missed it may need it for a
    // quorum (otherwise one replica can sit alone in a higher view while the rest wait below).
    this.previousViewChange = this.inViewChange ? (this.viewChanges.get(this.view)?.get(this.id)?.bytes ?? null) : null;
    this.view = newView;
    this.inViewChange = true;
    this.quorumAt = Infinity;
    this.commitDeadline = null;
    this.decision = null;
    this.o.hardDirty = true;
    const frame = this.buildViewChange();
    this.broadcast(frame);
    this.storeViewChange(decodeMessage(frame) as ViewChange);
  }

  private buildViewChange(): Uint8Array {
    const blocks: Block[] = [];
    const addBlock = (b: Block | null) => {
      if (!b) return;
      const d = blockHash(b, this.hash);
      if (!blocks.some((x) => equalBytes(blockHash(x, this.hash), d))) blocks.push(b);
    };
    const prepared = this.prepared.length && this.prepared[0].seq === this.height + 1 ? this.prepared : [];
    const latest = this.latest && this.latest.seq === this.height + 1 ? this.latest : null;
    if (prepared.length) addBlock(this.preparedBlock);
    if (latest) addBlock(this.latestBlock);
    this.o.stats.signed++;
    return signViewChange(this.cfg.signer, this.id, {
      newView: this.view,
      committed: { height: this.height, hash: this.lastHash, cert: this.lastCert.height === this.height ? this.lastCert.cert : [] },
      prepared: prepared.map((v) => v.bytes),
      latest: latest?.bytes ?? null,
      blocks: blocks.map(encodeBlock),
    });
  }

  private onViewChange(vc: ViewChange): void {
    if (vc.newView < this.view || (vc.newView === this.view && !this.inViewChange)) {
      // A peer still trying to leave a view we already left: help it with our NEW-VIEW.
      if (this.newView && vc.newView <= this.view) this.o.serveTo(vc.sender, vc.committed.height + 1);
      return this.drop('stale');
    }
    if (!isValidViewChange(vc, this.q, this.genesis, this.hash, this.cfg.txRoot)) {
      this.health.suspect();
      return this.drop('invalid');
    }
    this.storeViewChange(vc);
    this.joinViewChange();
  }

  private storeViewChange(vc: ViewChange): void {
    let bySender = this.viewChanges.get(vc.newView);
    if (!bySender) this.viewChanges.set(vc.newView, (bySender = new Map()));
    if (!bySender.has(vc.sender)) bySender.set(vc.sender, vc);
    // Above the current view keep one VIEW-CHANGE per sender, its highest: memory stays O(n).
    for (const [view, others] of this.viewChanges) {
      if (view > this.view && view < vc.newView && others.delete(vc.sender) && others.size === 0) this.viewChanges.delete(view);
    }
    if (vc.newView === this.view && this.inViewChange && bySender.size >= this.q.quorum && this.quorumAt === Infinity) this.quorumAt = this.now;
    for (const v of this.viewChanges.keys()) if (v < this.view) this.viewChanges.delete(v);
    this.tryNewView();
  }

  /** f+1 replicas want views above ours: at least one honest does, so join the smallest of them. */
  private joinViewChange(): void {
    const highest = new Map<number, number>();
    for (const [view, bySender] of this.viewChanges) {
      if (view <= this.view) continue;
      for (const sender of bySender.keys()) highest.set(sender, Math.max(highest.get(sender) ?? 0, view));
    }
    if (highest.size >= this.q.f + 1) this.startViewChange(Math.min(...highest.values()));
  }

  private tryNewView(): void {
    const v = this.view;
    if (!this.inViewChange || this.primaryOf(v) !== this.id) return;
    const bySender = this.viewChanges.get(v);
    if (!bySender || bySender.size < this.q.quorum || !bySender.has(this.id)) return;
    const chosen = [bySender.get(this.id) as ViewChange, ...[...bySender.values()].filter((x) => x.sender !== this.id)].slice(0, this.q.quorum);
    this.o.stats.signed++;
    const frame = signNewView(this.cfg.signer, this.id, v, chosen.map((x) => x.bytes));
    this.broadcast(frame);
    this.enterView(decodeMessage(frame) as NewView);
  }

  private validNewView(nv: NewView): boolean {
    if (nv.sender !== this.primaryOf(nv.view) || nv.viewChanges.length < this.q.quorum) return false;
    const senders = new Set<number>();
    for (const vc of nv.viewChanges) {
      if (vc.newView !== nv.view || senders.has(vc.sender) || !isValidViewChange(vc, this.q, this.genesis, this.hash, this.cfg.txRoot)) return false;
      senders.add(vc.sender);
    }
    return true;
  }

  private onNewView(nv: NewView): void {
    if (nv.view < this.view || (nv.view === this.view && !this.inViewChange)) return this.drop('stale');
    if (!this.validNewView(nv)) {
      this.health.suspect();
      return this.drop('invalid');
    }
    this.enterView(nv);
  }

  /** Adopts a verified NEW-VIEW: re-runs the primary's choice, so a primary that chose otherwise is ignored. */
  private enterView(nv: NewView): void {
    this.view = nv.view;
    this.inViewChange = false;
    this.previousViewChange = null;
    this.newView = nv;
    this.decision = decideNewView(nv.viewChanges, this.q, this.hash);
    this.lastProgress = this.now;
    this.commitDeadline = null;
    this.o.hardDirty = true;
    for (const v of this.viewChanges.keys()) if (v <= nv.view) this.viewChanges.delete(v);
    for (const byView of this.proposals.values()) for (const v of byView.keys()) if (v < nv.view) byView.delete(v);
    if (this.decision.base.height > this.height) {
      const ahead = nv.viewChanges.find((vc) => vc.committed.height === this.decision?.base.height);
      this.o.fetchFrom(ahead ? ahead.sender : nv.sender, true);
    }
    this.considerProposal(this.height + 1);
  }

  // ---------------------------------------------------------------- state transfer

  /** Sends the step's FETCH and pushes to peers that lag (`fetchFrom`/`serveTo` asks), both rate-limited. */
  private resolveTransfers(): void {
    const fetch = this.o.fetch;
    if (fetch && (fetch.force || this.now - this.lastFetch >= this.cfg.retransmitInterval)) {
      this.lastFetch = this.now;
      this.o.stats.signed++;
      // A checkpoint that should be stable by now but is not: ask from it, so the answer carries its certificate.
      const from = this.height - this.stable.seq >= this.cfg.checkpointInterval ? this.stable.seq + 1 : this.height + 1;
      this.send(fetch.peer, signFetch(this.cfg.signer, this.id, from, this.view));
    }
    for (const [peer, from] of this.o.serve) {
      const last = this.lastServed.get(peer);
      if (!last || this.now - last.at >= this.cfg.retransmitInterval) this.serve(peer, from, -1);
    }
  }

  private onFetch(m: Fetch): void {
    const last = this.lastServed.get(m.sender);
    if (last && last.from === m.from && this.now - last.at < this.cfg.retransmitInterval / 4) return this.drop('duplicate');
    this.serve(m.sender, m.from, m.view);
  }

  private serve(peer: number, from: number, peerView: number): void {
    const includeView = this.newView !== null && (peerView < this.view || peerView === -1);
    const withCheckpoint = from <= this.stable.seq && this.stable.seq > 0;
    const start = withCheckpoint ? this.stable.seq + 1 : from;
    if (start > this.height && !withCheckpoint && !includeView) return;
    this.lastServed.set(peer, { at: this.now, from });
    const blocks: { block: Uint8Array; cert: Uint8Array[] }[] = [];
    for (let h = start; h <= this.height && blocks.length < MAX_TRANSFER_BLOCKS; h++) {
      const e = this.log.get(h);
      if (!e) break;
      blocks.push({ block: encodeBlock(e.block), cert: e.cert });
    }
    this.o.stats.signed++;
    this.send(
      peer,
      signTransfer(this.cfg.signer, this.id, {
        checkpoint: withCheckpoint ? this.stable : null,
        blocks,
        newView: includeView ? (this.newView as NewView).bytes : null,
      }),
    );
  }

  private onTransfer(m: Transfer): void {
    const before = this.height;
    const cp = m.checkpoint;
    if (cp && cp.seq > this.height) this.installCheckpoint(cp);
    else if (cp && cp.seq > this.stable.seq) this.adoptCheckpoint(cp);
    for (const { block, cert } of m.blocks) {
      if (block.height !== this.height + 1) continue;
      const digest = blockHash(block, this.hash);
      const votes = cert.map((c) => c as Vote);
      if (!isCommitCertificate(votes, this.q, block.height, digest) || !equalBytes(block.parent, this.lastHash)) break;
      if (!equalBytes(this.cfg.txRoot(block.txs), block.txRoot)) break;
      this.commit(block, digest, votes[0].view, votes.map((v) => v.bytes), 'transfer');
    }
    if (m.newView && (m.newView.view > this.view || (m.newView.view === this.view && this.inViewChange)) && this.validNewView(m.newView)) {
      this.enterView(m.newView);
    }
    this.tryProgress(this.height + 1);
    this.considerProposal(this.height + 1);
    // The peer may hold more than one answer carries: ask again until an answer brings nothing.
    if (this.height > before) this.o.fetchFrom(m.sender, true);
  }

  /** A certified checkpoint at a height already executed here: make it stable without reinstalling state. */
  private adoptCheckpoint(cp: CheckpointProof): void {
    const own = cp.seq === this.height ? this.lastHash : this.log.get(cp.seq)?.hash;
    if (!own || !equalBytes(own, cp.blockHash)) return;
    const digest = this.checkpointDigest(cp.blockHash, cp.snapshot);
    if (!isCertificate(cp.cert, MessageType.Checkpoint, 0, cp.seq, digest, this.q.quorum)) return this.drop('invalid');
    this.stable = { seq: cp.seq, blockHash: cp.blockHash, snapshot: cp.snapshot, cert: cp.cert.map((v) => v.bytes), blockCert: cp.blockCert.map((v) => v.bytes) };
    this.o.checkpoint = this.stable;
    this.collectGarbage();
  }

  private installCheckpoint(cp: CheckpointProof): void {
    const digest = this.checkpointDigest(cp.blockHash, cp.snapshot);
    if (!isCertificate(cp.cert, MessageType.Checkpoint, 0, cp.seq, digest, this.q.quorum)) return this.drop('invalid');
    if (!isCommitCertificate(cp.blockCert, this.q, cp.seq, cp.blockHash)) return this.drop('invalid');
    const table = new ClientTable();
    try {
      restoreSnapshot(cp.snapshot, table, this.cfg.application);
    } catch (err) {
      if (err instanceof DecodeError) return this.drop('invalid');
      throw err;
    }
    this.clients = table;
    this.height = cp.seq;
    this.lastHash = cp.blockHash;
    this.log.clear();
    this.stable = { seq: cp.seq, blockHash: cp.blockHash, snapshot: cp.snapshot, cert: cp.cert.map((v) => v.bytes), blockCert: cp.blockCert.map((v) => v.bytes) };
    this.lastCert = { height: cp.seq, cert: this.stable.blockCert };
    this.myCheckpoint = null;
    this.o.checkpoint = this.stable;
    this.latest = null;
    this.latestBlock = null;
    this.prepared = [];
    this.preparedBlock = null;
    this.o.hardDirty = true;
    this.collectGarbage();
  }

  // ---------------------------------------------------------------- retransmission

  private retransmit(): void {
    if (this.inViewChange) {
      const mine = this.viewChanges.get(this.view)?.get(this.id);
      if (mine) this.broadcast(mine.bytes);
      if (this.previousViewChange) this.broadcast(this.previousViewChange);
      return;
    }
    const seq = this.height + 1;
    const p = this.proposals.get(seq)?.get(this.view);
    if (p && p.frame.length) this.broadcast(p.frame);
    if (this.latest && this.latest.seq === seq && this.latest.view === this.view && this.primaryOf(this.view) !== this.id) this.broadcast(this.latest.bytes);
    const commit = this.votes.of(MessageType.Commit, this.view, seq, this.id);
    if (commit) this.broadcast(commit.bytes);
    else if (this.prepared.length && this.prepared[0].view === this.view && this.prepared[0].seq === seq) this.sendCommit(this.view, seq);
    if (this.myCheckpoint && this.myCheckpoint.seq > this.stable.seq) this.broadcast(this.myCheckpoint.frame);
    if (this.newView && this.primaryOf(this.view) === this.id && this.now - this.lastProgress >= this.cfg.retransmitInterval) this.broadcast(this.newView.bytes);
  }

  // ---------------------------------------------------------------- plumbing

  private sign(type: VoteType, view: number, seq: number, digest: Uint8Array): Uint8Array {
    this.o.stats.signed++;
    return signVote(this.cfg.signer, type, this.id, view, seq, digest);
  }

  private broadcast(bytes: Uint8Array): void {
    this.o.broadcast(bytes);
  }

  private send(to: number, bytes: Uint8Array): void {
    this.o.send(to, bytes);
  }

  private drop(reason: DropReason): void {
    this.o.drop(reason);
  }

  private encodeHard(): Uint8Array {
    const blocks: Block[] = [];
    if (this.latestBlock) blocks.push(this.latestBlock);
    if (this.preparedBlock && this.preparedBlock !== this.latestBlock) blocks.push(this.preparedBlock);
    return encodeHardState({
      view: this.view,
      inViewChange: this.inViewChange,
      latest: this.latest?.bytes ?? null,
      prepared: this.prepared.map((v) => v.bytes),
      blocks,
      newView: this.newView?.bytes ?? null,
    });
  }

  private recover(d: DurableState): void {
    if (d.checkpoint && d.checkpoint.seq > 0) {
      const cp = d.checkpoint;
      restoreSnapshot(cp.snapshot, this.clients, this.cfg.application);
      this.height = cp.seq;
      this.lastHash = cp.blockHash;
      this.stable = cp;
      this.lastCert = { height: cp.seq, cert: cp.blockCert };
    }
    for (const e of d.blocks) {
      if (e.height !== this.height + 1) continue;
      for (const tx of e.block.txs) {
        const request = decodeRequest(tx);
        if (request.seq <= this.clients.lastSeq(request.clientId)) continue;
        this.clients.record(request.clientId, request.seq, this.cfg.application.execute(request, e.height));
      }
      this.height = e.height;
      this.lastHash = e.hash;
      this.lastCert = { height: e.height, cert: e.cert };
      this.log.set(e.height, e);
    }
    if (d.hardState) {
      const h = decodeHardState(d.hardState);
      this.view = h.view;
      this.inViewChange = h.inViewChange;
      const byHash = (digest: Uint8Array) => h.blocks.find((b) => equalBytes(blockHash(b, this.hash), digest)) ?? null;
      if (h.latest) {
        const v = decodeVote(h.latest, MessageType.Prepare);
        // Keep it even if it is for a committed slot's successor only: it bars a second vote in its view.
        if (v.seq === this.height + 1) {
          this.latest = v;
          this.latestBlock = byHash(v.digest);
          this.recordVote(v);
        }
      }
      if (h.prepared.length) {
        const cert = h.prepared.map((b) => decodeVote(b, MessageType.Prepare));
        if (isPreparedCertificate(cert, this.q) && cert[0].seq === this.height + 1) {
          this.prepared = cert;
          this.preparedBlock = byHash(cert[0].digest);
        }
      }
      if (h.newView) {
        const nv = decodeMessage(h.newView) as NewView;
        this.newView = nv;
        if (nv.view === this.view) this.decision = decideNewView(nv.viewChanges, this.q, this.hash);
      }
      if (this.inViewChange) this.storeViewChange(decodeMessage(this.buildViewChange()) as ViewChange);
    }
  }
}

