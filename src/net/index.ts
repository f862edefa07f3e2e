// Frames between validators: the `Transport` interface (types only, so browser code such as the
// simulator's packet network may implement it), the mutual-TLS transport a node runs on, and an
// in-memory network with the same face for tests. See docs/net.md.
export type { Transport, Unsubscribe } from './transport.js';
export type {
  MonitoredTransport,
  PeerBreakerState,
  PeerChange,
  PeerStatus,
  TlsDropReason,
  TlsRejectReason,
  TlsTransport,
  TlsTransportStats,
  TransportStats,
} from './status.js';
export { networkCertificate, networkPublicKey } from './certificate.js';
export { encodeFrame, FRAME_HEADER_BYTES, FRAME_VERSION, FrameDecoder, type FrameError, FrameKind } from './frame.js';
export { type MemoryDropReason, MemoryNetwork, type MemoryNetworkOptions, MemoryTransport } from './memory.js';
export type { TlsPeer, TlsTransportOptions } from './options.js';
export { SendQueue } from './queue.js';
export { createTlsTransport } from './tlsTransport.js';
