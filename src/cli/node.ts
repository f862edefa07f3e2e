import { rm } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { bytesToHex } from '../bytes/index.js';
import { DEFAULT_P2P_PORT, DEFAULT_RPC_PORT, NodeConfigError, newKeys, parseAddress, requireOrigins, runNode, writeHome } from '../node/index.js';
import { genesisOption } from './genesisFile.js';
import { NODE_USAGE, parseStrict, signaturesOption, UsageError } from './usage.js';

function address(value: string | boolean | undefined, option: string, fallback: { host: string; port: number }): { host: string; port: number } {
  if (value === undefined) return fallback;
  try {
    return parseAddress(value, 'swarmguard node', option);
  } catch (err) {
    throw new UsageError((err as Error).message, NODE_USAGE);
  }
}

/** `--cors-origins LIST` (comma-separated origins, or `*`) checked; none when absent. */
export function originsOption(value: string | boolean | undefined, usage: string): string[] {
  if (typeof value !== 'string') return [];
  try {
    return requireOrigins(value.split(','), 'swarmguard', '--cors-origins');
  } catch (err) {
    throw new UsageError((err as Error).message, usage);
  }
}

/** `swarmguard node init|start|reset`. */
export async function nodeCommand(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  if (action === '-h' || action === '--help') {
    process.stdout.write(`${NODE_USAGE}\n`);
    return 0;
  }
  if (action !== 'init' && action !== 'start' && action !== 'reset') throw new UsageError(action === undefined ? 'which action? (init, start or reset)' : `unknown action '${action}'`, NODE_USAGE);
  const { values } = parseStrict(
    rest,
    action === 'init'
      ? { home: { type: 'string' }, moniker: { type: 'string' }, p2p: { type: 'string' }, rpc: { type: 'string' }, genesis: { type: 'string' }, 'cors-origins': { type: 'string' }, signatures: { type: 'string' } }
      : { home: { type: 'string' } },
    NODE_USAGE,
  );
  if (values.help) {
    process.stdout.write(`${NODE_USAGE}\n`);
    return 0;
  }
  if (typeof values.home !== 'string') throw new UsageError('--home is required', NODE_USAGE);
  const home = resolve(values.home);
  if (action === 'init') return init(home, values);
  if (action === 'reset') {
    await rm(join(home, 'data'), { recursive: true, force: true });
    process.stderr.write(`swarmguard: removed ${join(home, 'data')}; the node will state-sync from its peers when it starts\n`);
    return 0;
  }
  return start(home);
}

async function init(home: string, values: Record<string, string | boolean | undefined>): Promise<number> {
  const p2p = address(values.p2p, '--p2p', { host: '127.0.0.1', port: DEFAULT_P2P_PORT });
  const rpc = address(values.rpc, '--rpc', { host: '127.0.0.1', port: DEFAULT_RPC_PORT });
  const corsOrigins = originsOption(values['cors-origins'], NODE_USAGE);
  const genesis = typeof values.genesis === 'string' ? await genesisOption(values.genesis, NODE_USAGE) : undefined;
  // The scheme is the network's: a given genesis decides it, and --signatures may only agree.
  const signatures = values.signatures === undefined ? (genesis?.signatures ?? 'ed25519') : signaturesOption(values.signatures, NODE_USAGE);
  if (genesis && (genesis.signatures ?? 'ed25519') !== signatures) throw new UsageError(`--signatures ${signatures}: the genesis given signs with '${genesis.signatures ?? 'ed25519'}'`, NODE_USAGE);
  const keys = newKeys({ mldsa65: signatures !== 'ed25519' });
  const moniker = typeof values.moniker === 'string' ? values.moniker : basename(home);
  const seeds = { consensusSeed: keys.consensusSeed, ...(keys.mldsa65Seed ? { mldsa65Seed: keys.mldsa65Seed } : {}), networkSeed: keys.networkSeed };
  await writeHome(home, { config: { moniker, p2p, rpc, peers: {}, poolThreads: 1, corsOrigins }, ...seeds, genesis });
  process.stderr.write(`swarmguard: wrote ${home} (keys/ is secret: mode 0600)${genesis ? '' : '; add the entry below to genesis.json and copy it into the home'}\n`);
  const mldsa65Key = keys.mldsa65Key ? { mldsa65Key: bytesToHex(keys.mldsa65Key) } : {};
  process.stdout.write(`${JSON.stringify({ name: moniker, consensusKey: bytesToHex(keys.consensusKey), ...mldsa65Key, networkKey: bytesToHex(keys.networkKey), p2p: `${p2p.host}:${p2p.port}` })}\n`);
  return 0;
}

/**
 * Runs until SIGINT/SIGTERM; a second signal a second or more later exits at once. (Ctrl-C under
 * `testnet` reaches a node twice together: from the terminal, to the whole process group, and
 * from `testnet` passing it on.)
 */
async function start(home: string): Promise<number> {
  let running;
  try {
    running = await runNode(home);
  } catch (err) {
    if (err instanceof NodeConfigError) throw new UsageError(err.message, NODE_USAGE);
    throw err;
  }
  const { node, rpc, p2p } = running;
  const s = node.status();
  if (!running.metrics) process.stderr.write('swarmguard: /metrics answers 503: prom-client is not installed (npm install prom-client)\n');
  process.stdout.write(`node ${node.id} (${s.name}) started: chain ${s.chainId}, height ${node.startedFrom.height}, rpc http://${rpc.host}:${rpc.port}, p2p ${p2p.host}:${p2p.port}\n`);
  await new Promise<void>((done) => {
    let stoppingSince = 0;
    const onSignal = (signal: string) => {
      if (stoppingSince > 0) {
        if (Date.now() - stoppingSince >= 1000) process.exit(130);
        return;
      }
      stoppingSince = Date.now();
      process.stderr.write(`swarmguard: ${signal}: stopping node ${node.id} (finishing writes in flight)\n`);
      running.stop().then(done, (err) => {
        process.stderr.write(`swarmguard: stop failed: ${(err as Error).message}\n`);
        done();
      });
    };
    process.on('SIGINT', () => onSignal('SIGINT'));
    process.on('SIGTERM', () => onSignal('SIGTERM'));
  });
  process.stdout.write(`node ${node.id} stopped at height ${node.status().height}\n`);
  return 0;
}
