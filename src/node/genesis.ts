import { bytesToHex, hexToBytes } from '../bytes/index.js';
import { requireArray, requireInteger, requireObject, requireString } from '../check/index.js';
import { DEFAULT_PIPELINE, hybridPublicKey, MAX_PIPELINE, SIGNATURE_SCHEMES, type SignatureScheme, type ValidatorSet } from '../consensus/index.js';
import { requireChainId } from '../tx/index.js';
import { NodeConfigError } from './errors.js';
import { parseStakingGenesis, type StakingGenesis, stakingGenesisJson } from './stakingGenesis.js';

/** One validator as genesis lists it. */
export interface GenesisValidator {
  /** A human name (the moniker of its home). */
  name: string;
  /** Raw 32-byte Ed25519 public key that signs its consensus messages (with `mldsa65Key` on an 'ed25519+mldsa65' network). */
  consensusKey: Uint8Array;
  /** Its 1,952-byte ML-DSA-65 public key: present exactly when genesis's `signatures` is 'ed25519+mldsa65'. */
  mldsa65Key?: Uint8Array;
  /** Raw 32-byte Ed25519 public key of its TLS certificate: peers pin it. */
  networkKey: Uint8Array;
  /** Where peers dial it. */
  p2p: { host: string; port: number };
}

/** Consensus settings every validator must share (the replica's `ReplicaConfig` fields of the same names). */
export interface ConsensusParams {
  batchSize: number;
  batchTimeout: number;
  checkpointInterval: number;
  /** Blocks in flight at once, W (`ReplicaConfig.pipeline`): at most 64 and 2 × checkpointInterval. */
  pipeline: number;
  viewChangeTimeout: number;
  retransmitInterval: number;
  maxPayload: number;
}

/** What every validator of one network agrees on before the first block: `genesis.json`. */
export interface Genesis {
  chainId: string;
  /** ISO-8601, informational. */
  genesisTime: string;
  /**
   * The network's consensus signatures, the same for every validator (default 'ed25519'):
   * 'ed25519+mldsa65' signs every consensus message with Ed25519 and ML-DSA-65, and every
   * validator lists its `mldsa65Key`.
   */
  signatures?: SignatureScheme;
  validators: GenesisValidator[];
  consensus: ConsensusParams;
  /** Balances, bonds and staking rules: with them the node runs the validator state machine (docs/validators.md). */
  staking?: StakingGenesis;
}

export const DEFAULT_CONSENSUS: ConsensusParams = {
  batchSize: 1000,
  batchTimeout: 5,
  checkpointInterval: 64,
  pipeline: DEFAULT_PIPELINE,
  viewChangeTimeout: 2000,
  retransmitInterval: 250,
  maxPayload: 64 * 1024,
};

const WHERE = 'parseGenesis';

/** `host:port` → parts; the port 1–65535. */
export function parseAddress(text: unknown, where: string, argument: string): { host: string; port: number } {
  const s = requireString(text, where, argument);
  const at = s.lastIndexOf(':');
  const host = s.slice(0, at).replace(/^\[(.*)\]$/, '$1');
  const port = Number(s.slice(at + 1));
  if (at <= 0 || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new NodeConfigError(`${where}: ${argument} must be host:port with a port from 1 to 65535, got ${JSON.stringify(s)}`);
  }
  return { host, port };
}

export function formatAddress(a: { host: string; port: number }): string {
  return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}

const ED25519_KEY = /^[0-9a-f]{64}$/i;
const MLDSA65_KEY = /^[0-9a-f]{3904}$/i;

function key(value: unknown, argument: string, shape = ED25519_KEY, what = '64 hex digits (a raw Ed25519 public key)'): Uint8Array {
  const hex = requireString(value, WHERE, argument);
  if (!shape.test(hex)) throw new NodeConfigError(`${WHERE}: ${argument} must be ${what}, got ${JSON.stringify(hex.slice(0, 80))}${hex.length > 80 ? '…' : ''}`);
  return hexToBytes(hex.toLowerCase());
}

/** `genesis.signatures`: absent is 'ed25519'; a network of another scheme lists no staking (the validator state machine's keys are Ed25519). */
function scheme(value: unknown): SignatureScheme {
  if (value === undefined) return 'ed25519';
  if (!SIGNATURE_SCHEMES.includes(value as SignatureScheme)) throw new NodeConfigError(`${WHERE}: genesis.signatures must be one of ${SIGNATURE_SCHEMES.map((s) => `'${s}'`).join(', ')}, got ${JSON.stringify(value)}`);
  return value as SignatureScheme;
}

/**
 * A validator's ML-DSA-65 key: required on an 'ed25519+mldsa65' network, refused on an Ed25519
 * one (every validator of a network signs under the same scheme: no mixing).
 */
function mldsa65Key(value: unknown, signatures: SignatureScheme, i: number): { mldsa65Key?: Uint8Array } {
  const argument = `genesis.validators[${i}].mldsa65Key`;
  if (signatures === 'ed25519') {
    if (value !== undefined) throw new NodeConfigError(`${WHERE}: ${argument} is set, but genesis.signatures is 'ed25519': every validator of a network signs under the same scheme (set genesis.signatures to 'ed25519+mldsa65' and give every validator its key, or drop the key)`);
    return {};
  }
  if (value === undefined) throw new NodeConfigError(`${WHERE}: ${argument} is missing: genesis.signatures is '${signatures}', so every validator lists its ML-DSA-65 public key`);
  return { mldsa65Key: key(value, argument, MLDSA65_KEY, '3,904 hex digits (an ML-DSA-65 public key)') };
}

