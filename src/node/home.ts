import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bytesToHex, equalBytes, hexToBytes } from '../bytes/index.js';
import { requireInteger, requireObject, requireString } from '../check/index.js';
import { mldsa65 } from '../sig/index.js';
import { requireOrigins } from './cors.js';
import { nodeEd25519Signer } from './crypto.js';
import { NodeConfigError } from './errors.js';
import { formatAddress, type Genesis, genesisJson, parseAddress, parseGenesis } from './genesis.js';

// A node's home folder, CometBFT's layout in small:
//   config.json          this node's settings (listen addresses, peer address overrides, pool)
//   genesis.json         what every validator shares
//   keys/consensus.key   hex seed of the consensus signing key, Ed25519 (mode 0600)
//   keys/consensus-mldsa65.key
//                        hex seed (xi) of the ML-DSA-65 consensus key, on an 'ed25519+mldsa65'
//                        network only (mode 0600)
//   keys/network.key     hex seed of the TLS network key (mode 0600)
//   data/                the LevelDB store

export interface NodeConfig {
  moniker: string;
  /** Where the peer listener binds (default 127.0.0.1 and the genesis port). */
  p2p: { host: string; port: number };
  /** Where the RPC server binds (default 127.0.0.1:26657). */
  rpc: { host: string; port: number };
  /** Dial these addresses instead of genesis's for some peers (by validator id): NAT, proxies, tests. */
  peers: Record<number, { host: string; port: number }>;
  /** Worker threads verifying client signatures (default 1; 0 verifies on the event loop). */
  poolThreads: number;
  /** Origins of web pages allowed to call the RPC (CORS; default none): see `RpcOptions.corsOrigins`. */
  corsOrigins?: string[];
}

export interface NodeHome {
  dir: string;
  /** This validator's id: its index in genesis. */
  id: number;
  config: NodeConfig;
  genesis: Genesis;
  consensusSeed: Uint8Array;
  /** The ML-DSA-65 key's seed, on an 'ed25519+mldsa65' network. */
  mldsa65Seed?: Uint8Array;
  networkSeed: Uint8Array;
  dataDir: string;
}

export const DEFAULT_P2P_PORT = 26656;
export const DEFAULT_RPC_PORT = 26657;

/**
 * The keys a fresh home gets, and the validator entry genesis needs for them; `mldsa65`: an
 * ML-DSA-65 consensus key too, of an 'ed25519+mldsa65' network (each key from its own seed).
 */
export function newKeys(options: { mldsa65?: boolean } = {}): {
  consensusSeed: Uint8Array;
  networkSeed: Uint8Array;
  consensusKey: Uint8Array;
  networkKey: Uint8Array;
  mldsa65Seed?: Uint8Array;
  mldsa65Key?: Uint8Array;
} {
  const consensusSeed = new Uint8Array(randomBytes(32));
  const networkSeed = new Uint8Array(randomBytes(32));
  const keys = { consensusSeed, networkSeed, consensusKey: nodeEd25519Signer(consensusSeed).publicKey, networkKey: nodeEd25519Signer(networkSeed).publicKey };
  if (options.mldsa65) {
    const mldsa65Seed = new Uint8Array(randomBytes(32));
    return { ...keys, mldsa65Seed, mldsa65Key: mldsa65.generateKeyPair(mldsa65Seed).publicKey };
  }
  return keys;
}

/** Where a home keeps the ML-DSA-65 consensus seed. */
const MLDSA65_KEY_FILE = 'consensus-mldsa65.key';

