import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { BENCH_SUITES } from '../bench/index.js';
import { SIGNATURE_SCHEMES, type SignatureScheme } from '../consensus/index.js';
import { EPOCH_FAULTS, FAULTS } from '../sim/index.js';

// Usage texts and the one rule for misuse: the reason and the command's usage on stderr, exit 2,
// before any work starts. Help asked for goes to stdout with exit 0.

export const BENCH_USAGE = `usage: swarmguard bench <${BENCH_SUITES.join('|')}> [options]
  --runs N        rounds per figure; each figure is their median (integer 1 to 1000, default 5)
  --max-time S    seconds each subject runs per round at most (seconds > 0, default 0.5)
  --quick         a short look: fewer rounds and sizes (each suite within about 15 s)
  --json FILE     also write the raw figures as JSON to FILE (its folder must exist)
  -h, --help      this text
bench cluster only:
  --nodes N          validator processes (integer 4 to 16, default 4)
  --rate R           tx/s offered to find saturation (integer >= 1, default 12000, --quick 300; raised by half, twice at most, while 90 % of it commits)
  --duration S       seconds of each load phase (seconds > 0, default 10, --quick 1)
  --sync-blocks N    blocks of 100 a stopped node falls behind before its restart (integer >= 1, default 1000;
                     --quick runs no state sync unless this is given)
  --pipeline W       genesis.consensus.pipeline, blocks in flight (integer 1 to 64, default 8)`;

export const SIM_USAGE = `usage: swarmguard sim --seed S [options]
       swarmguard sim --seeds COUNT [--seed FIRST] [options]   (soak: COUNT seeds from FIRST, each drawing its own faults)
  --seed S          the seed (integer 0 to 4294967295); with --seeds the first one (default 1)
  --seeds COUNT     run COUNT consecutive seeds (integer >= 1, up to the last seed 4294967295)
  --replicas N      validators (integer 4 to 64, default 4)
  --byzantine K     Byzantine validators (integer 0 to f; default f)
  --faults LIST     comma-separated faults (default: the seed draws them)
  --duration S      simulated seconds per seed (seconds > 0, default 10)
  --pipeline W      blocks in flight at once (integer 1 to 16; default: the seed draws 1, 2, 4 or 8)
  --epoch-blocks L  epoch reconfiguration: a committee of --replicas elected every L blocks (a multiple of 8)
  --candidates C    with --epoch-blocks: hosts that may be elected (integer replicas + 1 to 64, default replicas + 3);
                    faults then: ${EPOCH_FAULTS.join(',')}
  --signatures S    the network's consensus signatures: ed25519 (default) or ed25519+mldsa65
                    (every message signed with Ed25519 and ML-DSA-65, both verified; not with --epoch-blocks)
  --json            one JSON summary line per seed on stdout
  --log FILE        write every commit as a JSON line to FILE (its folder must exist)
  -h, --help        this text
faults: ${FAULTS.join(',')}`;

export const NODE_USAGE = `usage: swarmguard node init --home DIR [--moniker NAME] [--p2p HOST:PORT] [--rpc HOST:PORT] [--genesis FILE] [--cors-origins LIST]
       swarmguard node start --home DIR
       swarmguard node reset --home DIR        (deletes DIR/data: the node state-syncs from its peers at next start)
  --home DIR       the node's folder: config.json, genesis.json, keys/, data/
  --moniker NAME   its name (default: the folder's name)
  --p2p HOST:PORT  where the peer listener binds (default 127.0.0.1:26656)
  --rpc HOST:PORT  where the RPC server binds (default 127.0.0.1:26657)
  --genesis FILE   copy this genesis.json into the home
  --cors-origins LIST
                   comma-separated origins of web pages that may call the RPC, e.g.
                   http://127.0.0.1:5173 (a light client in a page), or * for any (default none)
  --signatures S   the network's consensus signatures: ed25519 (default, or what --genesis says) or
                   ed25519+mldsa65 (also writes keys/consensus-mldsa65.key)
  -h, --help       this text
init prints the validator entry (name, consensusKey, [mldsa65Key,] networkKey, p2p) that genesis.json lists.
start runs until SIGINT or SIGTERM, then finishes the writes in flight and closes.`;

export const TESTNET_USAGE = `usage: swarmguard testnet --nodes N --dir DIR [options]
  --nodes N         validators (integer 4 to 64)
  --dir DIR         one home per node, DIR/node0 … (existing homes are reused as they are)
  --base-port P     a TCP port: node i listens for peers on P + 2i and serves RPC on P + 2i + 1 (default 26656)
  --hosts LIST      comma-separated host per node, for a multi-host network (default 127.0.0.1 for all)
  --chain-id ID     the chain id (default swarmguard-testnet)
  --no-start        write the homes and genesis only
  --staking         run the validator state machine: each validator self-bonds 1,000,000 and its
                    operator (its consensus key) holds 1,000,000 more (docs/validators.md)
  --fund LIST       comma-separated account keys (64 hex digits each) given 1,000,000 each (with --staking)
  --epoch-blocks N  blocks per staking epoch (default 256, a multiple of the checkpoint interval 64)
  --cors-origins LIST
                    comma-separated origins of web pages that may call every node's RPC (or *; default none)
  --signatures S    the network's consensus signatures: ed25519 (default) or ed25519+mldsa65 (every
                    message signed with Ed25519 and ML-DSA-65; each home gets keys/consensus-mldsa65.key)
  -h, --help        this text
Starts one OS process per node, prints their RPC addresses, and stops them all on Ctrl-C.`;

