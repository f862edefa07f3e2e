import { type Application, type EpochStart, type Outbound, type Ready, recipients, Replica, type ReplicaConfig, type ReplicaInput, type Reply } from '../consensus/index.js';
import type { Transaction } from '../tx/index.js';
import type { ValidatorApplication } from '../validators/index.js';
import type { ByzantineAdversary } from './byzantine.js';
import type { SimulatedDisk } from './disk.js';
import type { EpochSet } from './epochChain.js';
import { ReplicaHost } from './host.js';

/** A replica's validator application (staking inside, the key-value store beside it), reporting its state root after every block it ends. */
export class RootedApplication implements Application {
  /** (height, root) of each block ended since the simulation last took them. */
  roots: { height: number; root: Uint8Array }[] = [];

  constructor(readonly validators: ValidatorApplication) {}

  execute(tx: Transaction, height: number): Uint8Array {
    return this.validators.execute(tx, height);
  }

  endBlock(height: number): void {
    this.validators.endBlock(height);
    this.roots.push({ height, root: this.validators.stateRoot() });
  }

  snapshot(): Uint8Array {
    return this.validators.snapshot();
  }

  restore(snapshot: Uint8Array): void {
    this.validators.restore(snapshot);
  }
}

/** One host's member of one set: its process (replica, application, disk), and its set's end once it committed the last height. */
export interface Member {
  set: EpochSet;
  /** Its validator id in the set. */
  index: number;
  host: ReplicaHost<RootedApplication>;
  /** What rewrites its frames when the host is Byzantine. */
  adversary: ByzantineAdversary | null;
  end: EpochStart | null;
}

/** What a host needs from the simulation. */
export interface NodeEnvironment {
  now(): number;
  /** Settings of member `index` of `set` around `application`. */
  config(set: EpochSet, index: number, application: RootedApplication): ReplicaConfig;
  /** A fresh application at genesis. */
  application(): RootedApplication;
  /** A fresh disk whose writes are durable at once (epoch runs have no disk faults). */
  disk(): SimulatedDisk;
  adversary(node: EpochNode, set: EpochSet, index: number): ByzantineAdversary | null;
  /** A member's Ready, right after its step. */
  observe(node: EpochNode, member: Member, ready: Ready): void;
  /** A frame signed under set `epoch` leaves host `from` for host `to`. */
  send(from: number, to: number, epoch: number, frame: Uint8Array): void;
  /** An honest member sends `frame` (once, whatever the recipients). */
  sent(member: Member, frame: Uint8Array): void;
  /** Replies leave for the clients, `replica` naming the host (what an authenticated client channel tells). */
  replies(from: number, replies: Reply[]): void;
  threw(error: unknown): void;
}

/**
 * One candidate's host across epochs: a replica for each set it is a member of, each with its own
 * application and disk. Frames are routed to the member of the set that signed them; clients'
 * transactions go to its newest member. A member stays after its set ended, serving state
 * transfer to members still catching up, until the host joins the set after next.
 */
export class EpochNode {
  private readonly members = new Map<number, Member>();

  constructor(
    readonly id: number,
    readonly byzantine: boolean,
    private readonly env: NodeEnvironment,
  ) {}

  member(epoch: number): Member | undefined {
    return this.members.get(epoch);
  }

  /** Its running members, oldest set first. */
  live(): Member[] {
    return [...this.members.values()].filter((m) => m.host.replica !== null);
  }

  /** Starts its member of `set` from `start` (null: genesis); a member two sets back retires. */
  join(set: EpochSet, start: EpochStart | null): void {
    const index = set.hosts.indexOf(this.id);
    const member = { set, index, adversary: this.env.adversary(this, set, index), end: null } as Omit<Member, 'host'> as Member;
    member.host = new ReplicaHost(this.env.disk(), {
      now: () => this.env.now(),
      application: () => this.env.application(),
      // Epoch runs do not crash: a replica is only ever begun, never restored.
      replica: (application) => {
        const config = this.env.config(set, index, application);
        return start ? Replica.startEpoch(config, start) : new Replica(config);
      },
      // Writes are durable at once: no disk timer is ever asked for.
      schedule: () => {},
      observe: (ready) => this.env.observe(this, member, ready),
      release: (messages, replies) => this.release(member, messages, replies),
      crashed: () => {},
      threw: (error) => this.env.threw(error),
    });
    this.members.set(set.epoch, member);
    for (const epoch of this.members.keys()) if (epoch < set.epoch - 1) this.members.delete(epoch);
  }

  /** A frame of set `epoch` arrives; dropped when the host runs no member of that set. */
  deliver(epoch: number, frame: Uint8Array): void {
    const m = this.members.get(epoch);
    if (!m?.host.replica) return;
    m.adversary?.observe(frame);
    m.host.step({ type: 'message', bytes: frame });
  }

  tick(now: number): void {
    for (const m of this.live()) m.host.step({ type: 'tick', now });
  }

  /** A client's input: to the newest member (one whose set ended refuses it, and the client resends). */
  submit(input: ReplicaInput): void {
    this.live().at(-1)?.host.step(input);
  }

  private release(member: Member, messages: Outbound[], replies: Reply[]): void {
    const { set, index } = member;
    if (member.adversary) {
      for (const m of member.adversary.rewrite(messages)) this.env.send(this.id, set.hosts[m.to], set.epoch, m.bytes);
    } else {
      for (const m of messages) {
        this.env.sent(member, m.bytes);
        for (const to of recipients(m.to, index, set.hosts.length)) this.env.send(this.id, set.hosts[to], set.epoch, m.bytes);
      }
    }
    if (replies.length) this.env.replies(this.id, replies.map((r) => ({ ...r, replica: this.id })));
  }
}
