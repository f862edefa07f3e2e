import { bytesToHex } from '../bytes/index.js';
import {
  consensusDomain,
  domainSigner,
  type CommittedBlock,
  CorruptStateError,
  defaultTxRoot,
  type HashFunction,
  type Outbound,
  otherCopy,
  quorums,
  type Ready,
  Replica,
  type ReplicaConfig,
  type Reply,
  type Signer,
  type ValidatorSet,
  type Verifier,
} from '../consensus/index.js';
import { ByzantineAdversary, type TamperedProposal } from './byzantine.js';
import { InvariantChecker } from './checker.js';
import { defaultCrypto } from './crypto.js';
import { tallyLies } from './lies.js';
import { LivenessCheck, type ReplicaEnd } from './liveness.js';
import { DamageBudget } from './damage.js';
import { SimulatedDisk } from './disk.js';
import { EventQueue } from './eventQueue.js';
import { type CrashTiming, type HostEnvironment, ReplicaHost } from './host.js';
import { drawFaults, type Fault, isByzantineFault, isTxAttack, type TxAttack } from './faults.js';
import { KeyValueStore } from '../kv/index.js';
import { PacketSimulator, partitionEpisodes } from './network.js';
import { around, drawParameters, type FaultParameters } from './parameters.js';
import { type ResolvedSimOptions, resolveSimOptions, SIM_CHECKPOINT_INTERVAL, SIM_REPLICA_DEFAULTS, type SimOptions } from './options.js';
import { EpochSimulation } from './epochSimulation.js';
import { Prng } from './prng.js';
import type { SimResult } from './result.js';
import { TraceHash } from './traceHash.js';
import { SIM_CHAIN_ID, Workload, type WorkloadEvent } from './workload.js';

type Event =
  | WorkloadEvent
  | { kind: 'deliver'; from: number; to: number; bytes: Uint8Array }
  | { kind: 'tick'; replica: number }
  /** Replica `replica`'s disk timer (a write becomes durable). */
  | { kind: 'disk'; replica: number }
  /** `ruin`: the crash also damages both copies of a record kept twice (if the fault budget allows). */
  | { kind: 'crash'; replica: number; downtime: number; timing: CrashTiming; ruin: boolean }
  | { kind: 'restart'; replica: number }
  | { kind: 'partition'; groups: number[]; oneWay: boolean }
  | { kind: 'reconnect'; groups: number[] }
  | { kind: 'heal' }
  /** After the nominal end: whether the run has settled (see `LivenessCheck`). */
  | { kind: 'settle' }
  | { kind: 'bounds' };

const TICK_MS = 10;
/** How often, past the nominal end, the run checks whether it has settled. */
const SETTLE_MS = 50;
/** How often the replicas' held state is checked against its documented bounds. */
const BOUNDS_EVERY_MS = 500;

/** Pipeline depths a seed draws from (swarm testing: the view change must hold with several slots in flight). */
const PIPELINES = [1, 2, 4, 8];

/** The pipeline depth seed `seed` draws, from a stream of its own (so its other draws stay what they were). */
function drawPipeline(seed: number): number {
  return PIPELINES[new Prng((seed ^ 0x919e11fe) >>> 0).int(PIPELINES.length)];
}

/** Runs one seeded simulation to the end and returns what happened; never throws for protocol faults. */
export function simulate(options: SimOptions): SimResult {
  const o = resolveSimOptions(options);
  return o.epochs ? new EpochSimulation({ ...o, epochs: o.epochs }).run() : new Simulation(o).run();
}

/**
 * One seeded run: the seed, the event loop on a virtual clock, what each replica's Ready shows
 * (commits, evidence) and where its messages and replies go once durable, crashes and restarts,
 * the trace hash and the result. The network, the disks, the Ready host and the workload are
 * parts of their own (network.ts, disk.ts, host.ts, workload.ts).
 */
