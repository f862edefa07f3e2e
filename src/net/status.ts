import type { Transport, Unsubscribe } from './transport.js';

// What a transport tells about its peers and its traffic, for the node's health endpoint, its
// metrics and the replica's fast-path health monitor. Types only: browser code may import them.

/** The dialing circuit breaker of a peer (`closed` for peers that dial this node). */
export type PeerBreakerState = 'closed' | 'open' | 'half-open';

/** One peer as this node sees it. */
export interface PeerStatus {
  /** The peer's validator id. */
  id: number;
  /** Whether an authenticated connection to it is up. */
  connected: boolean;
  /** Suspicion that it is down (phi accrual over its heartbeats); 0 before its first heartbeat. */
  phi: number;
  /** `phi` is at or above the threshold. */
  suspected: boolean;
  breaker: PeerBreakerState;
  /** Frames waiting for its connection, and their wire bytes. */
  queuedFrames: number;
  queuedBytes: number;
  /** Milliseconds since anything (frame or heartbeat) was last heard from it; null if never. */
  lastHeardMs: number | null;
}

/** A peer's `connected` or `suspected` changed. */
export interface PeerChange {
  id: number;
  connected: boolean;
  suspected: boolean;
}

/** Counters every transport keeps; `dropped` counts frames handed to `send`/`broadcast` and not sent, by reason. */
export interface TransportStats<DropReason extends string = string> {
  /** Frames delivered to `onFrame` handlers, and frames sent (data only, heartbeats apart). */
  framesIn: number;
  framesOut: number;
  /** Bytes received and sent, headers included. */
  bytesIn: number;
  bytesOut: number;
  dropped: Record<DropReason, number>;
}

/** A transport that also reports on its peers: what the node runs on. */
export interface MonitoredTransport extends Transport {
  /** Every other validator's status, by id. */
  peers(): PeerStatus[];
  stats(): TransportStats;
  /** Calls `listener` whenever a peer's `connected` or `suspected` changes. */
  onPeerChange(listener: (change: PeerChange) => void): Unsubscribe;
}
