import type { Transport, Unsubscribe } from '../net/index.js';
import type { Prng } from './prng.js';

/** Base latency and exponential jitter mean of every link, in ms. */
export interface LinkModel {
  latency: number;
  jitter: number;
}

/** What the network does to frames until the faults heal. */
export interface NetworkFaults {
  drop: boolean;
  duplicate: boolean;
  delay: boolean;
  reorder: boolean;
}

/** Puts a frame in flight: the simulation hands it back to `deliver` at time `at`. */
export type Schedule = (at: number, from: number, to: number, bytes: Uint8Array) => void;

/**
 * The seeded packet simulator between validators (and, for loss and latency, between clients and
 * validators: id -1). Frames are lost, duplicated, delayed and reordered while faults are active;
 * a partition (`groups`) cuts every link between groups until healed. Each validator reaches it
 * through its own `Transport` endpoint, as a node reaches its sockets.
 */
export class PacketSimulator {
  /** Group of each validator while partitioned, or null. */
  groups: number[] | null = null;
  private readonly endpoints: SimulatedEndpoint[] = [];

  constructor(
    private readonly rng: Prng,
    private readonly n: number,
    private readonly link: LinkModel,
    private readonly faults: NetworkFaults,
    private readonly now: () => number,
    /** True while faults are active (before the heal time). */
    private readonly faulty: () => boolean,
    private readonly schedule: Schedule,
  ) {
    for (let i = 0; i < n; i++) this.endpoints.push(new SimulatedEndpoint(this, i, n));
  }

  /** Validator `id`'s transport. */
  endpoint(id: number): Transport {
    return this.endpoints[id];
  }

  /** A frame in flight arrives (called by the simulation at the time `schedule` was given). */
  deliver(from: number, to: number, bytes: Uint8Array): void {
    this.endpoints[to].receive(from, bytes);
  }

  /** Whether a frame from `from` to `to` is lost (-1 stands for a client). */
  lost(from: number, to: number): boolean {
    if (this.groups && from >= 0 && to >= 0 && this.groups[from] !== this.groups[to]) return true;
    return this.faulty() && this.faults.drop && this.rng.chance(0.08);
  }

  /** One frame's time in flight. */
  latency(): number {
    let d = this.link.latency + this.rng.exp(this.link.jitter);
    if (this.faulty() && this.faults.delay) d += this.rng.exp(40);
    if (this.faulty() && this.faults.reorder) d += this.rng.range(0, 60);
    return d;
  }

  /** Puts one frame in flight (maybe lost, maybe twice). */
  send(from: number, to: number, bytes: Uint8Array): void {
    if (!Number.isInteger(to) || to < 0 || to >= this.n || to === from || this.lost(from, to)) return;
    const now = this.now();
    this.schedule(now + this.latency(), from, to, bytes);
    if (this.faulty() && this.faults.duplicate && this.rng.chance(0.05)) this.schedule(now + this.latency(), from, to, bytes);
  }
}

/** One validator's end of the packet simulator. The sender id is authentic by construction. */
class SimulatedEndpoint implements Transport {
  private readonly handlers: ((from: number, frame: Uint8Array) => void)[] = [];
  private closed = false;

  constructor(
    private readonly network: PacketSimulator,
    private readonly id: number,
    private readonly n: number,
  ) {}

  send(to: number, frame: Uint8Array): void {
    if (!this.closed) this.network.send(this.id, to, frame);
  }

  broadcast(frame: Uint8Array): void {
    for (let to = 0; to < this.n; to++) if (to !== this.id) this.send(to, frame);
  }

  onFrame(handler: (from: number, frame: Uint8Array) => void): Unsubscribe {
    this.handlers.push(handler);
    return () => {
      const i = this.handlers.indexOf(handler);
      if (i >= 0) this.handlers.splice(i, 1);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.handlers.length = 0;
  }

  receive(from: number, frame: Uint8Array): void {
    for (const handler of this.handlers) handler(from, frame);
  }
}
