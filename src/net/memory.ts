import { ArgumentRangeError, requireArray, requireBytes, requireFunction, requireInteger, requireNumber, requireOptions } from '../check/index.js';
import type { MonitoredTransport, PeerChange, PeerStatus, TransportStats } from './status.js';
import type { Unsubscribe } from './transport.js';

/** Why a frame handed to a memory transport was not delivered. */
export type MemoryDropReason = 'noSuchPeer' | 'oversize' | 'unreachable' | 'lost';

export interface MemoryNetworkOptions {
  /** Validators on the network (ids 0 … size − 1). */
  size: number;
  /** Probability that a frame is lost; default 0. */
  dropRate?: number;
  /** Seed of the generator drawing the losses; default 1. */
  seed?: number;
  /** Largest frame delivered; default 16 MiB (as the TLS transport). */
  maxFrameBytes?: number;
}

/** Phi a memory transport reports for a peer it cannot reach (the TLS transport's default threshold). */
const UNREACHABLE_PHI = 8;

/**
 * Validators in one process, for tests of what runs above the transport without sockets. A frame
 * arrives whole and asynchronously (a later macrotask, as from a socket), or is dropped: across
 * a partition, to a closed transport, or at the seeded loss rate.
 */
export class MemoryNetwork {
  readonly size: number;
  readonly maxFrameBytes: number;
  private dropRate: number;
  private random: () => number;
  private readonly endpoints: MemoryTransport[] = [];
  /** Group of each validator while partitioned; null when whole. */
  private groups: number[] | null = null;

  constructor(options: MemoryNetworkOptions) {
    const where = 'new MemoryNetwork';
    const checked = requireOptions(options, where, 'options', ['size', 'dropRate', 'seed', 'maxFrameBytes']);
    this.size = requireInteger(checked.size, where, 'options.size', 1, 1 << 16);
    this.dropRate = requireNumber(checked.dropRate ?? 0, where, 'options.dropRate', 0, 1);
    this.random = mulberry32(requireInteger(checked.seed ?? 1, where, 'options.seed', 0, 0xffffffff));
    this.maxFrameBytes = requireInteger(checked.maxFrameBytes ?? 16 * 2 ** 20, where, 'options.maxFrameBytes', 1, 2 ** 30);
    for (let id = 0; id < this.size; id++) this.endpoints.push(new MemoryTransport(this, id));
  }

  /** Validator `id`'s transport (the same object on every call). */
  transport(id: number): MemoryTransport {
    return this.endpoints[requireInteger(id, 'MemoryNetwork.transport', 'id', 0, this.size - 1)];
  }

  /** Cuts the links between `groups` (lists of ids); a validator in no group is cut from all. */
  partition(groups: number[][]): void {
    const where = 'MemoryNetwork.partition';
    const of = new Array<number>(this.size).fill(-1);
    requireArray(groups, where, 'groups').forEach((group, g) => {
      requireArray(group, where, `groups[${g}]`).forEach((item, i) => {
        const id = requireInteger(item, where, `groups[${g}][${i}]`, 0, this.size - 1);
        if (of[id] !== -1) throw new ArgumentRangeError(where, `groups[${g}][${i}]`, `must be in one group only, got ${id} again`);
        of[id] = g;
      });
    });
    // validators left out get a group each
    this.groups = of.map((g, id) => (g === -1 ? groups.length + id : g));
    this.changed();
  }

  /** Joins every partition again. */
  heal(): void {
    this.groups = null;
    this.changed();
  }

  /** Sets the probability that a frame is lost from now on. */
  setDropRate(rate: number): void {
    this.dropRate = requireNumber(rate, 'MemoryNetwork.setDropRate', 'rate', 0, 1);
  }

  /** Whether `from` and `to` can exchange frames now. */
  reachable(from: number, to: number): boolean {
    return !this.endpoints[from].closed && !this.endpoints[to].closed && (this.groups === null || this.groups[from] === this.groups[to]);
  }

  /** @internal Draws whether one frame is lost. */
  lost(): boolean {
    return this.dropRate > 0 && this.random() < this.dropRate;
  }

  /** @internal Lets every transport report the peers whose reachability changed. */
  changed(): void {
    for (const endpoint of this.endpoints) endpoint.report();
  }
}

