import { bytesToHex } from '../bytes/index.js';
import {
  type CommittedBlock,
  consensusDomain,
  defaultTxRoot,
  domainSigner,
  type HashFunction,
  otherCopy,
  quorums,
  type ReplicaConfig,
  type Reply,
  type Verifier,
  wasmEd25519Signer,
  wasmEd25519Verifier,
} from '../consensus/index.js';
import { sha256 } from '../hash/index.js';
import { KeyValueStore } from '../kv/index.js';
import { ed25519 } from '../sig/index.js';
import { proveEpochSeed, ValidatorApplication, type ValidatorGenesis, type ValidatorStateMachine } from '../validators/index.js';
import { ByzantineAdversary } from './byzantine.js';
import { InvariantChecker } from './checker.js';
import { SimulatedDisk } from './disk.js';
import { type CandidateKeys, EpochChain, epochGenesis, type EpochSet } from './epochChain.js';
import { EpochNode, type Member, type NodeEnvironment, RootedApplication } from './epochNode.js';
import { EventQueue } from './eventQueue.js';
import { EPOCH_FAULTS, type Fault } from './faults.js';
import { LivenessCheck, type ReplicaEnd } from './liveness.js';
import { PacketSimulator, partitionEpisodes } from './network.js';
import { type EpochOptions, type ResolvedSimOptions, SIM_REPLICA_DEFAULTS } from './options.js';
import { drawParameters, type FaultParameters } from './parameters.js';
import { Prng } from './prng.js';
import type { SimResult } from './result.js';
import { type StakingEvent, StakingWorkload } from './stakingWorkload.js';
import { TraceHash } from './traceHash.js';
import { SIM_CHAIN_ID, Workload, type WorkloadEvent } from './workload.js';

type Event =
  | WorkloadEvent
  | StakingEvent
  | { kind: 'deliver'; from: number; to: number; bytes: Uint8Array }
  | { kind: 'tick'; host: number }
  | { kind: 'partition'; groups: number[]; oneWay: boolean }
  | { kind: 'reconnect'; groups: number[] }
  | { kind: 'heal' }
  | { kind: 'settle' }
  | { kind: 'bounds' };

const TICK_MS = 10;
const SETTLE_MS = 50;
const BOUNDS_EVERY_MS = 500;
/** Delegator accounts besides the candidates' operators. */
const DELEGATORS = 3;

/** A frame on the simulated wire: the epoch of the set that signed it, then the frame (the host routes it to that set's member). */
function envelope(epoch: number, frame: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + frame.length);
  new DataView(out.buffer).setUint32(0, epoch, true);
  out.set(frame, 4);
  return out;
}

/**
 * A seeded run with epoch reconfiguration (`SimOptions.epochs`): every candidate host runs the
 * validator state machine around the key-value store, and at each epoch's last block the
 * committee the machine elected takes over — the last set's replicas stop there
 * (`lastHeight`), the next set's start from its state (`Replica.startEpoch`). The network's
 * faults, the closed-loop clients, the checker and the liveness bound are the fixed-set run's;
 * on top of them the checker compares every honest replica's validator state root at every
 * height, and commit proofs are checked against the set that signed each height.
 */
export class EpochSimulation {
  private readonly rng: Prng;
  private readonly epochs: EpochOptions;
  private readonly f: number;
  private readonly faults: Fault[];
  private readonly parameters: FaultParameters;
  private readonly schedule: Prng;
  private readonly byzantineIds: number[];
  private readonly keys: CandidateKeys[];
  /** Each host's consensus secret key (the seed its signer was made from): its VRF key too. */
  private readonly secrets: Uint8Array[];
  private readonly genesis: ValidatorGenesis;
  private readonly chain: EpochChain;
  private readonly nodes: EpochNode[] = [];
  private readonly queue = new EventQueue<Event>();
  private readonly network: PacketSimulator;
  private readonly checker: InvariantChecker;
  private readonly liveness: LivenessCheck;
  private readonly workload: Workload;
  private readonly staking: StakingWorkload;
  private readonly hash: HashFunction;
  private readonly verifier: () => Verifier;
  private readonly txRoot = defaultTxRoot();
  private readonly healAt: number;
  private now = 0;
  private readonly trace = new TraceHash();
  private messages = 0;
  private verified = 0;
  private readonly heights = new Map<number, number>();
  private done = false;
  /** The run settled (every transaction executed, the newest set's honest members together) before its liveness deadline. */
  private settled = false;
  /** How members of the sets after genesis started (see `EpochReport.starts`). */
  private readonly starts = { own: 0, recorded: 0, overtaken: 0 };