class Simulation {
  private readonly rng: Prng;
  private readonly n: number;
  private readonly f: number;
  private readonly faults: Fault[];
  private readonly parameters: FaultParameters;
  /** Draws the fault schedule (episodes, crashes), apart from what the run draws as it goes. */
  private readonly schedule: Prng;
  private readonly byzantineIds: number[];
  private readonly byzantine: Set<number>;
  private readonly durationMs: number;
  private readonly healAt: number;
  private readonly queue = new EventQueue<Event>();
  private readonly hosts: ReplicaHost<KeyValueStore>[] = [];
  /** Each crash under way (drawn with it): how long the replica stays down, and whether its disk is ruined. */
  private readonly crashes = new Map<number, { downtime: number; ruin: boolean }>();
  private readonly damage: DamageBudget;
  /** Replicas whose disk was ruined on purpose and have not restarted yet. */
  private readonly ruined = new Set<number>();
  /** Replicas that could not restart (a ruined disk): down for good, counted against f with the Byzantine ones. */
  private readonly failed = new Set<number>();
  private readonly adversaries = new Map<number, ByzantineAdversary>();
  private readonly txAttacks: NonNullable<SimResult['txAttacks']> = {};
  /** Every tampered PRE-PREPARE frame made, to count those reaching honest replicas. */
  private readonly tampered = new Map<Uint8Array, TxAttack>();
  private readonly signers: Signer[];
  private readonly validators: Uint8Array[];
  private readonly checker: InvariantChecker;
  private readonly network: PacketSimulator;
  private readonly workload: Workload;
  private readonly hash: HashFunction;
  private readonly verifier: () => Verifier;
  private readonly txRoot = defaultTxRoot();
  private now = 0;
  private readonly trace = new TraceHash();
  private messages = 0;
  private verified = 0;
  private chain = new Map<number, number>();
  private readonly liveness: LivenessCheck;
  /** The replicas' pipeline depth W: `options.replica.pipeline`, else drawn from the seed. */
  private readonly pipeline: number;
  /** How fast each replica's clock runs against simulated time (`clock-skew`; else 1). */
  private readonly clockRates: number[];
  /** The run has settled (or reached its liveness bound). */
  private done = false;

  private readonly options: ResolvedSimOptions;

  constructor(o: ResolvedSimOptions) {
    this.options = o;
    const seed = o.seed;
    this.n = o.replicas;
    this.f = quorums(this.n).f;
    this.damage = new DamageBudget(this.f);
    const k = o.byzantine;
    this.rng = new Prng(seed);
    // Forked whether or not it draws the mix, so the printed repro (with --faults) replays the run.
    const mix = this.rng.fork();
    this.faults = o.faults ? [...o.faults] : drawFaults(mix);
    this.parameters = drawParameters(this.rng.fork(), this.faults);
    const net = this.rng.fork();
    // From a stream of its own, so runs without clock skew draw exactly what they drew before it existed.
    const skew = this.parameters.clockSkew?.spread ?? 0;
    const clocks = new Prng((seed ^ 0x5eed5eed) >>> 0);
    this.clockRates = [...Array(this.n).keys()].map(() => (skew ? 1 - skew + 2 * skew * clocks.float() : 1));
    this.pipeline = o.replica?.pipeline ?? drawPipeline(seed);
    this.schedule = this.rng.fork();
    this.byzantineIds = this.rng.sample([...Array(this.n).keys()], k).sort((a, b) => a - b);
    this.byzantine = new Set(this.byzantineIds);
    this.durationMs = o.durationMs;
    this.healAt = Math.round(this.durationMs * 0.5);
    this.network = new PacketSimulator(
      net,
      this.n,
      o.link,
      this.parameters,
      () => this.now,
      () => this.now < this.healAt,
      (at, from, to, bytes) => this.queue.push(at, { kind: 'deliver', from, to, bytes }),
    );
    const crypto = o.crypto ?? defaultCrypto(o.signatures);
    this.hash = crypto.hash;
    this.verifier = crypto.verifier;
    this.signers = [...Array(this.n).keys()].map((i) => crypto.signer(crypto.hash(new TextEncoder().encode(`swarmguard/sim/${seed}/${i}`))));
    this.validators = this.signers.map((s) => s.publicKey);
    const set: ValidatorSet = { chainId: SIM_CHAIN_ID, validators: this.validators, ...(o.signatures === 'ed25519' ? {} : { signatures: o.signatures }) };
    const p = this.parameters;
    const diskModel = { latency: p.disk?.latency ?? 0, slow: p.slowDisk, torn: p.tornWrite, corrupt: p.corruptDisk, otherCopy };
    for (let i = 0; i < this.n; i++) {
      const disk = new SimulatedDisk(this.rng.fork(), diskModel, () => this.now < this.healAt, () => this.damage.mayCorrupt(i));
      this.hosts.push(new ReplicaHost(disk, this.environment(i)));
      this.network.endpoint(i).onFrame((_from, bytes) => {
        this.messages++;
        const attack = this.tampered.get(bytes);
        if (attack && !this.byzantine.has(i)) (this.txAttacks[attack] as { delivered: number }).delivered++;
        this.adversaries.get(i)?.observe(bytes);
        this.hosts[i].step({ type: 'message', bytes });
      });
    }
    const genesis = (this.hosts[0].replica as Replica).genesisHash();
    this.checker = new InvariantChecker(this.hash, genesis, this.byzantine, () => set);
    this.liveness = new LivenessCheck(this.f, this.checker);
    const behaviours = this.faults.filter(isByzantineFault);
    for (const attack of behaviours.filter(isTxAttack)) this.txAttacks[attack] = { proposed: 0, delivered: 0 };
    const domain = consensusDomain(set, this.hash);
    const onTamper = (p: TamperedProposal) => this.onTamper(p);
    for (const id of this.byzantineIds) {
      this.adversaries.set(id, new ByzantineAdversary(id, this.n, behaviours, domainSigner(this.signers[id], domain), this.rng.fork(), this.hash, this.txRoot, genesis, onTamper));
    }
    this.workload = new Workload(
      {
        rng: this.rng,
        checker: this.checker,
        now: () => this.now,
        schedule: (at, event) => this.queue.push(at, event),
        submit: (i, input) => {
          if (this.hosts[i].replica && !this.network.lost(-1, i)) this.hosts[i].step(input);
        },
        replyLatency: (reply) => (this.network.lost(reply.replica, -1) ? null : this.network.latency()),
        mix: (...values) => this.mix(...values),
      },
      this.n,
      o.clients,
      o.load,
      this.parameters.reorderTxs?.inFlight,
      this.faults.includes('partial-send'),
    );
  }