/** Checks a parsed `genesis.json` and returns it typed; every problem is a `NodeConfigError` naming the field. */
export function parseGenesis(json: unknown): Genesis {
  const g = requireObject<Record<string, unknown>>(json, WHERE, 'genesis');
  try {
    requireChainId(g.chainId, WHERE, 'genesis.chainId');
  } catch (err) {
    throw new NodeConfigError(`${WHERE}: genesis.chainId must be 1 to 64 bytes of UTF-8`, { cause: err });
  }
  const signatures = scheme(g.signatures);
  const list = requireArray(g.validators, WHERE, 'genesis.validators');
  if (list.length < 4) throw new NodeConfigError(`${WHERE}: genesis.validators must list at least 4 validators (PBFT's n ≥ 3f + 1), got ${list.length}`);
  const validators: GenesisValidator[] = list.map((v, i) => {
    const o = requireObject<Record<string, unknown>>(v, WHERE, `genesis.validators[${i}]`);
    return {
      name: requireString(o.name ?? `validator${i}`, WHERE, `genesis.validators[${i}].name`),
      consensusKey: key(o.consensusKey, `genesis.validators[${i}].consensusKey`),
      ...mldsa65Key(o.mldsa65Key, signatures, i),
      networkKey: key(o.networkKey, `genesis.validators[${i}].networkKey`),
      p2p: parseAddress(o.p2p, WHERE, `genesis.validators[${i}].p2p`),
    };
  });
  for (const field of ['consensusKey', 'networkKey', ...(signatures === 'ed25519' ? [] : ['mldsa65Key' as const])] as const) {
    const seen = new Set(validators.map((v) => bytesToHex(v[field] as Uint8Array)));
    if (seen.size !== validators.length) throw new NodeConfigError(`${WHERE}: two validators share a ${field}`);
  }
  if (signatures !== 'ed25519' && g.staking !== undefined) {
    throw new NodeConfigError(`${WHERE}: genesis.staking needs genesis.signatures 'ed25519' (the validator state machine's consensus keys and evidence are Ed25519), got '${signatures}'`);
  }
  const c = requireObject<Record<string, unknown>>(g.consensus ?? {}, WHERE, 'genesis.consensus');
  const consensus = { ...DEFAULT_CONSENSUS };
  for (const name of Object.keys(c)) {
    if (!(name in DEFAULT_CONSENSUS)) throw new NodeConfigError(`${WHERE}: genesis.consensus.${name} is not a known setting (${Object.keys(DEFAULT_CONSENSUS).join(', ')})`);
    consensus[name as keyof ConsensusParams] = requireInteger(c[name], WHERE, `genesis.consensus.${name}`, name === 'batchTimeout' ? 0 : 1);
  }
  const deepest = Math.min(MAX_PIPELINE, 2 * consensus.checkpointInterval);
  if (consensus.pipeline > deepest) throw new NodeConfigError(`${WHERE}: genesis.consensus.pipeline must be at most ${deepest} (64 and 2 × checkpointInterval), got ${consensus.pipeline}`);
  const staking = g.staking === undefined ? {} : { staking: parseStakingGenesis(g.staking, validators.length) };
  const genesisTime = requireString(g.genesisTime ?? '', WHERE, 'genesis.genesisTime');
  return { chainId: g.chainId as string, genesisTime, ...(signatures === 'ed25519' ? {} : { signatures }), validators, consensus, ...staking };
}

/**
 * The consensus keys of genesis's validators, in order, of its scheme: the Ed25519 keys, or on an
 * 'ed25519+mldsa65' network each Ed25519 key joined with its ML-DSA-65 key.
 */
export function consensusKeys(g: Genesis): Uint8Array[] {
  return g.validators.map((v) => ((g.signatures ?? 'ed25519') === 'ed25519' ? v.consensusKey : hybridPublicKey(v.consensusKey, v.mldsa65Key as Uint8Array)));
}

/** The validator set genesis names: what the replica's signatures and every commit certificate are checked against. */
export function genesisValidatorSet(g: Genesis): ValidatorSet {
  return { chainId: g.chainId, validators: consensusKeys(g), ...((g.signatures ?? 'ed25519') === 'ed25519' ? {} : { signatures: g.signatures }) };
}

/** The JSON form of a genesis (keys in hex, addresses as host:port). */
export function genesisJson(g: Genesis): Record<string, unknown> {
  return {
    chainId: g.chainId,
    genesisTime: g.genesisTime,
    ...((g.signatures ?? 'ed25519') === 'ed25519' ? {} : { signatures: g.signatures }),
    validators: g.validators.map((v) => ({
      name: v.name,
      consensusKey: bytesToHex(v.consensusKey),
      ...(v.mldsa65Key ? { mldsa65Key: bytesToHex(v.mldsa65Key) } : {}),
      networkKey: bytesToHex(v.networkKey),
      p2p: formatAddress(v.p2p),
    })),
    consensus: g.consensus,
    ...(g.staking ? { staking: stakingGenesisJson(g.staking) } : {}),
  };
}
