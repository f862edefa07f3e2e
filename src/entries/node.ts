// `swarmguard/node` (Node only; the exports map refuses it to browser bundles): node:crypto
// implementations of the consensus signer, verifier and hash ports, and the validators' network
// (the mutual-TLS transport, and an in-memory network with the same face for tests).
export { nodeEd25519Signer, nodeEd25519Verifier, nodeSha256 } from '../node/index.js';
export {
  createTlsTransport,
  MemoryNetwork,
  MemoryTransport,
  networkPublicKey,
  type MemoryDropReason,
  type MemoryNetworkOptions,
  type MonitoredTransport,
  type PeerBreakerState,
  type PeerChange,
  type PeerStatus,
  type TlsDropReason,
  type TlsPeer,
  type TlsRejectReason,
  type TlsTransport,
  type TlsTransportOptions,
  type TlsTransportStats,
  type Transport,
  type TransportStats,
} from '../net/index.js';
