import type { Application } from './application.js';
import type { Block, ClientRequest } from './block.js';
import type { HashFunction, Signer, TxRootFunction, Verifier } from './crypto.js';

export interface ReplicaConfig {
  /** This replica's index in `validators`. */
  id: number;
  /** Raw 32-byte Ed25519 public keys of all n ≥ 4 validators; the index is the validator id. */
  validators: Uint8Array[];
  signer: Signer;
  verifier: Verifier;
  /** 32-byte hash for block headers and checkpoint digests (e.g. `nodeSha256` or swarmguard's `sha256`). */
  hash: HashFunction;
  /** Merkle root of a block's transactions; defaults to swarmguard's RFC 9162 `merkleRoot` (SHA-256). */
  txRoot?: TxRootFunction;
  application: Application;
  /** Requests per block (default 1000). */
  batchSize?: number;
  /** Milliseconds a partial batch may wait before the primary proposes it (default 5). */
  batchTimeout?: number;
  /** Blocks between checkpoints, K (default 64); the watermark window is 2K. */
  checkpointInterval?: number;
  /** Milliseconds without progress, with work pending, before a view change (default 2000). */
  viewChangeTimeout?: number;
  /** Milliseconds between retransmissions of unanswered votes and view-change messages (default 250). */
  retransmitInterval?: number;
  /** Wait for all n PREPAREs when the network looks healthy (default true). */
  fastPath?: boolean;
  /** Bounds in milliseconds of the fast-path wait chosen by the health monitor (default 1 and 20). */
  fastPathWindow?: { min: number; max: number };
  /** Requests held while waiting to be proposed (default 1,000,000); more are dropped and counted. */
  maxPending?: number;
}

export type ReplicaInput =
  | { type: 'message'; bytes: Uint8Array }
  /** Several frames verified in one signature batch. */
  | { type: 'messages'; messages: Uint8Array[] }
  | { type: 'request'; request: Uint8Array | ClientRequest }
  /** Many encoded requests in one step (what a gateway forwards). */
  | { type: 'requests'; requests: Uint8Array[] }
  | { type: 'tick'; now: number };

/** A frame to send: to one validator id or to every other validator. */
export interface Outbound {
  to: number | 'all';
  bytes: Uint8Array;
}

export interface CommittedBlock {
  height: number;
  hash: Uint8Array;
  /** View whose certificate committed it. */
  view: number;
  block: Block;
  /** Commit certificate: 2f+1 COMMIT or n PREPARE frames. */
  cert: Uint8Array[];
  /** How it was committed here. */
  via: 'fast' | 'slow' | 'transfer';
}

/** The answer a replica sends a client once its request executed (the transport authenticates it). */
export interface Reply {
  replica: number;
  clientId: Uint8Array;
  seq: number;
  height: number;
  result: Uint8Array;
}

/** Two conflicting signed votes of one validator for the same (type, view, seq): proof for slashing. */
export interface Evidence {
  kind: 'equivocation';
  validator: number;
  publicKey: Uint8Array;
  view: number;
  seq: number;
  first: Uint8Array;
  second: Uint8Array;
}

/** A stable checkpoint: snapshot plus 2f+1 CHECKPOINT frames on hash(blockHash ‖ hash(snapshot)). */
export interface CheckpointRecord {
  seq: number;
  blockHash: Uint8Array;
  snapshot: Uint8Array;
  cert: Uint8Array[];
  /** Commit certificate of the block at `seq` (empty at genesis). */
  blockCert: Uint8Array[];
}

/** What the host must make durable, in this order, before sending `messages`. */
export interface PersistBatch {
  /** Replaces the previous hard state (view, own latest vote, prepared certificate). */
  hardState?: Uint8Array;
  /** Replaces the previous checkpoint; committed blocks at or below its seq may be discarded. */
  checkpoint?: CheckpointRecord;
  /** Appended committed blocks. */
  blocks: CommittedBlock[];
}

/** What `Replica.restore` needs: the accumulated persist batches. */
export interface DurableState {
  hardState: Uint8Array | null;
  checkpoint: CheckpointRecord | null;
  blocks: CommittedBlock[];
}

export const DROP_REASONS = ['malformed', 'badSignature', 'unknownSender', 'stale', 'invalid', 'duplicate', 'outOfWindow', 'poolFull'] as const;
export type DropReason = (typeof DROP_REASONS)[number];

export interface StepStats {
  received: number;
  dropped: Record<DropReason, number>;
  /** Signatures checked by the verifier. */
  verified: number;
  signed: number;
  /** Frames handed out (a broadcast counts n-1). */
  sent: number;
  committed: number;
  committedTxs: number;
}

/** The output of one `step`: persist, then send, then apply committed blocks and deliver replies. */
export interface Ready {
  persist: PersistBatch | null;
  messages: Outbound[];
  committed: CommittedBlock[];
  replies: Reply[];
  evidence: Evidence[];
  stats: StepStats;
}

export type { Application, Block, ClientRequest };
