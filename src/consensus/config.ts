import { bytesToHex, equalBytes } from '../bytes/index.js';
import { ArgumentRangeError, requireArray, requireBoolean, requireBytes, requireFunction, requireInteger, requireNumber, requireObject, requireOptions } from '../check/index.js';
import { requireChainId, requireMaxPayload } from '../tx/index.js';
import type { Application } from './application.js';
import type { HashFunction, Signer, TxRootFunction, Verifier } from './crypto.js';
import { ConsensusConfigError } from './errors.js';
import { requireScheme, requireSchemeKey, type SignatureScheme } from './scheme.js';
import { defaultTxRoot } from './txRoot.js';
import { wasmEd25519Verifier } from './wasmEd25519.js';

export interface ReplicaConfig {
  /** The network's chain id (1 to 64 bytes of UTF-8): transactions must name it, and every consensus signature binds it. */
  chainId: string;
  /** The validator set's epoch (default 0): every consensus signature binds the set's id (`validatorSetId`). */
  epoch?: number;
  /** This replica's index in `validators`. */
  id: number;
  /** Consensus keys of all n ≥ 4 validators, of the `signatures` scheme (raw 32-byte Ed25519 public keys by default); the index is the validator id. */
  validators: Uint8Array[];
  /**
   * The network's signature scheme, the same on every validator (genesis says which): 'ed25519'
   * (default) or 'ed25519+mldsa65', where every message carries both signatures and both must
   * verify. `signer` and `verifier` must be of it (`wasmHybridSigner`, `wasmHybridVerifier`).
   */
  signatures?: SignatureScheme;
  signer: Signer;
  verifier: Verifier;
  /**
   * Verifies client transactions, which are Ed25519-signed on every network (docs/tx.md). Default:
   * `verifier` on an 'ed25519' network (one batch for both), swarmguard's WASM Ed25519 verifier
   * on a network of another scheme.
   */
  txVerifier?: Verifier;
  /** 32-byte hash for block headers and checkpoint digests (e.g. swarmguard's `sha256`, or `nodeSha256`). */
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
  /**
   * Pipeline depth W (default 8, or the watermark window 2K when smaller): slots the primary may
   * propose, and replicas vote in, above the last committed height at once; blocks still execute
   * one by one in height order. At most `MAX_PIPELINE` and 2K. Every validator of a network must
   * use the same. 1 keeps one block in flight.
   */
  pipeline?: number;
  /** Milliseconds without progress, with work pending, before a view change (default 2000). */
  viewChangeTimeout?: number;
  /** Milliseconds between retransmissions of unanswered votes and view-change messages (default 250). */
  retransmitInterval?: number;
  /**
   * Milliseconds a backup holds a client's transaction before passing it on to the primary
   * (default: `retransmitInterval`); it passes it on again every `retransmitInterval` while it
   * waits. A node whose clients may submit to any validator sets it low.
   */
  forwardDelay?: number;
  /** Wait for all n PREPAREs when the network looks healthy (default true). */
  fastPath?: boolean;
  /** Bounds in milliseconds of the fast-path wait chosen by the health monitor (default 1 and 20). */
  fastPathWindow?: { min: number; max: number };
  /** Transactions held while waiting to be proposed (default 1,000,000); more are dropped and counted. */
  maxPending?: number;
  /** Bytes of signed transactions held while waiting to be proposed (default 256 MiB); more are dropped and counted (`poolFull`). */
  maxPendingBytes?: number;
  /** Largest transaction payload accepted, in bytes (default 64 KiB); the same on every validator. */
  maxPayload?: number;
  /**
   * How far ahead of a sender's last executed nonce the pool holds its transactions (default
   * 1024); a block executes each sender's nonces consecutively from last + 1, so this bounds
   * what a sender may have in flight, not what may be skipped.
   */
  nonceWindow?: number;
  /** Ids of transactions whose signature this replica verified, kept to skip re-verifying them in a proposal (default 262,144). */
  verifiedCacheSize?: number;
  /** Longest peer frame decoded, in bytes (default 16 MiB, the transport's frame bound); longer ones are dropped as `oversize`. */
  maxFrameBytes?: number;
  /** Committed blocks one TRANSFER may carry (default 16): what a replica serves, and the most it decodes. */
  maxTransferBlocks?: number;
  /**
   * The last height this validator set orders (default: none), a multiple of `checkpointInterval`
   * so that it is a checkpoint: the epoch's last block. The replica neither proposes nor votes
   * above it; it still finishes the heights up to it (view changes included), signs its checkpoint
   * there and serves state transfer, and `status().finished` says when it has committed it. The
   * next set starts from there (`Replica.startEpoch`).
   */
  lastHeight?: number;
}

