// What the bench and its load-generator process say to each other: one JSON object per line,
// commands on the generator's stdin, answers on its stdout.

/** The generator's settings, its first command-line argument (JSON). */
export interface GeneratorConfig {
  /** The chain id every transaction names (each run's cluster has fresh validators, not a fresh chain id). */
  chainId: string;
  /** Accounts signing transactions, round robin (each one's nonces consecutive from 1). */
  senders: number;
  /** Keep what was signed, so `reset` can send it again to a fresh chain; else sign as it goes and forget. */
  keep: boolean;
}

export interface LoadOptions {
  /** The cluster's `genesis.json`: commit proofs are checked against its validators. */
  genesis: Record<string, unknown>;
  /** RPC addresses of the nodes, by validator id. */
  rpcs: string[];
  /** Whom to send to first (re-read from `/v1/status` on refusals and errors). */
  primary: number;
  /** Transactions per second offered, open loop. */
  rate: number;
  /** How long to offer it (null: until `stop`). */
  seconds: number | null;
  /** Every `sampleEvery`-th transaction sent after `warmup` seconds is followed to its commit proof (0: none). */
  sampleEvery: number;
  warmup: number;
  /** Commit proofs of sampled transactions checked with `verifyCommitProof`. */
  proofs: number;
  /** Pause while the node sent to holds more than this many pending transactions (null: never). */
  maxPending: number | null;
}

export type GeneratorCommand =
  | { type: 'prepare'; count: number }
  | { type: 'reset' }
  | ({ type: 'load' } & LoadOptions)
  | { type: 'stop' }
  | { type: 'exit' };

export interface LoadReport {
  /** Transactions sent for the first time, and the seconds over which they were sent. */
  offered: number;
  seconds: number;
  /** Accepted by a node (or found already pending or committed there). */
  accepted: number;
  /** Refusals by reason; the ones worth retrying (`poolFull`, `nonceGap`) were sent again. */
  refused: Record<string, number>;
  requests: number;
  httpErrors: number;
  primarySwitches: number;
  /** Largest number of transactions due but not yet sent (the generator or the node fell behind). */
  maxBacklog: number;
  /** Submit-to-proof latencies of the sampled transactions, in milliseconds. */
  latencies: number[];
  /** Sampled transactions without a commit proof by the deadline. */
  unconfirmed: number;
  proofsVerified: number;
  proofsFailed: number;
}

export type GeneratorReply =
  | { type: 'prepared'; signed: number; seconds: number }
  | { type: 'reset' }
  | ({ type: 'loaded' } & LoadReport)
  | { type: 'error'; message: string };
