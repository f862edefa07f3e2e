import type { FrameError } from './frame.js';
import type { Transport, Unsubscribe } from './transport.js';

// The faces of the transports beyond `Transport`: what they tell about their peers and their
// traffic, for the node's health endpoint, its metrics and the replica's fast-path health
// monitor. Types only: browser code may import them.

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

/** Why a frame handed to `send`/`broadcast` was not sent. */
export type TlsDropReason = 'queueFull' | 'breakerOpen' | 'noSuchPeer' | 'oversize';

/** Why a connection was refused or closed by this side. */
export type TlsRejectReason = FrameError | 'truncated' | 'unknownPeer' | 'wrongPeer' | 'handshake';

export interface TlsTransportStats extends TransportStats<TlsDropReason> {
  heartbeatsIn: number;
  heartbeatsOut: number;
  /** Connections established (a replaced one counts again) and established connections ended. */
  connects: number;
  disconnects: number;
  /** Connections closed because nothing was heard on them for `idleTimeout`. */
  timeouts: number;
  rejected: Record<TlsRejectReason, number>;
}

/** The mutual-TLS transport between validators (see docs/net.md). */
export interface TlsTransport extends MonitoredTransport {
  /** Where the listener is bound (the port it got when asked for port 0). */
  address(): { host: string; port: number };
  /** Tells where validator `id` listens (used from its next dial on). */
  setPeerAddress(id: number, address: { host: string; port: number }): void;
  stats(): TlsTransportStats;
}