  private environment(i: number): HostEnvironment<KeyValueStore> {
    return {
      now: () => this.now,
      application: () => new KeyValueStore(),
      replica: (application, durable) => (durable ? Replica.restore(this.config(i, application), durable) : new Replica(this.config(i, application))),
      schedule: (at) => this.queue.push(at, { kind: 'disk', replica: i }),
      observe: (ready, application) => this.observe(i, ready, application),
      release: (messages, replies) => this.release(i, messages, replies),
      crashed: () => {
        this.damage.crashed(i, this.hosts[i].disk.corrupted);
        const crash = this.crashes.get(i) ?? { downtime: 0, ruin: false };
        // Beyond what recovery survives, so only while Byzantine + failed replicas stay below f.
        if (crash.ruin && this.byzantineIds.length + this.failed.size + this.ruined.size < this.f && this.hosts[i].disk.ruin()) this.ruined.add(i);
        this.queue.push(Math.max(this.now, Math.min(this.now + crash.downtime, this.healAt)), { kind: 'restart', replica: i });
      },
      threw: (err) => this.checker.fail(`replica ${i} threw: ${(err as Error).stack ?? err}`),
    };
  }

  private config(i: number, application: KeyValueStore): ReplicaConfig {
    return {
      chainId: SIM_CHAIN_ID,
      id: i,
      validators: this.validators,
      signatures: this.options.signatures,
      signer: this.signers[i],
      verifier: this.verifier(),
      hash: this.hash,
      txRoot: this.txRoot,
      application,
      ...SIM_REPLICA_DEFAULTS,
      checkpointInterval: SIM_CHECKPOINT_INTERVAL,
      ...this.options.replica,
      pipeline: this.pipeline,
    };
  }

  run(): SimResult {
    for (let i = 0; i < this.n; i++) this.queue.push(this.rng.int(TICK_MS), { kind: 'tick', replica: i });
    this.workload.start();
    this.scheduleFaults();
    this.queue.push(this.durationMs, { kind: 'settle' });
    for (;;) {
      const e = this.queue.pop();
      if (!e || this.done) break;
      this.now = e.time;
      this.handle(e.value);
    }
    this.handle({ kind: 'bounds' });
    this.liveness.finish(this.now, this.workload.requests, this.checker.executedAt, this.ends());
    return this.result();
  }

