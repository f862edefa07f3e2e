import { bytesToHex, hexToBytes } from '../bytes/index.js';
import { requireArray, requireInteger, requireObject, requireString } from '../check/index.js';
import { requireChainId } from '../tx/index.js';
import { NodeConfigError } from './errors.js';
import { parseStakingGenesis, type StakingGenesis, stakingGenesisJson } from './stakingGenesis.js';

/** One validator as genesis lists it. */
export interface GenesisValidator {
  /** A human name (the moniker of its home). */
  name: string;
  /** Raw 32-byte Ed25519 public key that signs its consensus messages. */
  consensusKey: Uint8Array;
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
  viewChangeTimeout: number;
  retransmitInterval: number;
  maxPayload: number;
}

/** What every validator of one network agrees on before the first block: `genesis.json`. */
export interface Genesis {
  chainId: string;
  /** ISO-8601, informational. */
  genesisTime: string;
  validators: GenesisValidator[];
  consensus: ConsensusParams;
  /** Balances, bonds and staking rules: with them the node runs the validator state machine (docs/validators.md). */
  staking?: StakingGenesis;
}

export const DEFAULT_CONSENSUS: ConsensusParams = {
  batchSize: 1000,
  batchTimeout: 5,
  checkpointInterval: 64,
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

function key(value: unknown, argument: string): Uint8Array {
  const hex = requireString(value, WHERE, argument);
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new NodeConfigError(`${WHERE}: ${argument} must be 64 hex digits (a raw Ed25519 public key), got ${JSON.stringify(hex.slice(0, 80))}`);
  return hexToBytes(hex.toLowerCase());
}

/** Checks a parsed `genesis.json` and returns it typed; every problem is a `NodeConfigError` naming the field. */
export function parseGenesis(json: unknown): Genesis {
  const g = requireObject<Record<string, unknown>>(json, WHERE, 'genesis');
  try {
    requireChainId(g.chainId, WHERE, 'genesis.chainId');
  } catch (err) {
    throw new NodeConfigError(`${WHERE}: genesis.chainId must be 1 to 64 bytes of UTF-8`, { cause: err });
  }
  const list = requireArray(g.validators, WHERE, 'genesis.validators');
  if (list.length < 4) throw new NodeConfigError(`${WHERE}: genesis.validators must list at least 4 validators (PBFT's n ≥ 3f + 1), got ${list.length}`);
  const validators = list.map((v, i) => {
    const o = requireObject<Record<string, unknown>>(v, WHERE, `genesis.validators[${i}]`);
    return {
      name: requireString(o.name ?? `validator${i}`, WHERE, `genesis.validators[${i}].name`),
      consensusKey: key(o.consensusKey, `genesis.validators[${i}].consensusKey`),
      networkKey: key(o.networkKey, `genesis.validators[${i}].networkKey`),
      p2p: parseAddress(o.p2p, WHERE, `genesis.validators[${i}].p2p`),
    };
  });
  for (const field of ['consensusKey', 'networkKey'] as const) {
    const seen = new Set(validators.map((v) => bytesToHex(v[field])));
    if (seen.size !== validators.length) throw new NodeConfigError(`${WHERE}: two validators share a ${field}`);
  }
  const c = requireObject<Record<string, unknown>>(g.consensus ?? {}, WHERE, 'genesis.consensus');
  const consensus = { ...DEFAULT_CONSENSUS };
  for (const name of Object.keys(c)) {
    if (!(name in DEFAULT_CONSENSUS)) throw new NodeConfigError(`${WHERE}: genesis.consensus.${name} is not a known setting (${Object.keys(DEFAULT_CONSENSUS).join(', ')})`);
    consensus[name as keyof ConsensusParams] = requireInteger(c[name], WHERE, `genesis.consensus.${name}`, name === 'batchTimeout' ? 0 : 1);
  }
  const staking = g.staking === undefined ? {} : { staking: parseStakingGenesis(g.staking, validators.length) };
  return { chainId: g.chainId as string, genesisTime: requireString(g.genesisTime ?? '', WHERE, 'genesis.genesisTime'), validators, consensus, ...staking };
}

/** The JSON form of a genesis (keys in hex, addresses as host:port). */
export function genesisJson(g: Genesis): Record<string, unknown> {
  return {
    chainId: g.chainId,
    genesisTime: g.genesisTime,
    validators: g.validators.map((v) => ({ name: v.name, consensusKey: bytesToHex(v.consensusKey), networkKey: bytesToHex(v.networkKey), p2p: formatAddress(v.p2p) })),
    consensus: g.consensus,
    ...(g.staking ? { staking: stakingGenesisJson(g.staking) } : {}),
  };
}
