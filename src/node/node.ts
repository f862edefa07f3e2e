import { bytesToHex } from '../bytes/index.js';
import { ArgumentRangeError, requireArray, requireByteLength, requireFunction, requireInteger, requireNumber, requireObject, requireOptions } from '../check/index.js';
import {
  type Application,
  type CommittedBlock,
  type DropReason,
  persistOps,
  type Ready,
  Replica,
  type ReplicaConfig,
  type Signer,
  type StepStats,
  type ValidatorSet,
  wasmHybridSigner,
  wasmVerifierFor,
} from '../consensus/index.js';
import { KeyValueStore } from '../kv/index.js';
import { ValidatorApplication } from '../validators/index.js';
import { StakingDuties } from './duties.js';
import { validatorGenesis } from './stakingGenesis.js';
import { transactionIds } from '../tx/index.js';
import type { MonitoredTransport } from '../net/index.js';
import type { Pool } from '../pool/index.js';
import type { Storage, StorageOp } from '../storage/index.js';
import { archiveOps } from './chain.js';
import { PeerInbox } from './inbox.js';
import { compressSnapshot } from './compression.js';
import { nodeEd25519Signer, nodeSha256 } from './crypto.js';
import { type NodeCounters, newCounters } from './counters.js';
import { NodeStoppedError } from './errors.js';
import { type Genesis, genesisValidatorSet } from './genesis.js';
import { CHECKPOINT_KEY, openStore } from './store.js';
import { TxIndex, type SubmitOutcome, type TxStatus } from './txIndex.js';

/** What a node runs on: a transport that reports its peers (TLS, or the in-memory network in tests). */
export type NodeTransport = MonitoredTransport;

export interface NodeOptions {
  genesis: Genesis;
  /** 32-byte Ed25519 seed of this validator's consensus key (genesis lists its public key). */
  consensusSeed: Uint8Array;
  /** On an 'ed25519+mldsa65' network (genesis's `signatures`), and only there: the 32-byte seed of its ML-DSA-65 consensus key. */
  mldsa65Seed?: Uint8Array;
  /** The store (LevelDB on disk for a real node; memory in tests). */
  storage: Storage;
  /** The validator network (mutual TLS for a real node). */
  transport: NodeTransport;
  /** The replicated application (default: the key-value store). */
  application?: Application;
  /** Verifies client transactions' signatures off the event loop (default: inline WASM batches). */
  pool?: Pool;
  /**
   * Milliseconds a client's transaction waits at a backup before it is passed on to the primary
   * (default 10: clients may submit to any node, as with a gossiped mempool).
   */
  forwardDelay?: number;
  /**
   * Client transactions held waiting to be proposed before `submit` refuses more with `poolFull`
   * (default 8 blocks' worth): a client backs off rather than the node drowning in work it cannot
   * order in time — a backlog older than the view-change timeout would read as censorship.
   */
  maxPending?: number;
  /** Milliseconds between the replica's ticks (default 5: the batch timeout's grain). */
  tickInterval?: number;
  /** Milliseconds now (default `performance.now` shifted to the epoch): the replica's only clock. */
  now?: () => number;
}



/**
 * One validator as a running program: the replica, its store, its network and its clock, driven
 * by the Ready contract — each step's persist is written (one atomic, synced batch, with the
 * archive of what it committed) before that step's messages leave; the next step may run while
 * the write is in flight, and writes resolve in order, so every message waits for its own write
 * and all earlier ones. One event loop; frames arriving together are stepped as one batch (one
 * signature batch), client transactions are verified on the pool first.
 */