  constructor(private readonly o: ResolvedSimOptions & { epochs: EpochOptions }) {
    this.epochs = o.epochs;
    const hosts = this.epochs.candidates;
    this.f = quorums(o.replicas).f;
    this.rng = new Prng(o.seed);
    const mix = this.rng.fork();
    this.faults = o.faults ? [...o.faults] : EPOCH_FAULTS.filter(() => mix.chance(0.4));
    this.parameters = drawParameters(this.rng.fork(), this.faults);
    const net = this.rng.fork();
    this.schedule = this.rng.fork();
    // Drawn from the genesis committee, so each equivocates (and is convicted) from the first epoch on.
    this.byzantineIds = this.rng.sample([...Array(o.replicas).keys()], o.byzantine).sort((a, b) => a - b);
    this.healAt = Math.round(o.durationMs * 0.5);
    const crypto = o.crypto ?? { signer: wasmEd25519Signer, verifier: wasmEd25519Verifier, hash: (data: Uint8Array) => sha256(data) };
    this.hash = crypto.hash;
    this.verifier = crypto.verifier;
    const seeded = (what: string) => crypto.hash(new TextEncoder().encode(`swarmguard/sim/${o.seed}/${what}`));
    this.secrets = [...Array(hosts).keys()].map((i) => seeded(String(i)));
    this.keys = this.secrets.map((secret, i) => ({ signer: crypto.signer(secret), operator: ed25519.generateKeyPair(seeded(`operator/${i}`)) }));
    const delegators = [...Array(DELEGATORS).keys()].map((d) => ed25519.generateKeyPair(seeded(`delegator/${d}`)));
    this.genesis = epochGenesis(this.rng, this.keys, delegators.map((d) => d.publicKey), o.replicas, this.epochs.epochBlocks, this.txRoot);
    this.chain = new EpochChain(this.epochs.epochBlocks);
    const first = [...Array(o.replicas).keys()];
    this.chain.add({ epoch: 0, keys: first.map((i) => this.keys[i].signer.publicKey), hosts: first, start: null, lastHeight: this.epochs.epochBlocks });
    this.network = new PacketSimulator(
      net,
      hosts,
      o.link,
      this.parameters,
      () => this.now,
      () => this.now < this.healAt,
      (at, from, to, bytes) => this.queue.push(at, { kind: 'deliver', from, to, bytes }),
    );
    const byzantine = new Set(this.byzantineIds);
    for (let i = 0; i < hosts; i++) {
      const node = new EpochNode(i, byzantine.has(i), this.environment());
      this.nodes.push(node);
      this.network.endpoint(i).onFrame((_from, bytes) => {
        this.messages++;
        node.deliver(new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true), bytes.subarray(4));
      });
    }
    for (const i of first) this.nodes[i].join(this.chain.sets[0], null);
    const genesisHash = this.nodes[0].live()[0].host.replica?.genesisHash() as Uint8Array;
    this.checker = new InvariantChecker(this.hash, genesisHash, byzantine, (height) => this.chain.validatorSet(height));
    this.liveness = new LivenessCheck(this.f, this.checker);
    const reaches = (i: number) => !this.network.lost(-1, i);
    this.workload = new Workload(
      {
        rng: this.rng,
        checker: this.checker,
        now: () => this.now,
        schedule: (at, event) => this.queue.push(at, event),
        submit: (i, input) => reaches(i) && this.nodes[i].submit(input),
        replyLatency: (reply) => this.replyLatency(reply),
        mix: (...values) => this.mix(...values),
      },
      hosts,
      o.clients,
      o.load,
    );
    const genesisBonds = this.genesis.validators.map((v) => BigInt(v.selfBond));
    // Unbonds leave at least one more candidate than the committee beside the Byzantine ones.
    const unbonds = Math.max(0, hosts - o.replicas - o.byzantine - 1);
    this.staking = new StakingWorkload(
      {
        rng: this.rng.fork(),
        checker: this.checker,
        now: () => this.now,
        schedule: (at, event) => this.queue.push(at, event),
        submitAll: (input) => this.nodes.forEach((node, i) => reaches(i) && node.submit(input)),
        replyLatency: (reply) => this.replyLatency(reply),
        unbondable: () => this.chain.newest.hosts.filter((h) => !byzantine.has(h)),
      },
      this.keys,
      delegators,
      genesisBonds,
      o.replicas,
      unbonds,
    );
  }

  run(): SimResult {
    for (let i = 0; i < this.nodes.length; i++) this.queue.push(this.rng.int(TICK_MS), { kind: 'tick', host: i });
    this.workload.start();
    this.staking.start(this.o.durationMs);
    this.proveSeed(this.chain.sets[0], this.nodes[0].live()[0].host.application.validators.machine);
    for (const { start, end, groups, oneWay } of partitionEpisodes(this.schedule, this.nodes.length, this.parameters, this.healAt)) {
      this.queue.push(start, { kind: 'partition', groups, oneWay: oneWay === true });
      this.queue.push(end, { kind: 'reconnect', groups });
    }
    this.queue.push(this.healAt, { kind: 'heal' });
    for (let t = BOUNDS_EVERY_MS; t < this.o.durationMs; t += BOUNDS_EVERY_MS) this.queue.push(t, { kind: 'bounds' });
    this.queue.push(this.o.durationMs, { kind: 'settle' });
    for (;;) {
      const e = this.queue.pop();
      if (!e || this.done) break;
      this.now = e.time;
      this.handle(e.value);
    }
    this.handle({ kind: 'bounds' });
    const requests = new Map([...this.workload.requests, ...this.staking.requests]);
    this.liveness.finish(this.now, requests, this.checker.executedAt, this.ends());
    for (const h of this.absent()) this.checker.fail(`epochs: honest host ${h}, a member of set ${this.chain.newest.epoch}, never started its replica`);
    // A stall that begins after the heal leaves no request overdue by the deadline and no gap between heights: not settling is the sign.
    if (!this.settled) this.checker.fail(`liveness: the run did not settle by ${this.now} ms (set ${this.chain.newest.epoch}, heights ${this.ends().map((e) => `${e.id}:${e.height}`).join(' ')})`);
    return this.result();
  }

  private handle(e: Event): void {
    this.mix(e.kind.length, e.kind.charCodeAt(0), this.now);
    switch (e.kind) {
      case 'deliver':
        return this.network.deliver(e.from, e.to, e.bytes);
      case 'tick':
        this.queue.push(this.now + TICK_MS, e);
        return this.nodes[e.host].tick(this.now);
      case 'client':
      case 'reply':
      case 'load':
        return this.workload.handle(e);
      case 'stake':
      case 'stake-resend':
      case 'stake-reply':
        return this.staking.handle(e);
      case 'partition':
        return this.network.cut(e.groups, e.oneWay);
      case 'reconnect':
        return this.network.reconnect(e.groups);
      case 'heal':
        this.network.heal();
        this.liveness.heal(this.now, this.honestMembers().map((m) => m.host.replica?.status().viewTimeout ?? 0));
        return;
      case 'bounds':
        for (const m of this.honestMembers()) {
          const r = m.host.replica;
          if (r) this.checker.held(m.set.hosts[m.index], { ...r.held() }, { ...r.heldBounds() });
        }
        return;
      case 'settle': {
        if (this.now === this.o.durationMs) {
          this.workload.stop();
          this.staking.stop();
        }
        const idle = this.workload.executed(this.checker.executedAt) && this.staking.executed(this.checker.executedAt) && this.absent().length === 0;
        this.settled = this.liveness.settled(idle, this.ends());
        if (this.settled || this.now >= this.liveness.deadline(this.o.durationMs)) this.done = true;
        else this.queue.push(Math.min(this.now + SETTLE_MS, this.liveness.deadline(this.o.durationMs)), e);
        return;
      }
    }
  }

  private environment(): NodeEnvironment {
    return {
      now: () => this.now,
      config: (set, index, application) => this.config(set, index, application),
      application: () => new RootedApplication(new ValidatorApplication(this.genesis, new KeyValueStore())),
      disk: () => new SimulatedDisk(this.rng.fork(), { latency: 0, otherCopy }, () => false),
      adversary: (node, set, index) => {
        if (!node.byzantine) return null;
        const signer = domainSigner(this.keys[node.id].signer, consensusDomain({ chainId: SIM_CHAIN_ID, epoch: set.epoch, validators: set.keys }, this.hash));
        // Only equivocation: no lie or flood that needs the genesis hash, no tampering to report.
        return new ByzantineAdversary(index, set.keys.length, ['equivocate-votes'], signer, this.rng.fork(), this.hash, this.txRoot, new Uint8Array(32), () => {});
      },
      observe: (node, member, ready) => {
        const app = member.host.application;
        if (!node.byzantine) {
          this.verified += ready.stats.verified;
          const last = ready.committed.length - 1;
          ready.committed.forEach((c, k) => {
            this.onCommit(node.id, c, k === last ? this.hash(app.snapshot()) : null);
            this.staking.record(node.id, member.index, member.set.keys.length, c);
          });
          for (const { height, root } of app.roots) this.checker.validatorRoot(node.id, height, root);
          for (const e of ready.evidence) {
            this.checker.evidence(node.id, { ...e, validator: member.set.hosts[e.validator] });
            this.staking.report(node.id, member.set.epoch, e);
          }
          for (const reply of ready.replies) this.checker.executed(reply, this.now);
        }
        app.roots = [];
        if (member.end === null && member.host.replica?.status().finished) this.finish(node, member);
      },
      send: (from, to, epoch, frame) => this.network.endpoint(from).send(to, envelope(epoch, frame)),
      // Keyed by validator id: a seq belongs to one set, so no two members' keys meet.
      sent: (member, frame) => this.checker.sent(member.index, frame),
      replies: (from, replies) => {
        for (const reply of replies) {
          this.workload.route(reply, from);
          this.staking.route(reply, from);
        }
      },
      threw: (err) => this.checker.fail(`replica threw: ${(err as Error).stack ?? err}`),
    };
  }

  private config(set: EpochSet, index: number, application: RootedApplication): ReplicaConfig {
    return {
      chainId: SIM_CHAIN_ID,
      epoch: set.epoch,
      id: index,
      validators: set.keys,
      signer: this.keys[set.hosts[index]].signer,
      verifier: this.verifier(),
      hash: this.hash,
      txRoot: this.txRoot,
      application,
      ...SIM_REPLICA_DEFAULTS,
      checkpointInterval: this.o.checkpointInterval,
      ...this.o.replica,
      // Epoch runs keep one slot unless asked: the hand-over at a set's last height is tested at W = 1.
      pipeline: this.o.replica?.pipeline ?? 1,
      lastHeight: set.lastHeight,
    };
  }

  /**
   * Host `node`'s member committed its set's last height. The first honest host to get there
   * records the next set (the committee its validator state elected, and its replica's end);
   * every member of the next set starts it — from its own end when it was a member of the last
   * set, else from the recorded one.
   */
  private finish(node: EpochNode, member: Member): void {
    member.end = member.host.replica?.epochEnd() ?? null;
    const epoch = member.set.epoch + 1;
    if (!node.byzantine && this.chain.sets.length === epoch) {
      const committee = member.host.application.validators.machine.state.committee;
      const hosts = committee.consensusKeys.map((key) => this.keys.findIndex((k) => bytesToHex(k.signer.publicKey) === bytesToHex(key)));
      if (committee.setEpoch !== epoch || hosts.includes(-1)) this.checker.fail(`epochs: host ${node.id} elected set ${committee.setEpoch} with members no host runs`);
      this.chain.add({ epoch, keys: committee.consensusKeys, hosts, start: member.end, lastHeight: (epoch + 1) * this.epochs.epochBlocks });
      this.proveSeed(this.chain.newest, member.host.application.validators.machine);
      // Members of this set still waiting for their own end of the set before it stop waiting:
      // hosts joining the next set retire their members of that one, so none may serve them.
      for (const n of this.nodes) {
        this.joinIfMember(n, member.set, true);
        this.joinIfMember(n, this.chain.newest);
      }
    } else if (this.chain.sets[epoch]) {
      this.joinIfMember(node, this.chain.sets[epoch]);
    }
  }

  /**
   * The designated prover of the seed after `set`'s (`machine` holds the state at the set's
   * start) sends its VRF proof; a Byzantine one withholds it, and the fallback seed applies.
   */
  private proveSeed(set: EpochSet, machine: ValidatorStateMachine): void {
    const host = set.hosts[machine.epochProver()];
    if (this.nodes[host].byzantine) return;
    this.staking.proveSeed(host, set.epoch, proveEpochSeed(machine.state.committee.seed, set.epoch, this.secrets[host]));
  }

  /**
   * A member of `set` that does not run it yet starts it, unless it is still finishing the last
   * set (it starts from its own end then) and not `now`.
   */
  private joinIfMember(node: EpochNode, set: EpochSet, now = false): void {
    if (!set.hosts.includes(node.id) || node.member(set.epoch)) return;
    const previous = node.member(set.epoch - 1);
    if (previous && previous.end === null && !now) return;
    this.starts[previous?.end ? 'own' : previous ? 'overtaken' : 'recorded']++;
    node.join(set, previous?.end ?? set.start);
  }

  private onCommit(host: number, c: CommittedBlock, state: Uint8Array | null): void {
    this.checker.commit(host, c, state);
    this.mix(host, c.height, c.hash[0], c.hash[1], c.hash[2], c.hash[3]);
    this.o.onCommit?.({ replica: host, height: c.height, blockHash: bytesToHex(c.hash), view: c.view, txs: c.block.txs.length, at: this.now });
    if (!this.heights.has(c.height)) {
      this.heights.set(c.height, c.block.txs.length);
      this.liveness.newHeight(this.now);
      this.workload.committed(c);
    }
  }

  private replyLatency(reply: Reply): number | null {
    return this.network.lost(reply.replica, -1) ? null : this.network.latency();
  }

  /** The live members of honest hosts, every set. */
  private honestMembers(): Member[] {
    return this.nodes.filter((n) => !n.byzantine).flatMap((n) => n.live());
  }

  /** Honest members of the newest set that do not run it. */
  private absent(): number[] {
    const newest = this.chain.newest;
    return newest.hosts.filter((h) => !this.nodes[h].byzantine && !this.nodes[h].member(newest.epoch));
  }

  /** The honest members of the newest set at the end (the liveness check's replicas). */
  private ends(): ReplicaEnd[] {
    const newest = this.chain.newest.epoch;
    const ends: ReplicaEnd[] = [];
    for (const m of this.honestMembers()) {
      const status = m.host.replica?.status();
      if (status && m.set.epoch === newest) ends.push({ id: m.set.hosts[m.index], view: status.view, inViewChange: status.inViewChange, height: status.height });
    }
    return ends;
  }

  private mix(...values: number[]): void {
    this.trace.mix(...values);
  }

  private result(): SimResult {
    let committedTxs = 0;
    for (const txs of this.heights.values()) committedTxs += txs;
    const newest = this.nodes.map((n) => n.live().at(-1)?.host.replica?.status() ?? null);
    // The validator state as an honest member of the newest set holds it at the end.
    const honest = this.chain.newest.hosts.find((h) => !this.nodes[h].byzantine) as number;
    const state = this.nodes[honest].member(this.chain.newest.epoch)?.host.application.validators.machine.state;
    let jailed = 0;
    for (const key of state?.validators.keys() ?? []) if (state?.validators.get(key)?.jailed) jailed++;
    return {
      seed: this.o.seed,
      replicas: this.o.replicas,
      signatures: this.o.signatures,
      pipeline: this.o.replica?.pipeline ?? 1,
      byzantine: this.byzantineIds.length,
      byzantineIds: this.byzantineIds,
      faults: this.faults,
      parameters: this.parameters,
      failedIds: [],
      committedBlocks: this.heights.size,
      committedTxs,
      violations: this.checker.violations,
      traceHash: this.trace.hex(),
      simulatedMs: this.o.durationMs,
      endedMs: this.now,
      messages: this.messages,
      verified: this.verified,
      txAttacks: {},
      lies: {},
      proofsChecked: this.checker.proofsChecked,
      latencies: this.workload.latencies,
      views: newest.map((s) => s?.view ?? -1),
      heights: newest.map((s) => s?.height ?? -1),
      status: newest.map((s) => (s ? { view: s.view, inViewChange: s.inViewChange, height: s.height, stableCheckpoint: s.stableCheckpoint, pending: s.pending, dropped: s.totals.dropped } : null)),
      epochs: {
        candidates: this.nodes.length,
        epochBlocks: this.epochs.epochBlocks,
        sets: this.chain.sets.map((s) => s.hosts),
        joins: this.chain.joins,
        leaves: this.chain.leaves,
        staking: this.staking.tally,
        starts: this.starts,
        jailed,
        burned: String(state?.burned ?? 0n),
      },
    };
  }
}