/** A checked `ReplicaConfig` with every default filled in. */
export type ResolvedConfig = Required<ReplicaConfig>;

/**
 * Largest validator set: a NEW-VIEW may ask for up to 2n² + 2n + 1 signature checks (see
 * docs/consensus.md, "Frame bounds"), about 2.1 million at this n, and its certificates outgrow
 * any sensible frame bound well before it.
 */
export const MAX_VALIDATORS = 1024;
/**
 * The pipeline depth unless configured: `swarmguard bench pipeline` measured W = 8 at 7.4× the
 * committed tx/s of W = 1 over 10 ms links and 7.2× over 100 ms (simulated), and W = 4–8 at
 * 1.3× in one process; node processes on loopback commit the same at any depth, with a longer
 * p99 at W = 8 (1–2 suits one machine or a LAN).
 * Deeper helps only where links are slower still (docs/consensus.md, "Pipelining figures").
 */
export const DEFAULT_PIPELINE = 8;
/** Largest pipeline depth (`ReplicaConfig.pipeline`): what a VIEW-CHANGE may report without a config sizing it. */
export const MAX_PIPELINE = 64;
const DEFAULT_MAX_FRAME_BYTES = 16 * 2 ** 20;
const DEFAULT_MAX_TRANSFER_BLOCKS = 16;

const WHERE = 'Replica';
const CONFIG_KEYS = [
  'chainId', 'epoch', 'id', 'validators', 'signatures', 'signer', 'verifier', 'txVerifier', 'hash', 'txRoot', 'application', 'batchSize', 'batchTimeout', 'checkpointInterval', 'pipeline',
  'viewChangeTimeout', 'retransmitInterval', 'forwardDelay', 'fastPath', 'fastPathWindow', 'maxPending', 'maxPendingBytes', 'maxPayload', 'nonceWindow', 'verifiedCacheSize',
  'maxFrameBytes', 'maxTransferBlocks', 'lastHeight',
];