export class SwarmNode {
  readonly id: number;
  readonly genesis: Genesis;
  readonly validatorSet: ValidatorSet;
  readonly txs: TxIndex;
  readonly counters: NodeCounters = newCounters();
  /** Highest height whose block is durable in this node's archive (what its RPC can serve). */
  durableHeight = 0;
  /**
   * How far the network is (for `syncing`): the highest height f + 1 peers' COMMITs or CHECKPOINTs
   * named, so that one of them at least is honest (the frames are read before they are verified).
   */
  networkHeight = 0;
  /** Highest height each peer's COMMIT or CHECKPOINT named. */
  private readonly claims: number[];
  readonly inbox: PeerInbox;
  private requests: { txs: Uint8Array[]; done: (refused: { index: number; reason: DropReason }[]) => void }[] = [];
  private scheduled = false;
  private stopped = false;
  private lastWrite: Promise<void> = Promise.resolve();
  /** Resolves once the last write that waited for compression has been issued (null: none waits). */
  private gate: Promise<void> | null = null;
  private failure: unknown = null;
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly unsubscribe: () => void;
  private readonly now: () => number;
  private readonly listeners = new Set<(blocks: CommittedBlock[]) => void>();
  /** Client transactions most held here waiting to be proposed; more are refused at once. */
  private readonly maxPending: number;
  /** Client transactions between `submit` and the replica (being verified). */
  private admitting = 0;
  /** Highest height archived (or being written). */
  private archiveTip: number;
  /** The validator state machine's application, when genesis has a staking section (or one was given). */
  readonly staking: ValidatorApplication | null;
  /** Evidence and commit records this node sends on its own account (with `staking`). */
  readonly duties: StakingDuties | null;

  private constructor(
    private readonly replica: Replica,
    private readonly options: NodeOptions,
    readonly startedFrom: { height: number; checkedBlocks: number; archiveTip: number },
  ) {
    this.archiveTip = startedFrom.archiveTip;
    this.maxPending = options.maxPending ?? 8 * options.genesis.consensus.batchSize;
    this.durableHeight = startedFrom.archiveTip;
    this.id = replica.id;
    this.genesis = options.genesis;
    this.validatorSet = genesisValidatorSet(options.genesis);
    this.now = options.now ?? (() => performance.timeOrigin + performance.now());
    this.txs = new TxIndex(options.storage, this.validatorSet, options.genesis, options.pool ?? null, this.counters);
    this.inbox = new PeerInbox(replica.q.n);
    const app = options.application;
    this.staking = app instanceof ValidatorApplication ? app : null;
    const seed = options.consensusSeed;
    this.duties = this.staking ? new StakingDuties(this, this.staking, this.genesis.chainId, seed, this.genesis.validators[this.id].consensusKey, this.id, replica.q.n) : null;
    this.claims = new Array(replica.q.n).fill(0);
    const offFrames = options.transport.onFrame((from, frame) => this.onFrame(from, frame));
    const offPeers = options.transport.onPeerChange(() => this.peersChanged());
    this.unsubscribe = () => {
      offFrames();
      offPeers();
    };
    this.peersChanged();
    const tick = requireInteger(options.tickInterval ?? 5, 'SwarmNode.start', 'options.tickInterval', 1, 1000);
    this.timer = setInterval(() => this.handle(this.replica.step({ type: 'tick', now: this.now() })), tick);
  }

