import type { SignatureScheme } from '../consensus/index.js';
import type { Fault, TxAttack } from './faults.js';
import type { Lie } from './lies.js';
import type { FaultParameters } from './parameters.js';
import type { StakingTally } from './stakingWorkload.js';

/** What an epoch run (`SimOptions.epochs`) went through. */
export interface EpochReport {
  candidates: number;
  epochBlocks: number;
  /** The hosts of each set's members, in validator-id order, from genesis on (one set per epoch reached). */
  sets: number[][];
  /** Members of a set that were not in the one before it, summed over the hand-overs; and members of a set not in the next. */
  joins: number;
  leaves: number;
  /**
   * How the members of the sets after genesis started their replicas: from their own replica's
   * end of the last set (`own`); from the end an honest host recorded, as members that were not in
   * the last set (`recorded`) or whose replica of it had not reached its end when the set after
   * was recorded (`overtaken`) — the stand-in for a verified state sync.
   */
  starts: { own: number; recorded: number; overtaken: number };
  /** Staking transactions per operation (`register`, `delegate`, `unbond`, `evidence`): applied, and refused by reason. */
  staking: StakingTally;
  /** Validators jailed in the final validator state (slashed, or below their minimum self-bond after unbonding). */
  jailed: number;
  /** Tokens burned by slashing, in the final validator state (a decimal string: amounts are bigints). */
  burned: string;
}

/** What one seeded run did (`simulate`): its draws, what committed, what broke, and each replica at the end. */
export interface SimResult {
  seed: number;
  replicas: number;
  /** The network's signature scheme (`SimOptions.signatures`). */
  signatures: SignatureScheme;
  byzantine: number;
  byzantineIds: number[];
  faults: Fault[];
  /** How hard each fault struck: drawn from the seed for the active faults. */
  parameters: FaultParameters;
  /** The replicas' pipeline depth W (`options.replica.pipeline`, else drawn from the seed: 1, 2, 4 or 8). */
  pipeline: number;
  /** Honest replicas whose disk was damaged beyond recovery (both copies of a record): they refused to start and stayed down. */
  failedIds: number[];
  /** Blocks committed by at least one honest replica (the agreed chain's length). */
  committedBlocks: number;
  committedTxs: number;
  violations: string[];
  /** Digest of everything that happened: the same seed always gives the same value. */
  traceHash: string;
  simulatedMs: number;
  /** When the run ended: past `simulatedMs` while it settled (clients send nothing new then; see `LivenessCheck`). */
  endedMs: number;
  /** Frames delivered between replicas, and signatures verified by honest replicas. */
  messages: number;
  verified: number;
  /**
   * Per active transaction attack (`TX_ATTACKS`): the tampered proposals the Byzantine primaries
   * made, and how many times one reached an honest replica (none may ever get an honest vote).
   */
  txAttacks: Partial<Record<TxAttack, { proposed: number; delivered: number }>>;
  /** Per lie the Byzantine replicas told in structure (lies.ts): how many frames carried it. */
  lies: Partial<Record<Lie, number>>;
  /** Commit proofs built and verified by the checker against the validator set (one per committed height). */
  proofsChecked: number;
  /** Submit-to-commit latency of requests in simulated ms (open-loop load only, else empty). */
  latencies: number[];
  views: number[];
  heights: number[];
  /** Each replica at the end (null if crashed); in an epoch run, each host's newest replica (null if it runs none). */
  status: ({ view: number; inViewChange: boolean; height: number; stableCheckpoint: number; pending: number; dropped: Record<string, number> } | null)[];
  /** Epoch runs only. */
  epochs?: EpochReport;
}
