import { type Application, decodeDurable, type DurableState, type Outbound, persistOps, type Ready, type Replica, type ReplicaInput, type Reply } from '../consensus/index.js';
import type { SimulatedDisk } from './disk.js';

/** What the host needs from the simulation. */
export interface HostEnvironment<A extends Application> {
  now(): number;
  /** A fresh application: at the start and at every restart. */
  application(): A;
  /** The replica around `application`: a new one, or one rebuilt from `durable` (what the disk holds) after a crash. */
  replica(application: A, durable: DurableState | null): Replica;
  /** Calls `wake(at)` at simulated time `at`. */
  schedule(at: number): void;
  /** A step's output right after the step (commits and evidence), before its persist is durable. */
  observe(ready: Ready, application: A): void;
  /** Messages and replies leave: their persist and every earlier one are durable. */
  release(messages: Outbound[], replies: Reply[]): void;
  /** The process stopped (now, or after the write it waited for). */
  crashed(): void;
  /** `step` threw (a bug: the checker reports it). */
  threw(error: unknown): void;
}

/**
 * When a crash strikes: `now`; `during-write`, at `point` (0–1) of the way through the next
 * write, which is then in flight; or `after-write`, as soon as the next write lands and before
 * the messages waiting for it leave. The last two aim at the seam between persist and send.
 */
export type CrashTiming = { at: 'now' } | { at: 'during-write'; point: number } | { at: 'after-write' };

/** A Ready's messages and replies, waiting for write number `after` to be durable. */
interface Outgoing {
  after: number;
  messages: Outbound[];
  replies: Reply[];
}

/**
 * One validator's process: its replica, application and disk, driven by the Ready contract as a
 * node drives it. Each Ready's persist is written at once and the replica keeps stepping (raft's
 * asynchronous writes); its messages and replies leave only when that write and every earlier one
 * are durable. A crash takes the process and whatever was waiting to leave; a restart reads the
 * disk.
 */
export class ReplicaHost<A extends Application> {
  replica: Replica | null;
  application: A;
  private outbox: Outgoing[] = [];
  /** The time `wake` was asked for, or Infinity. */
  private wakeAt = Infinity;
  /** A crash waiting for the next write (see `CrashTiming`). */
  private armed: CrashTiming | null = null;
  /** A crash timed inside a write in flight. */
  private crashAt = Infinity;
  /** Crash as soon as write number `crashAfter` lands. */
  private crashAfter = Infinity;

  constructor(
    readonly disk: SimulatedDisk,
    private readonly env: HostEnvironment<A>,
  ) {
    this.application = env.application();
    this.replica = env.replica(this.application, null);
  }

  step(input: ReplicaInput): void {
    const r = this.replica;
    if (!r) return;
    let ready: Ready;
    try {
      ready = r.step(input);
    } catch (err) {
      this.env.threw(err);
      return;
    }
    this.env.observe(ready, this.application);
    const now = this.env.now();
    const after = ready.persist ? this.disk.write(now, persistOps(ready.persist)) : this.disk.writes;
    if (ready.persist && this.armed && after > this.disk.durable) {
      if (this.armed.at === 'during-write') this.crashAt = now + this.armed.point * ((this.disk.dueOf(after) as number) - now);
      else this.crashAfter = after;
      this.armed = null;
    }
    if (this.outbox.length === 0 && after <= this.disk.durable) {
      this.env.release(ready.messages, ready.replies);
      return;
    }
    this.outbox.push({ after, messages: ready.messages, replies: ready.replies });
    this.scheduleWake();
  }

  /** The disk's timer: writes due become durable and what waited for them leaves (or the crash strikes). */
  wake(at: number): void {
    if (at !== this.wakeAt) return; // superseded, or asked for before a crash
    this.wakeAt = Infinity;
    if (at >= this.crashAt) {
      this.disk.complete(at);
      return this.stop();
    }
    this.disk.complete(at, this.crashAfter - this.disk.durable);
    if (this.disk.durable >= this.crashAfter) return this.stop();
    while (this.outbox.length && this.outbox[0].after <= this.disk.durable) {
      const o = this.outbox.shift() as Outgoing;
      this.env.release(o.messages, o.replies);
    }
    this.scheduleWake();
  }

  /** Power fails, at the given moment (a crash timed by a write waits for the replica's next write). */
  crash(timing: CrashTiming): void {
    if (!this.replica) return;
    if (timing.at === 'now') this.stop();
    else this.armed = timing;
  }

  /** Calls off a crash still waiting for a write (faults heal). */
  disarm(): void {
    this.armed = null;
    this.crashAt = Infinity;
    this.crashAfter = Infinity;
  }

  /** Starts again from what the disk holds; throws `CorruptStateError` when it cannot. */
  restart(): void {
    if (this.replica) return;
    this.application = this.env.application();
    this.replica = this.env.replica(this.application, decodeDurable(this.disk.records()));
  }

  private stop(): void {
    this.replica = null;
    this.outbox = [];
    this.disarm();
    this.wakeAt = Infinity;
    this.disk.crash();
    this.env.crashed();
  }

  private scheduleWake(): void {
    const due = Math.min(this.disk.nextDue ?? Infinity, this.crashAt);
    if (due >= this.wakeAt) return;
    this.wakeAt = due;
    this.env.schedule(due);
  }
}