  /** Opens the store (checking it: `CorruptStoreError` when it fails), restores or creates the replica and starts stepping. */
  static async start(options: NodeOptions): Promise<SwarmNode> {
    const where = 'SwarmNode.start';
    const o = requireObject<NodeOptions>(options, where, 'options');
    requireOptions(o, where, 'options', ['genesis', 'consensusSeed', 'mldsa65Seed', 'storage', 'transport', 'application', 'pool', 'forwardDelay', 'maxPending', 'tickInterval', 'now']);
    const genesis = requireObject<Genesis>(o.genesis, where, 'options.genesis');
    requireArray(genesis.validators, where, 'options.genesis.validators');
    const seed = requireByteLength(o.consensusSeed, where, 'options.consensusSeed', 32);
    requireFunction(requireObject<Storage>(o.storage, where, 'options.storage').write, where, 'options.storage.write');
    requireFunction(requireObject<NodeTransport>(o.transport, where, 'options.transport').peers, where, 'options.transport.peers');
    requireInteger(o.tickInterval ?? 5, where, 'options.tickInterval', 1, 1000);
    requireNumber(o.forwardDelay ?? 10, where, 'options.forwardDelay', 0);
    if (o.maxPending !== undefined) requireInteger(o.maxPending, where, 'options.maxPending', 1);
    const edKey = nodeEd25519Signer(seed).publicKey;
    const id = o.genesis.validators.findIndex((v) => bytesToHex(v.consensusKey) === bytesToHex(edKey));
    if (id < 0) throw new ArgumentRangeError(where, 'options.consensusSeed', `must be the seed of a validator of genesis ${o.genesis.chainId}, got the seed of ${bytesToHex(edKey)}`);
    const set = genesisValidatorSet(o.genesis);
    const signatures = set.signatures ?? 'ed25519';
    // As parseGenesis refuses it: the validator state machine's keys and evidence are Ed25519.
    if (signatures !== 'ed25519' && o.genesis.staking) throw new ArgumentRangeError(where, 'options.genesis.staking', `needs genesis signatures 'ed25519', got '${signatures}'`);
    const signer = consensusSigner(o, seed, set.validators[id], where);
    const opened = await openStore(o.storage, set, nodeSha256);
    const application = o.application ?? defaultApplication(o.genesis);
    const config: ReplicaConfig = {
      chainId: o.genesis.chainId,
      id,
      validators: set.validators,
      signatures,
      signer,
      verifier: wasmVerifierFor(signatures),
      hash: nodeSha256,
      application,
      ...o.genesis.consensus,
      forwardDelay: o.forwardDelay ?? 10,
    };
    const replica = opened.durable ? Replica.restore(config, opened.durable) : new Replica(config);
    return new SwarmNode(replica, { ...o, application }, { height: replica.status().height, checkedBlocks: opened.checked, archiveTip: opened.tip });
  }

  /** The replica's public facts plus the node's view of the network. */
  status() {
    const s = this.replica.status();
    const peers = this.options.transport.peers();
    return {
      chainId: this.genesis.chainId,
      id: this.id,
      name: this.genesis.validators[this.id].name,
      view: s.view,
      primary: s.primary,
      inViewChange: s.inViewChange,
      height: s.height,
      archivedHeight: this.durableHeight,
      lastHash: bytesToHex(s.lastHash),
      stableCheckpoint: s.stableCheckpoint,
      pending: s.pending,
      networkHeight: Math.max(this.networkHeight, s.height),
      syncing: this.syncing(),
      peers,
    };
  }

  /** Behind the highest height a peer named by more than a block or two in flight. */
  syncing(): boolean {
    return this.networkHeight > this.replica.status().height + 2;
  }

  /** The transport's counters. */
  transportStats(): object {
    return this.options.transport.stats();
  }

  /** The replica's totals (step stats) since start. */
  replicaTotals(): StepStats {
    return this.replica.status().totals;
  }

  /** Live while the loop runs; ready when it can take part: enough peers for a quorum, not syncing. */
  health(): { live: boolean; ready: boolean; reason: string | null } {
    if (this.stopped) return { live: false, ready: false, reason: 'stopped' };
    if (this.failure !== null) return { live: false, ready: false, reason: `storage failed: ${String(this.failure)}` };
    const connected = this.options.transport.peers().filter((p) => p.connected && !p.suspected).length;
    if (connected + 1 < this.replica.q.quorum) return { live: true, ready: false, reason: `${connected} of ${this.replica.q.n - 1} peers connected, a quorum needs ${this.replica.q.quorum - 1}` };
    if (this.syncing()) return { live: true, ready: false, reason: `syncing: height ${this.replica.status().height} of ${this.networkHeight}` };
    return { live: true, ready: true, reason: null };
  }