/** One validator's endpoint on a `MemoryNetwork`. */
export class MemoryTransport implements MonitoredTransport {
  closed = false;
  private handlers: ((from: number, frame: Uint8Array) => void)[] = [];
  private listeners: ((change: PeerChange) => void)[] = [];
  private readonly inFlight: { frames: number; bytes: number }[];
  private readonly lastHeard: (number | null)[];
  private readonly reported: boolean[];
  private readonly counters: TransportStats<MemoryDropReason> = {
    framesIn: 0,
    framesOut: 0,
    bytesIn: 0,
    bytesOut: 0,
    dropped: { noSuchPeer: 0, oversize: 0, unreachable: 0, lost: 0 },
  };

  constructor(
    private readonly network: MemoryNetwork,
    readonly id: number,
  ) {
    this.inFlight = Array.from({ length: network.size }, () => ({ frames: 0, bytes: 0 }));
    this.lastHeard = new Array<number | null>(network.size).fill(null);
    this.reported = Array.from({ length: network.size }, (_, peer) => peer !== id);
  }

  send(to: number, frame: Uint8Array): void {
    if (!(frame instanceof Uint8Array)) requireBytes(frame, 'MemoryTransport.send', 'frame');
    if (this.closed) return;
    if (!Number.isInteger(to) || to < 0 || to >= this.network.size || to === this.id) this.counters.dropped.noSuchPeer++;
    else this.put(to, frame);
  }

  broadcast(frame: Uint8Array): void {
    if (!(frame instanceof Uint8Array)) requireBytes(frame, 'MemoryTransport.broadcast', 'frame');
    if (this.closed) return;
    for (let to = 0; to < this.network.size; to++) if (to !== this.id) this.put(to, frame);
  }

  onFrame(handler: (from: number, frame: Uint8Array) => void): Unsubscribe {
    requireFunction(handler, 'MemoryTransport.onFrame', 'handler');
    this.handlers = [...this.handlers, handler];
    return () => {
      this.handlers = this.handlers.filter((h) => h !== handler);
    };
  }

  onPeerChange(listener: (change: PeerChange) => void): Unsubscribe {
    requireFunction(listener, 'MemoryTransport.onPeerChange', 'listener');
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** Other validators: connected while reachable; no heartbeats, so phi is 0 or, cut off, the threshold. */
  peers(): PeerStatus[] {
    const now = performance.now();
    const list: PeerStatus[] = [];
    for (let id = 0; id < this.network.size; id++) {
      if (id === this.id) continue;
      const connected = this.network.reachable(this.id, id);
      const heard = this.lastHeard[id];
      list.push({
        id,
        connected,
        phi: connected ? 0 : UNREACHABLE_PHI,
        suspected: !connected,
        breaker: 'closed',
        queuedFrames: this.inFlight[id].frames,
        queuedBytes: this.inFlight[id].bytes,
        lastHeardMs: heard === null ? null : now - heard,
      });
    }
    return list;
  }

  stats(): TransportStats<MemoryDropReason> {
    return { ...this.counters, dropped: { ...this.counters.dropped } };
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.network.changed();
    }
    return Promise.resolve();
  }

  /** @internal Tells the listeners about peers whose reachability changed since last told. */
  report(): void {
    if (this.closed) return;
    for (let id = 0; id < this.network.size; id++) {
      if (id === this.id) continue;
      const connected = this.network.reachable(this.id, id);
      if (connected === this.reported[id]) continue;
      this.reported[id] = connected;
      const change = { id, connected, suspected: !connected };
      for (const listener of this.listeners) callSafely(() => listener(change));
    }
  }

  private put(to: number, frame: Uint8Array): void {
    const dropped = this.counters.dropped;
    if (frame.length > this.network.maxFrameBytes) dropped.oversize++;
    else if (!this.network.reachable(this.id, to)) dropped.unreachable++;
    else if (this.network.lost()) dropped.lost++;
    else {
      this.counters.framesOut++;
      this.counters.bytesOut += frame.length;
      const flight = this.inFlight[to];
      flight.frames++;
      flight.bytes += frame.length;
      const target = this.network.transport(to);
      setImmediate(() => {
        flight.frames--;
        flight.bytes -= frame.length;
        target.receive(this.id, frame);
      });
    }
  }

  /** @internal A frame from `from` arrives. */
  receive(from: number, frame: Uint8Array): void {
    if (this.closed) return;
    this.lastHeard[from] = performance.now();
    this.counters.framesIn++;
    this.counters.bytesIn += frame.length;
    const handlers = this.handlers;
    for (let i = 0; i < handlers.length; i++) callSafely(() => handlers[i](from, frame));
  }
}

/** Runs a handler; its error is rethrown from a microtask so the other handlers still run. */
function callSafely(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    queueMicrotask(() => {
      throw err;
    });
  }
}

/** A small seeded generator of numbers in [0, 1) (mulberry32). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
