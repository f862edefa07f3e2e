import { ArgumentRangeError, requireArray, requireFunction, requireInteger, requireNumber, requireObject, requireOneOf, requireOptions } from '../check/index.js';
import { type HashFunction, quorums, type ReplicaConfig, requireScheme, type SignatureScheme, type Signer, type Verifier } from '../consensus/index.js';
import { EPOCH_FAULTS, type Fault, FAULTS } from './faults.js';
import type { LinkModel } from './network.js';
import type { LoadModel } from './workload.js';

export interface SimOptions {
  seed: number;
  /** Validators n (default 4). */
  replicas?: number;
  /** Byzantine validators (default f = ⌊(n−1)/3⌋). */
  byzantine?: number;
  /** Fault mix; when omitted the seed draws its own (swarm testing). */
  faults?: Fault[];
  /** Simulated seconds (default 10); faults heal at half of it, and commits must resume in the other half. */
  duration?: number;
  /** Closed-loop clients, one request outstanding each (default 4). */
  clients?: number;
  /** Called for every block an honest replica commits (the `--log` lines). */
  onCommit?: (line: CommitLogLine) => void;
  /** Replica settings (defaults suit the simulator: small blocks, short timeouts). */
  replica?: Partial<Pick<ReplicaConfig, 'batchSize' | 'batchTimeout' | 'checkpointInterval' | 'pipeline' | 'viewChangeTimeout' | 'retransmitInterval' | 'fastPath'>>;
  /** Link model: base latency and exponential jitter mean in ms (default 2 and 3). */
  link?: LinkModel;
  /** Open-loop load instead of clients: requests per simulated second and payload bytes. */
  load?: LoadModel;
  /**
   * The network's signature scheme (default 'ed25519'): 'ed25519+mldsa65' signs every protocol
   * message with Ed25519 and ML-DSA-65, both verified (swarmguard's WASM hybrid signer and
   * verifier). Not with `epochs` (the validator state machine's keys are Ed25519).
   */
  signatures?: SignatureScheme;
  /**
   * Signatures and hashing (default swarmguard's WASM signer and verifier of `signatures`, and
   * SHA-256, bit-identical to node:crypto's). `signer` gets a 32-byte seed per validator and must
   * give a signer of the `signatures` scheme.
   */
  crypto?: { signer(seed: Uint8Array): Signer; verifier(): Verifier; hash: HashFunction };
  /**
   * Epoch reconfiguration (default off): `candidates` hosts run the validator state machine, the
   * first `replicas` of them the genesis committee; each epoch of `epochBlocks` blocks (a multiple
   * of the checkpoint interval) ends with the next committee elected by stake, and consensus hands
   * over to it. The workload adds staking transactions (registrations, delegations, unbonds, and
   * evidence of the Byzantine members' equivocation, which are drawn from the genesis committee).
   * Faults are limited to `EPOCH_FAULTS`.
   */
  epochs?: EpochOptions;
}

export interface EpochOptions {
  /** Blocks per epoch. */
  epochBlocks: number;
  /** Hosts that may be elected: more than `replicas` (the committee size). */
  candidates: number;
}

export interface CommitLogLine {
  replica: number;
  height: number;
  blockHash: string;
  view: number;
  txs: number;
  /** Simulated milliseconds when the replica committed it. */
  at: number;
}

/** `SimOptions` checked, with the defaults filled in. */
export interface ResolvedSimOptions extends SimOptions {
  replicas: number;
  signatures: SignatureScheme;
  byzantine: number;
  /** Milliseconds simulated. */
  durationMs: number;
  clients: number;
  link: LinkModel;
  checkpointInterval: number;
}

const WHERE = 'simulate';
/** Open-loop payloads up to the replica's default request size; more only slows the run. */
const MAX_PAYLOAD = 1 << 16;

const SIM_OPTIONS = ['seed', 'replicas', 'byzantine', 'faults', 'duration', 'clients', 'onCommit', 'replica', 'link', 'load', 'signatures', 'crypto', 'epochs'];
/** The simulator's checkpoint interval unless `options.replica` sets one. */
export const SIM_CHECKPOINT_INTERVAL = 8;
/** The replica settings of every simulated validator unless `options.replica` overrides them: small blocks, short timeouts. */
export const SIM_REPLICA_DEFAULTS = { batchSize: 8, batchTimeout: 25, viewChangeTimeout: 600, retransmitInterval: 150 } as const;
const REPLICA_OPTIONS = ['batchSize', 'batchTimeout', 'checkpointInterval', 'pipeline', 'viewChangeTimeout', 'retransmitInterval', 'fastPath'];