  /** Calls `fn` with the blocks each durable write committed (after the write). */
  onCommit(fn: (blocks: CommittedBlock[]) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /**
   * Client transactions: decoded, checked against what the index knows, signatures verified (on
   * the pool when there is one), then handed to the replica in one step; each gets its id and
   * whether it was accepted, or the reason it was refused.
   */
  async submit(txs: Uint8Array[]): Promise<SubmitOutcome[]> {
    if (this.stopped) throw new NodeStoppedError();
    // Back-pressure before any signature work: past `maxPending` waiting here, refuse (`poolFull`).
    const room = Math.max(0, this.maxPending - this.replica.status().pending - this.admitting);
    const taken = Math.min(room, Array.isArray(txs) ? txs.length : 0);
    this.admitting += taken;
    try {
      return await this.txs.submit(txs, room, (valid) =>
        new Promise((resolve) => {
          this.requests.push({ txs: valid, done: resolve });
          this.schedule();
        }),
      );
    } finally {
      this.admitting -= taken;
    }
  }

  /** A transaction's status; once committed, with its result and commit proof. */
  txStatus(id: Uint8Array): Promise<TxStatus> {
    return this.txs.status(id);
  }

  /** The last nonce executed here for `sender` (0: none); its next transaction takes this + 1. */
  lastNonce(sender: Uint8Array): number {
    return this.replica.lastNonce(sender);
  }

  /** A committed block from the archive, or null (not yet, or before this node's archive starts). */
  block(height: number): Promise<CommittedBlock | null> {
    return this.txs.block(height);
  }

  /**
   * Stops: no new input is stepped, the writes in flight finish (and their messages leave), then
   * the network, the store and the pool close. Resolves when all are closed.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    this.unsubscribe();
    await this.lastWrite.catch(() => undefined);
    await this.options.transport.close();
    await this.options.storage.close();
  }

  private onFrame(from: number, frame: Uint8Array): void {
    this.counters.framesIn++;
    if (!this.inbox.push(from, frame, this.now())) return;
    this.noteHeight(from, frame);
    this.schedule();
  }

  /** The failure detector's verdicts (and the peers cut off here) reach the replica's fast-path monitor. */
  private peersChanged(): void {
    if (this.stopped) return;
    const now = this.now();
    const down = new Set(this.inbox.penalized(now));
    for (const p of this.options.transport.peers()) if (!p.connected || p.suspected) down.add(p.id);
    this.handle(this.replica.step({ type: 'peers', suspected: [...down] }));
  }

  /** COMMIT (3) and CHECKPOINT (4) votes name a height the sender reached: header, view u32, seq u64. */
  private noteHeight(from: number, frame: Uint8Array): void {
    if ((frame[1] === 3 || frame[1] === 4) && frame.length >= 16) {
      const seq = Number(new DataView(frame.buffer, frame.byteOffset + 8, 8).getBigUint64(0, true));
      if (seq <= this.claims[from] || seq >= Number.MAX_SAFE_INTEGER) return;
      this.claims[from] = seq;
      this.networkHeight = [...this.claims].sort((a, b) => b - a)[this.replica.q.f];
    }
  }

  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => this.turn());
  }

  private turn(): void {
    this.scheduled = false;
    if (this.stopped) return;
    const now = this.now();
    for (const [peer, messages] of this.inbox.take()) {
      const ready = this.replica.step({ type: 'messages', messages });
      const cutOff = this.inbox.charge(peer, ready.stats.dropped, now);
      this.handle(ready);
      if (cutOff) this.peersChanged();
    }
    const batch = this.requests;
    this.requests = [];
    for (const r of batch) {
      const ready = this.replica.step({ type: 'requests', requests: r.txs, verified: true });
      this.handle(ready);
      r.done(ready.refused);
    }
    if (this.inbox.size > 0) this.schedule();
  }

  /** The Ready contract: persist (with the archive) → send → notify. */
  private handle(ready: Ready): void {
    if (this.stopped || this.failure !== null) return;
    const ops: StorageOp[] = ready.persist ? persistOps(ready.persist) : [];
    // Each committed transaction's id, hashed once here for the archive and for the waiters.
    const ids = ready.committed.map((c) => transactionIds(c.block.txs));
    if (ready.committed.length > 0) {
      for (const op of archiveOps(ready.committed, ids, ready.replies, this.archiveTip)) ops.push(op);
      this.archiveTip = ready.committed[ready.committed.length - 1].height;
    }
    this.counters.evidence += ready.evidence.length;
    if (this.duties && ready.evidence.length > 0) this.duties.evidence(ready.evidence);
    if (ops.length > 0) {
      const started = performance.now();
      this.lastWrite = this.write(ops).then(
        () => {
          const seconds = (performance.now() - started) / 1000;
          this.counters.storageWrites++;
          this.counters.storageWriteSecondsTotal += seconds;
          this.counters.storageWriteSecondsLast = seconds;
        },
        (err) => this.fail(err),
      );
    }
    if (ready.messages.length === 0 && ready.committed.length === 0) return;
    const { messages, committed } = ready;
    void this.lastWrite.then(() => {
      if (this.failure !== null) return;
      const transport = this.options.transport;
      for (const m of messages) {
        if (m.to === 'all') transport.broadcast(m.bytes);
        else transport.send(m.to, m.bytes);
      }
      if (committed.length > 0) {
        this.committed(committed, ids);
        this.duties?.committed(committed);
      }
    });
  }

  /**
   * Issues one write, in step order. A write carrying the checkpoint waits for its snapshot to be
   * compressed (off the event loop), and every write after it waits to be issued behind it.
   */
  private write(ops: StorageOp[]): Promise<void> {
    const at = ops.findIndex((op) => op.type === 'put' && op.key === CHECKPOINT_KEY);
    if (at < 0 && this.gate === null) return this.options.storage.write(ops);
    const before = this.gate ?? Promise.resolve();
    const ready = at < 0 ? Promise.resolve() : compressSnapshot((ops[at] as { value: Uint8Array }).value).then((value) => void (ops[at] = { type: 'put', key: CHECKPOINT_KEY, value }));
    const issued = Promise.all([before, ready]).then(() => {
      if (this.gate === issued) this.gate = null;
    });
    this.gate = issued;
    return issued.then(() => this.options.storage.write(ops));
  }

  private committed(blocks: CommittedBlock[], ids: Uint8Array[][]): void {
    const now = this.now();
    for (const b of blocks) {
      if (this.counters.lastCommitAt > 0) this.counters.blockIntervalSeconds = (now - this.counters.lastCommitAt) / 1000;
      this.counters.lastCommitAt = now;
      this.counters.blocksCommitted++;
      this.counters.txsCommitted += b.block.txs.length;
      this.durableHeight = Math.max(this.durableHeight, b.height);
    }
    this.txs.committed(ids);
    for (const fn of this.listeners) fn(blocks);
  }

  /** A write failed: the log is broken, so nothing more may be promised. The node stops stepping. */
  private fail(err: unknown): void {
    if (this.failure !== null) return;
    this.failure = err;
    clearInterval(this.timer);
  }
}

