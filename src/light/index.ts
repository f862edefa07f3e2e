// A light client: follows a network's headers from commit certificates only, checks transactions'
// commit proofs against them, reports lying sources and forks (docs/light.md). Browser-safe: the
// global fetch and WebSocket, any `Storage`.
export { LightClient, type SourceStats, type TrustedHeaderEvent } from './client.js';
export type { LightClientOptions } from './options.js';
export {
  ForkDetectedError,
  HeaderUnavailableError,
  LIE_REASONS,
  type Lie,
  type LieReason,
  LightClientClosedError,
  type SourceFailure,
  TransactionUnverifiedError,
  TrustMismatchError,
  WebSocketUnavailableError,
} from './errors.js';
export type { ForkEvidence, ForkSide } from './fork.js';
export type { TrustedHeader } from './headers.js';
export type { WebSocketConstructor, WebSocketLike } from './stream.js';
export type { TxVerdict, VerifyTransactionOptions } from './transactions.js';
export { type Checkpoint, validatorSetFromGenesis } from './trust.js';
