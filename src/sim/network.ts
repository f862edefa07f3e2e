import type { Transport, Unsubscribe } from '../net/index.js';
import { around, type FaultParameters } from './parameters.js';
import type { Prng } from './prng.js';

/** Base latency and exponential jitter mean of every link, in ms. */
export interface LinkModel {
  latency: number;
  jitter: number;
}

/** What the network does to frames until the faults heal (the network part of the drawn parameters). */
export type NetworkFaults = Pick<FaultParameters, 'drop' | 'duplicate' | 'delay' | 'reorder'>;

/**
 * A partition or isolation: the validators' groups (links between groups are cut) from `start` to
 * `end`; `oneWay`: only the links from group 1 to group 0 are cut.
 */
export interface Episode {
  start: number;
  end: number;
  groups: number[];
  oneWay?: boolean;
}

/** The partition and isolation episodes of a run, ending by `until` (the heal time). */
export function partitionEpisodes(rng: Prng, n: number, p: Pick<FaultParameters, 'partition' | 'isolate' | 'oneWay'>, until: number): Episode[] {
  const episodes: Episode[] = [];
  for (const kind of ['partition', 'isolate', 'oneWay'] as const) {
    const e = p[kind];
    if (!e) continue;
    for (let t = rng.range(200, e.every); t < until - 300; t += around(rng, e.every)) {
      // A one-way cut silences one validator towards the rest (it still hears them), or the reverse.
      const groups = [...Array(n).keys()].map(() => (kind === 'partition' ? rng.int(2) : 0));
      if (kind !== 'partition') groups[rng.int(n)] = 1;
      if (kind === 'oneWay' && rng.chance(0.5)) for (let i = 0; i < n; i++) groups[i] = 1 - groups[i];
      episodes.push({ start: t, end: Math.min(t + around(rng, e.length), until), groups, oneWay: kind === 'oneWay' });
    }
  }
  return episodes;
}

/** Puts a frame in flight: the simulation hands it back to `deliver` at time `at`. */
export type Schedule = (at: number, from: number, to: number, bytes: Uint8Array) => void;

/**
 * The seeded packet simulator between validators (and, for loss and latency, between clients and
 * validators: id -1). Frames are lost, duplicated, delayed and reordered while faults are active;
 * each partition episode under way cuts the links between its groups. Each validator reaches it
 * through its own `Transport` endpoint, as a node reaches its sockets.
 */
export class PacketSimulator {
  /** The groups of each partition episode under way, and whether it cuts one way only (group 1 to group 0). */
  private readonly cuts: { groups: number[]; oneWay: boolean }[] = [];
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

  /** Cuts the links between `groups` (with `oneWay`, only those from group 1 to group 0) until `reconnect(groups)` or `heal()`. */
  cut(groups: number[], oneWay = false): void {
    this.cuts.push({ groups, oneWay });
  }

  reconnect(groups: number[]): void {
    const i = this.cuts.findIndex((c) => c.groups === groups);
    if (i >= 0) this.cuts.splice(i, 1);
  }

  heal(): void {
    this.cuts.length = 0;
  }

  /** Whether a frame from `from` to `to` is lost (-1 stands for a client). */
  lost(from: number, to: number): boolean {
    if (from >= 0 && to >= 0) {
      for (const { groups, oneWay } of this.cuts) if (oneWay ? groups[from] === 1 && groups[to] === 0 : groups[from] !== groups[to]) return true;
    }
    const drop = this.faults.drop;
    return drop !== undefined && this.faulty() && this.rng.chance(drop.rate);
  }

  /** One frame's time in flight. */
  latency(): number {
    let d = this.link.latency + this.rng.exp(this.link.jitter);
    if (this.faulty()) {
      if (this.faults.delay) d += this.rng.exp(this.faults.delay.mean);
      if (this.faults.reorder) d += this.rng.range(0, this.faults.reorder.window);
    }
    return d;
  }

  /** Puts one frame in flight (maybe lost, maybe twice). */
  send(from: number, to: number, bytes: Uint8Array): void {
    if (!Number.isInteger(to) || to < 0 || to >= this.n || to === from || this.lost(from, to)) return;
    const now = this.now();
    this.schedule(now + this.latency(), from, to, bytes);
    const duplicate = this.faults.duplicate;
    if (duplicate && this.faulty() && this.rng.chance(duplicate.rate)) this.schedule(now + this.latency(), from, to, bytes);
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
