export type { Application } from './application.js';
export { type Block, blockHash, type BlockHeader, decodeBlock, decodeBlockHeader, encodeBlock, encodeBlockHeader, genesisParent, senderKey } from './block.js';
export {
  BlockNotInLogError,
  buildCommitProof,
  type BuildCommitProofOptions,
  type CertifiedHeader,
  type CommitProof,
  type CommitProofFailure,
  type CommitProofVerdict,
  TxRootMismatchError,
  verifyCommitCertificates,
  verifyCommitProof,
  type VerifyCommitProofOptions,
} from './commitProof.js';
export { COMMIT_PROOF_VERSION, decodeCommitProof, encodeCommitProof, MalformedCommitProofError } from './commitProofCodec.js';
export { consensusDomain, domainSigner, type ValidatorSet, validatorSetId } from './domain.js';
export { isCommitCertificate, isPreparedCertificate, type Quorums, quorums } from './certificates.js';
export { Client, type ClientOptions, decodeReply, encodeReply } from './client.js';
export { DEFAULT_PIPELINE, MAX_PIPELINE, type ReplicaConfig } from './config.js';
export type { HashFunction, SignatureCheck, Signer, TxRootFunction, Verifier } from './crypto.js';
export { otherCopy, persistOps, type RecordOp } from './durable.js';
export { decodeDurable, loadDurable } from './recovery.js';
export { Reader, Writer } from './codec.js';
export { ConsensusConfigError, CorruptStateError, DecodeError } from './errors.js';
export { HealthMonitor } from './health.js';
export {
  decodeMessage,
  decodeVote,
  encodePrePrepare,
  type Message,
  MessageType,
  type NewView,
  type PrePrepare,
  signFetch,
  signNewView,
  signTransfer,
  signViewChange,
  signVote,
  type ViewChange,
  type Vote,
  type VoteType,
  voteFrameBytes,
  WIRE_VERSION,
} from './messages.js';
export { Replica } from './replica.js';
export { wasmEd25519Signer, wasmEd25519Verifier } from './wasmEd25519.js';
export { HYBRID_MLDSA_CONTEXT, hybridPublicKey, wasmHybridSigner, wasmHybridVerifier } from './wasmHybrid.js';
export { wasmVerifierFor } from './schemeVerifier.js';
export { requireScheme, requireSchemeKey, SIGNATURE_SCHEMES, type SchemeFormat, schemeFormat, type SignatureScheme } from './scheme.js';
export { defaultTxRoot } from './txRoot.js';
export { decideNewView, isValidViewChange, type NewViewDecision } from './newViewRule.js';
export { sameSlotReports } from './equivocation.js';
export {
  type CheckpointRecord,
  type CommittedBlock,
  type DropReason,
  type DurableState,
  type EpochStart,
  type Evidence,
  type HardState,
  type LogEntry,
  type Outbound,
  type PersistBatch,
  type Ready,
  recipients,
  type Refusal,
  type Reply,
  type ReplicaInput,
  type StepStats,
} from './step.js';