  private scheduleFaults(): void {
    const rng = this.schedule;
    for (const { start, end, groups, oneWay } of partitionEpisodes(rng, this.n, this.parameters, this.healAt)) {
      this.queue.push(start, { kind: 'partition', groups, oneWay: oneWay === true });
      this.queue.push(end, { kind: 'reconnect', groups });
    }
    const crash = this.parameters.crash;
    if (crash) {
      const honest = [...Array(this.n).keys()].filter((i) => !this.byzantine.has(i));
      for (let t = rng.range(200, crash.every); t < this.healAt - 300; t += around(rng, crash.every)) {
        const replica = rng.pick(honest);
        const downtime = around(rng, crash.downtime);
        const ruin = rng.chance(this.parameters.corruptDisk?.unrecoverable ?? 0);
        const u = rng.float();
        const timing: CrashTiming = u < crash.duringWrite ? { at: 'during-write', point: rng.float() } : u < crash.duringWrite + crash.afterWrite ? { at: 'after-write' } : { at: 'now' };
        this.queue.push(t, { kind: 'crash', replica, downtime, timing, ruin });
      }
    }
    this.queue.push(this.healAt, { kind: 'heal' });
    // What replicas hold is checked against the documented bounds while faults (and floods) strike too.
    for (let t = BOUNDS_EVERY_MS; t < this.durationMs; t += BOUNDS_EVERY_MS) this.queue.push(t, { kind: 'bounds' });
  }

  private handle(e: Event): void {
    this.mix(e.kind.length, e.kind.charCodeAt(0), this.now);
    switch (e.kind) {
      case 'deliver':
        return this.network.deliver(e.from, e.to, e.bytes);
      case 'tick': {
        this.queue.push(this.now + TICK_MS, e);
        const adv = this.adversaries.get(e.replica);
        const r = this.hosts[e.replica].replica;
        if (adv && r) for (const m of adv.onTick(r.status().view, r.status().height)) this.network.endpoint(e.replica).send(m.to, m.bytes);
        return this.hosts[e.replica].step({ type: 'tick', now: this.now * this.clockRates[e.replica] });
      }
      case 'disk':
        return this.hosts[e.replica].wake(this.now);
      case 'client':
      case 'reply':
      case 'load':
        return this.workload.handle(e);
      case 'crash':
        // A crash drawn while the replica is still down (or about to go down) is skipped.
        if (!this.hosts[e.replica].replica || this.crashes.has(e.replica)) return;
        this.crashes.set(e.replica, { downtime: e.downtime, ruin: e.ruin });
        return this.hosts[e.replica].crash(e.timing);
      case 'restart': {
        this.crashes.delete(e.replica);
        if (this.failed.has(e.replica)) return;
        try {
          this.hosts[e.replica].restart();
          this.damage.reached(e.replica, (this.hosts[e.replica].replica as Replica).status().height, false);
        } catch (err) {
          if (this.ruined.has(e.replica) && err instanceof CorruptStateError) this.failed.add(e.replica);
          else this.checker.fail(`replica ${e.replica} failed to restart: ${(err as Error).message}`);
        }
        this.ruined.delete(e.replica);
        return;
      }
      case 'partition':
        return this.network.cut(e.groups, e.oneWay);
      case 'reconnect':
        return this.network.reconnect(e.groups);
      case 'heal':
        this.network.heal();
        for (const [i] of this.crashes) if (this.hosts[i].replica) this.hosts[i].disarm();
        this.crashes.clear();
        for (let i = 0; i < this.n; i++) if (!this.hosts[i].replica) this.handle({ kind: 'restart', replica: i });
        // A replica's timeouts run on its own clock: a slow one waits longer in simulated time.
        this.liveness.heal(this.now, this.honest().map((r) => r.status().viewTimeout / this.clockRates[r.id]));
        return;
      case 'bounds':
        for (const r of this.honest()) this.checker.held(r.id, { ...r.held() }, { ...r.heldBounds() });
        return;
      case 'settle':
        // Past the nominal end clients send nothing new; the run ends once everything settled,
        // or at the liveness bound (and then `finish` says what did not).
        if (this.now === this.durationMs) this.workload.stop();
        if (this.liveness.settled(this.workload.executed(this.checker.executedAt), this.ends()) || this.now >= this.liveness.deadline(this.durationMs)) this.done = true;
        else this.queue.push(Math.min(this.now + SETTLE_MS, this.liveness.deadline(this.durationMs)), e);
        return;
    }
  }