/** The constructor's validation and defaults: wrong types are TypeErrors, bad values RangeErrors, inconsistent sets `ConsensusConfigError`. */
export function resolveConfig(config: ReplicaConfig): ResolvedConfig {
  requireOptions(requireObject(config, WHERE, 'config'), WHERE, 'config', CONFIG_KEYS);
  requireChainId(config.chainId, WHERE, 'config.chainId');
  const chainId = config.chainId;
  const signatures = requireScheme(config.signatures, WHERE, 'config.signatures');
  const list = requireArray(config.validators, WHERE, 'config.validators');
  const validators: Uint8Array[] = [];
  for (let i = 0; i < list.length; i++) validators.push(requireSchemeKey(list[i], signatures, WHERE, `config.validators[${i}]`));
  if (validators.length < 4) throw new ConsensusConfigError(`PBFT needs n ≥ 4 validators, got ${validators.length}`);
  if (validators.length > MAX_VALIDATORS) throw new ConsensusConfigError(`at most ${MAX_VALIDATORS} validators, got ${validators.length}`);
  const id = requireInteger(config.id, WHERE, 'config.id', 0, validators.length - 1);
  const signer = requireObject<Signer>(config.signer, WHERE, 'config.signer');
  requireBytes(signer.publicKey, WHERE, 'config.signer.publicKey');
  requireFunction(signer.sign, WHERE, 'config.signer.sign');
  const verifier = requireObject<Verifier>(config.verifier, WHERE, 'config.verifier');
  requireFunction(verifier.verifyBatch, WHERE, 'config.verifier.verifyBatch');
  // A signer or verifier of another scheme would make every frame unverifiable: refuse it here.
  for (const [name, scheme] of [['signer', signer.scheme], ['verifier', verifier.scheme]] as const) {
    if ((scheme ?? 'ed25519') !== signatures) throw new ConsensusConfigError(`config.${name} is an '${scheme ?? 'ed25519'}' ${name}, the network's signatures are '${signatures}'`);
  }
  const txVerifier = config.txVerifier === undefined ? (signatures === 'ed25519' ? verifier : wasmEd25519Verifier()) : requireObject<Verifier>(config.txVerifier, WHERE, 'config.txVerifier');
  requireFunction(txVerifier.verifyBatch, WHERE, 'config.txVerifier.verifyBatch');
  if ((txVerifier.scheme ?? 'ed25519') !== 'ed25519') throw new ConsensusConfigError(`config.txVerifier is an '${txVerifier.scheme}' verifier: transactions are Ed25519-signed`);
  const app = requireObject<Application>(config.application, WHERE, 'config.application');
  requireFunction(app.execute, WHERE, 'config.application.execute');
  requireFunction(app.snapshot, WHERE, 'config.application.snapshot');
  requireFunction(app.restore, WHERE, 'config.application.restore');
  if (app.endBlock !== undefined) requireFunction(app.endBlock, WHERE, 'config.application.endBlock');
  const hash = requireFunction<HashFunction>(config.hash, WHERE, 'config.hash');
  const txRoot = config.txRoot === undefined ? defaultTxRoot() : requireFunction<TxRootFunction>(config.txRoot, WHERE, 'config.txRoot');
  if (!equalBytes(signer.publicKey, validators[id])) throw new ConsensusConfigError(`config.signer's public key is not validators[${id}]`);
  if (new Set(validators.map(bytesToHex)).size !== validators.length) throw new ConsensusConfigError('validators must be distinct');
  const window = requireOptions(requireObject<{ min: number; max: number }>(config.fastPathWindow ?? { min: 1, max: 20 }, WHERE, 'config.fastPathWindow'), WHERE, 'config.fastPathWindow', ['min', 'max']);
  const min = requireNumber(window.min, WHERE, 'config.fastPathWindow.min', 0);
  const checkpointInterval = requireInteger(config.checkpointInterval ?? 64, WHERE, 'config.checkpointInterval', 1, 1 << 20);
  return {
    chainId,
    epoch: requireInteger(config.epoch ?? 0, WHERE, 'config.epoch', 0),
    id,
    validators,
    signatures,
    signer,
    verifier,
    txVerifier,
    hash,
    txRoot,
    application: app,
    batchSize: requireInteger(config.batchSize ?? 1000, WHERE, 'config.batchSize', 1, 1 << 20),
    batchTimeout: requireNumber(config.batchTimeout ?? 5, WHERE, 'config.batchTimeout', 0),
    checkpointInterval,
    pipeline: requireInteger(config.pipeline ?? Math.min(DEFAULT_PIPELINE, 2 * checkpointInterval), WHERE, 'config.pipeline', 1, Math.min(MAX_PIPELINE, 2 * checkpointInterval)),
    viewChangeTimeout: requireNumber(config.viewChangeTimeout ?? 2000, WHERE, 'config.viewChangeTimeout', 0, Infinity, '(]'),
    retransmitInterval: requireNumber(config.retransmitInterval ?? 250, WHERE, 'config.retransmitInterval', 0, Infinity, '(]'),
    forwardDelay: requireNumber(config.forwardDelay ?? config.retransmitInterval ?? 250, WHERE, 'config.forwardDelay', 0),
    fastPath: requireBoolean(config.fastPath ?? true, WHERE, 'config.fastPath'),
    fastPathWindow: { min, max: requireNumber(window.max, WHERE, 'config.fastPathWindow.max', min) },
    maxPending: requireInteger(config.maxPending ?? 1_000_000, WHERE, 'config.maxPending', 1),
    maxPendingBytes: requireInteger(config.maxPendingBytes ?? 256 * 1024 * 1024, WHERE, 'config.maxPendingBytes', 1),
    maxPayload: requireMaxPayload(config.maxPayload, WHERE, 'config.maxPayload'),
    nonceWindow: requireInteger(config.nonceWindow ?? 1024, WHERE, 'config.nonceWindow', 1, 2 ** 32),
    verifiedCacheSize: requireInteger(config.verifiedCacheSize ?? 262_144, WHERE, 'config.verifiedCacheSize', 0, 2 ** 24),
    maxFrameBytes: requireInteger(config.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES, WHERE, 'config.maxFrameBytes', 1024, 2 ** 32),
    maxTransferBlocks: requireInteger(config.maxTransferBlocks ?? DEFAULT_MAX_TRANSFER_BLOCKS, WHERE, 'config.maxTransferBlocks', 1, 65535),
    lastHeight: config.lastHeight === undefined ? Infinity : requireLastHeight(config.lastHeight, checkpointInterval),
  };
}

/** A checkpoint height: the set's last block must carry a checkpoint the next set can start from. */
function requireLastHeight(value: unknown, checkpointInterval: number): number {
  const height = requireInteger(value, WHERE, 'config.lastHeight', 1);
  if (height % checkpointInterval !== 0) throw new ArgumentRangeError(WHERE, 'config.lastHeight', `must be a multiple of config.checkpointInterval (${checkpointInterval}), got ${height}`);
  return height;
}