/** Writes a home: keys (mode 0600), config and, when given, genesis. Refuses to overwrite existing keys. */
export async function writeHome(dir: string, home: { config: NodeConfig; consensusSeed: Uint8Array; mldsa65Seed?: Uint8Array; networkSeed: Uint8Array; genesis?: Genesis }): Promise<void> {
  await mkdir(join(dir, 'keys'), { recursive: true, mode: 0o700 });
  await mkdir(join(dir, 'data'), { recursive: true });
  const files: [string, Uint8Array][] = [['consensus.key', home.consensusSeed], ['network.key', home.networkSeed]];
  if (home.mldsa65Seed) files.push([MLDSA65_KEY_FILE, home.mldsa65Seed]);
  for (const [name, seed] of files) {
    const path = join(dir, 'keys', name);
    try {
      await writeFile(path, bytesToHex(seed) + '\n', { flag: 'wx', mode: 0o600 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new NodeConfigError(`${path} exists: refusing to overwrite a key (remove the home first)`);
      throw err;
    }
    await chmod(path, 0o600);
  }
  await writeFile(join(dir, 'config.json'), JSON.stringify(configJson(home.config), null, 2) + '\n');
  if (home.genesis) await writeFile(join(dir, 'genesis.json'), JSON.stringify(genesisJson(home.genesis), null, 2) + '\n');
}

function configJson(c: NodeConfig): Record<string, unknown> {
  const peers: Record<string, string> = {};
  for (const [id, a] of Object.entries(c.peers)) peers[id] = formatAddress(a);
  return { moniker: c.moniker, p2p: formatAddress(c.p2p), rpc: formatAddress(c.rpc), peers, poolThreads: c.poolThreads, ...(c.corsOrigins?.length ? { corsOrigins: c.corsOrigins } : {}) };
}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new NodeConfigError(`cannot read ${path}: ${(err as Error).message} (run \`swarmguard node init\` or \`swarmguard testnet\` first)`, { cause: err });
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new NodeConfigError(`${path} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
}

async function readSeed(path: string): Promise<Uint8Array> {
  let text: string;
  try {
    text = (await readFile(path, 'utf8')).trim();
  } catch (err) {
    throw new NodeConfigError(`cannot read the key ${path}: ${(err as Error).message}`, { cause: err });
  }
  if (!/^[0-9a-f]{64}$/i.test(text)) throw new NodeConfigError(`${path} must hold a 32-byte seed as 64 hex digits`);
  return hexToBytes(text.toLowerCase());
}

function corsOrigins(value: unknown, dir: string): string[] {
  try {
    return requireOrigins(value, 'loadHome', 'config.json corsOrigins');
  } catch (err) {
    throw new NodeConfigError(`${dir}/config.json: ${(err as Error).message}`, { cause: err });
  }
}

/** Reads and checks a home: the keys must be a validator's of its genesis (`NodeConfigError` otherwise). */
export async function loadHome(dir: string): Promise<NodeHome> {
  const where = 'loadHome';
  const genesis = parseGenesis(await readJson(join(dir, 'genesis.json')));
  const raw = requireObject<Record<string, unknown>>(await readJson(join(dir, 'config.json')), where, 'config.json');
  const consensusSeed = await readSeed(join(dir, 'keys', 'consensus.key'));
  const networkSeed = await readSeed(join(dir, 'keys', 'network.key'));
  const consensusKey = bytesToHex(nodeEd25519Signer(consensusSeed).publicKey);
  const id = genesis.validators.findIndex((v) => bytesToHex(v.consensusKey) === consensusKey);
  if (id < 0) throw new NodeConfigError(`${dir}: the consensus key ${consensusKey} is not a validator of genesis ${genesis.chainId}`);
  if (bytesToHex(nodeEd25519Signer(networkSeed).publicKey) !== bytesToHex(genesis.validators[id].networkKey)) {
    throw new NodeConfigError(`${dir}: the network key is not the one genesis lists for validator ${id}`);
  }
  const mldsa65Seed = genesis.signatures === 'ed25519+mldsa65' ? await readMlDsaSeed(dir, genesis, id) : undefined;
  const peers: Record<number, { host: string; port: number }> = {};
  for (const [key, value] of Object.entries(requireObject<Record<string, unknown>>(raw.peers ?? {}, where, 'config.json peers'))) {
    const peer = Number(key);
    if (!Number.isInteger(peer) || peer < 0 || peer >= genesis.validators.length) throw new NodeConfigError(`${dir}/config.json: peers.${key} is not a validator id`);
    peers[peer] = parseAddress(value, where, `config.json peers.${key}`);
  }
  const config: NodeConfig = {
    moniker: requireString(raw.moniker ?? genesis.validators[id].name, where, 'config.json moniker'),
    p2p: raw.p2p === undefined ? { host: '127.0.0.1', port: genesis.validators[id].p2p.port } : parseAddress(raw.p2p, where, 'config.json p2p'),
    rpc: raw.rpc === undefined ? { host: '127.0.0.1', port: DEFAULT_RPC_PORT } : parseAddress(raw.rpc, where, 'config.json rpc'),
    peers,
    poolThreads: requireInteger(raw.poolThreads ?? 1, where, 'config.json poolThreads', 0, 64),
    corsOrigins: corsOrigins(raw.corsOrigins ?? [], dir),
  };
  return { dir, id, config, genesis, consensusSeed, ...(mldsa65Seed ? { mldsa65Seed } : {}), networkSeed, dataDir: join(dir, 'data') };
}

/** The ML-DSA-65 seed of validator `id` of an 'ed25519+mldsa65' genesis: its key must be the one genesis lists. */
async function readMlDsaSeed(dir: string, genesis: Genesis, id: number): Promise<Uint8Array> {
  const path = join(dir, 'keys', MLDSA65_KEY_FILE);
  let seed: Uint8Array;
  try {
    seed = await readSeed(path);
  } catch (err) {
    throw new NodeConfigError(`${dir}: genesis ${genesis.chainId} signs with 'ed25519+mldsa65', so this validator needs its ML-DSA-65 seed: ${(err as Error).message}`, { cause: err });
  }
  if (!equalBytes(mldsa65.generateKeyPair(seed).publicKey, genesis.validators[id].mldsa65Key as Uint8Array)) {
    throw new NodeConfigError(`${dir}: the ML-DSA-65 key of ${path} is not the one genesis lists for validator ${id}`);
  }
  return seed;
}
