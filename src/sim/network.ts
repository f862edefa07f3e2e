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

/** A frame on its way: the simulation delivers it at `at`. */
export type Deliver = (at: number, from: number, to: number, bytes: Uint8Array) => void;

/**
 * The seeded packet simulator between validators (and, for loss and latency, between clients and
 * validators: id -1). Frames are lost, duplicated, delayed and reordered while faults are active;
 * a partition (`groups`) cuts every link between groups until healed.
 */
export class PacketSimulator {
  /** Group of each validator while partitioned, or null. */
  groups: number[] | null = null;

  constructor(
    private readonly rng: Prng,
    private readonly n: number,
    private readonly link: LinkModel,
    private readonly faults: NetworkFaults,
    /** True while faults are active (before the heal time). */
    private readonly faulty: () => boolean,
    private readonly deliver: Deliver,
  ) {}

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

  /** Sends one frame at `now` (maybe lost, maybe twice). */
  send(now: number, from: number, to: number, bytes: Uint8Array): void {
    if (to < 0 || to >= this.n || to === from || this.lost(from, to)) return;
    this.deliver(now + this.latency(), from, to, bytes);
    if (this.faulty() && this.faults.duplicate && this.rng.chance(0.05)) this.deliver(now + this.latency(), from, to, bytes);
  }
}