  /** The live honest replicas. */
  private honest(): Replica[] {
    const live: Replica[] = [];
    this.hosts.forEach((h, i) => h.replica && !this.byzantine.has(i) && live.push(h.replica));
    return live;
  }

  private ends(): ReplicaEnd[] {
    return this.honest().map((r) => {
      const { id, view, inViewChange, height } = r.status();
      return { id, view, inViewChange, height };
    });
  }

  /** A step's output as soon as it is returned: commits (already executed) and evidence. */
  private observe(i: number, ready: Ready, application: KeyValueStore): void {
    if (this.byzantine.has(i)) return this.adversaries.get(i)?.committed(ready.committed);
    const top = ready.committed.at(-1)?.height;
    if (top !== undefined) this.damage.reached(i, top, true);
    this.verified += ready.stats.verified;
    // The application state is observable only after the step, i.e. after its last block.
    const last = ready.committed.length - 1;
    ready.committed.forEach((c, k) => this.onCommit(i, c, k === last ? this.hash(application.snapshot()) : null));
    for (const e of ready.evidence) this.checker.evidence(i, e);
    for (const reply of ready.replies) this.checker.executed(reply, this.now);
  }

  /** A Ready's messages and replies leave replica `i` (its persist is durable). */
  private release(i: number, messages: Outbound[], replies: Reply[]): void {
    const adv = this.adversaries.get(i);
    for (const reply of adv ? adv.replies(replies) : replies) this.workload.route(reply, i);
    const transport = this.network.endpoint(i);
    if (adv) {
      for (const m of adv.rewrite(messages)) transport.send(m.to, m.bytes);
    } else {
      for (const m of messages) {
        this.checker.sent(i, m.bytes);
        if (m.to === 'all') transport.broadcast(m.bytes);
        else transport.send(m.to, m.bytes);
      }
    }
  }

  private onTamper({ attack, frame, digest }: TamperedProposal): void {
    (this.txAttacks[attack] as { proposed: number }).proposed++;
    this.tampered.set(frame, attack);
    this.checker.tampered(digest, attack);
  }

  private onCommit(i: number, c: CommittedBlock, state: Uint8Array | null): void {
    this.checker.commit(i, c, state);
    this.mix(i, c.height, c.hash[0], c.hash[1], c.hash[2], c.hash[3]);
    this.options.onCommit?.({ replica: i, height: c.height, blockHash: bytesToHex(c.hash), view: c.view, txs: c.block.txs.length, at: this.now });
    if (!this.chain.has(c.height)) {
      this.chain.set(c.height, c.block.txs.length);
      this.liveness.newHeight(this.now);
      this.workload.committed(c);
    }
  }

  private mix(...values: number[]): void {
    this.trace.mix(...values);
  }

  private result(): SimResult {
    let committedTxs = 0;
    for (const txs of this.chain.values()) committedTxs += txs;
    return {
      seed: this.options.seed,
      replicas: this.n,
      signatures: this.options.signatures,
      byzantine: this.byzantineIds.length,
      byzantineIds: this.byzantineIds,
      faults: this.faults,
      parameters: this.parameters,
      pipeline: this.pipeline,
      failedIds: [...this.failed].sort((a, b) => a - b),
      committedBlocks: this.chain.size,
      committedTxs,
      violations: this.checker.violations,
      traceHash: this.trace.hex(),
      simulatedMs: this.durationMs,
      endedMs: this.now,
      messages: this.messages,
      verified: this.verified,
      txAttacks: this.txAttacks,
      lies: tallyLies([...this.adversaries.values()].map((a) => a.lies)),
      proofsChecked: this.checker.proofsChecked,
      latencies: this.workload.latencies,
      views: this.hosts.map((h) => (h.replica ? h.replica.status().view : -1)),
      heights: this.hosts.map((h) => (h.replica ? h.replica.status().height : -1)),
      status: this.hosts.map(({ replica: r }) => {
        if (!r) return null;
        const { view, inViewChange, height, stableCheckpoint, pending, totals } = r.status();
        return { view, inViewChange, height, stableCheckpoint, pending, dropped: totals.dropped };
      }),
    };
  }
}