/** Checks every option of `simulate` (the errors name `simulate` and the option) and fills in the defaults. */
export function resolveSimOptions(options: SimOptions): ResolvedSimOptions {
  const o = requireOptions(requireObject<SimOptions>(options, WHERE, 'options'), WHERE, 'options', SIM_OPTIONS) as SimOptions;
  const seed = requireInteger(o.seed, WHERE, 'options.seed', 0, 0xffffffff);
  const replicas = requireInteger(o.replicas ?? 4, WHERE, 'options.replicas', 4, 64);
  const f = quorums(replicas).f;
  const byzantine = requireInteger(o.byzantine ?? f, WHERE, 'options.byzantine', 0, f);
  let faults: Fault[] | undefined;
  if (o.faults !== undefined) {
    faults = requireArray(o.faults, WHERE, 'options.faults').map((fault, i) => requireOneOf(fault, WHERE, `options.faults[${i}]`, FAULTS));
  }
  const duration = requireNumber(o.duration ?? 10, WHERE, 'options.duration', 0, 86_400, '(]');
  const clients = requireInteger(o.clients ?? 4, WHERE, 'options.clients', 0, 4096);
  if (o.onCommit !== undefined) requireFunction(o.onCommit, WHERE, 'options.onCommit');
  if (o.replica !== undefined) requireOptions(o.replica, WHERE, 'options.replica', REPLICA_OPTIONS);
  const checkpointInterval = requireInteger(o.replica?.checkpointInterval ?? SIM_CHECKPOINT_INTERVAL, WHERE, 'options.replica.checkpointInterval', 1, 1 << 20);
  const epochs = o.epochs === undefined ? undefined : resolveEpochs(o.epochs, replicas, checkpointInterval);
  const signatures = requireScheme(o.signatures, WHERE, 'options.signatures');
  if (epochs && signatures !== 'ed25519') throw new ArgumentRangeError(WHERE, 'options.signatures', `must be 'ed25519' with options.epochs (the validator state machine's consensus keys are Ed25519 keys), got '${signatures}'`);
  if (epochs) faults?.forEach((fault, i) => requireOneOf(fault, WHERE, `options.faults[${i}]`, EPOCH_FAULTS));
  const l = requireOptions(o.link, WHERE, 'options.link', ['latency', 'jitter']);
  const link = {
    latency: requireNumber(l.latency ?? 2, WHERE, 'options.link.latency', 0),
    jitter: requireNumber(l.jitter ?? 3, WHERE, 'options.link.jitter', 0),
  };
  let load: LoadModel | undefined;
  if (o.load !== undefined) {
    const given = requireOptions(requireObject<LoadModel>(o.load, WHERE, 'options.load'), WHERE, 'options.load', ['rate', 'payloadBytes']) as LoadModel;
    load = {
      rate: requireNumber(given.rate, WHERE, 'options.load.rate', 0, 10_000_000, '(]'),
      payloadBytes: requireInteger(given.payloadBytes, WHERE, 'options.load.payloadBytes', 0, MAX_PAYLOAD),
    };
  }
  if (o.crypto !== undefined) {
    const c = requireOptions(requireObject<NonNullable<SimOptions['crypto']>>(o.crypto, WHERE, 'options.crypto'), WHERE, 'options.crypto', ['signer', 'verifier', 'hash']) as NonNullable<SimOptions['crypto']>;
    requireFunction(c.signer, WHERE, 'options.crypto.signer');
    requireFunction(c.verifier, WHERE, 'options.crypto.verifier');
    requireFunction(c.hash, WHERE, 'options.crypto.hash');
  }
  return { ...o, seed, replicas, signatures, byzantine, faults, duration, durationMs: Math.round(duration * 1000), clients, link, load, epochs, checkpointInterval };
}

function resolveEpochs(value: unknown, replicas: number, checkpointInterval: number): EpochOptions {
  const e = requireOptions(requireObject<EpochOptions>(value, WHERE, 'options.epochs'), WHERE, 'options.epochs', ['epochBlocks', 'candidates']) as EpochOptions;
  const epochBlocks = requireInteger(e.epochBlocks, WHERE, 'options.epochs.epochBlocks', 1, 1 << 20);
  // The epoch's last block must be a checkpoint: the next set starts from its state.
  if (epochBlocks % checkpointInterval !== 0) throw new ArgumentRangeError(WHERE, 'options.epochs.epochBlocks', `must be a multiple of the checkpoint interval (${checkpointInterval}), got ${epochBlocks}`);
  return { epochBlocks, candidates: requireInteger(e.candidates, WHERE, 'options.epochs.candidates', replicas + 1, 64) };
}