export const TX_USAGE = `usage: swarmguard tx send --rpc URL --genesis FILE --key FILE [--nonce N] (--set KEY=VALUE | --payload HEX | STAKING) [--wait S]
       swarmguard tx status --rpc URL --genesis FILE --id HEX
  --rpc URL        a node's RPC address (e.g. http://127.0.0.1:26657)
  --genesis FILE   the network's genesis.json: commit proofs are checked against its validators, not the node's word
  --key FILE       a file holding the sender's 32-byte Ed25519 seed as hex (created when missing)
  --nonce N        the sender's nonce (integer >= 1; default: the node's last executed one + 1)
  --set KEY=VALUE  a key-value store write as the payload
  --payload HEX    raw payload bytes
staking (a network whose genesis has a staking section; accounts and validators are 64 hex digits):
  --transfer TO --amount N           move N tokens to account TO
  --delegate VALIDATOR --amount N    bond N tokens to a validator (its operator account)
  --unbond VALIDATOR --amount N      start unbonding N tokens
  --redelegate FROM,TO --amount N    move N bonded tokens between validators
  --unjail                           end the jail of the sender's validator
  --withdraw                         move earned rewards to the balance
  --wait S         seconds to wait for the commit proof (integer 0 to 3600, default 30; 0: do not wait)
  --id HEX         a transaction id
  -h, --help       this text`;

export const USAGE = `usage: swarmguard <command> [options]
commands:
  bench <suite>   race swarmguard against the libraries people use (${BENCH_SUITES.join(', ')})
  sim             run the seeded PBFT simulator, one seed or a soak
  node            init, start or reset a validator node
  testnet         write and run an N-validator network on this machine
  tx              send a signed transaction and verify its commit proof; a transaction's status
  light           verify a transaction as a light client: its proof and the headers up to it, from genesis
options:
  -h, --help      this text; 'swarmguard <command> --help' for a command's options
  -V, --version   the package version
environment:
  SWARMGUARD_BACKEND=scalar|simd   force a WASM build (default: simd where supported)`;

export const LIGHT_USAGE = `usage: swarmguard light verify-tx --genesis FILE --rpc URL[,URL…] [--wait S] ID
  --genesis FILE   the network's genesis.json: the validator set every certificate is checked against
  --rpc LIST       comma-separated RPC addresses of nodes to ask (e.g. http://127.0.0.1:26657), each checked on its own
  --wait S         seconds a node may hold the request while the transaction is pending (integer 0 to 30, default 0)
  -h, --help       this text
Prints the verdict as JSON, with every lie a node told; exits 0 when the transaction is proven committed,
1 when it is not (pending, unknown, or no node proved it), 2 on a misuse.`;

/** A misuse of the command line: `main` prints the reason and `usage` on stderr and exits 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** `--signatures S`: a signature scheme's name, or a UsageError. */
export function signaturesOption(value: unknown, usage: string): SignatureScheme {
  if (!SIGNATURE_SCHEMES.includes(value as SignatureScheme)) throw new UsageError(`--signatures must be one of ${SIGNATURE_SCHEMES.join(', ')}, got '${String(value)}'`, usage);
  return value as SignatureScheme;
}

/** `value` as an integer in [min, max], or a UsageError naming the option. */
export function integerOption(value: string, option: string, min: number, max: number, usage: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`${option} must be an integer from ${min} to ${max}, got '${value}'`, usage);
  }
  return n;
}

/** `value` as a number of seconds > 0, or a UsageError naming the option. */
export function secondsOption(value: string, option: string, usage: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(n > 0) || !Number.isFinite(n)) throw new UsageError(`${option} must be a number of seconds > 0, got '${value}'`, usage);
  return n;
}

/** The folder `file` is to be written in exists: checked before the work, not after it. */
export function writableFileOption(file: string, option: string, usage: string): string {
  const folder = dirname(resolve(file));
  let ok = false;
  try {
    ok = statSync(folder).isDirectory();
  } catch {
    ok = false;
  }
  if (!ok) throw new UsageError(`${option}: folder ${folder} does not exist`, usage);
  return file;
}

/** Parses `args` strictly; an unknown option or a missing value is a UsageError. */
export function parseStrict(
  args: string[],
  options: NonNullable<ParseArgsConfig['options']>,
  usage: string,
  allowPositionals = false,
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const parsed = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h', default: false } }, strict: true, allowPositionals });
    return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals };
  } catch (err) {
    // node:util's message goes on to explain `--`; the first sentence is the reason.
    throw new UsageError((err as Error).message.split('. ')[0], usage);
  }
}