/**
 * This validator's consensus signer under genesis's scheme: node:crypto Ed25519 from
 * `consensusSeed`, or on an 'ed25519+mldsa65' network the WASM hybrid signer from it and
 * `mldsa65Seed`, whose key must be the one genesis lists (`key`).
 */
function consensusSigner(o: NodeOptions, seed: Uint8Array, key: Uint8Array, where: string): Signer {
  if (o.genesis.signatures !== 'ed25519+mldsa65') {
    if (o.mldsa65Seed !== undefined) throw new ArgumentRangeError(where, 'options.mldsa65Seed', `is for 'ed25519+mldsa65' networks; genesis ${o.genesis.chainId} signs with 'ed25519' (omit it)`);
    return nodeEd25519Signer(seed);
  }
  const mlSeed = requireByteLength(o.mldsa65Seed, where, 'options.mldsa65Seed', 32);
  const signer = wasmHybridSigner(seed, mlSeed);
  if (bytesToHex(signer.publicKey) !== bytesToHex(key)) throw new ArgumentRangeError(where, 'options.mldsa65Seed', `must be the seed of the ML-DSA-65 key genesis ${o.genesis.chainId} lists for this validator`);
  return signer;
}

/** The key-value store, inside the validator state machine when genesis has a staking section. */
function defaultApplication(genesis: Genesis): Application {
  const kv = new KeyValueStore();
  if (!genesis.staking) return kv;
  return new ValidatorApplication(validatorGenesis(genesis.chainId, genesis.validators.map((v) => v.consensusKey), genesis.staking), kv);
}
