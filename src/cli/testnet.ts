import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { SignatureScheme } from '../consensus/index.js';
import { DEFAULT_CONSENSUS, DEFAULT_P2P_PORT, type Genesis, newKeys, writeHome } from '../node/index.js';
import { hexToBytes } from '../bytes/index.js';
import { originsOption } from './node.js';
import { integerOption, parseStrict, signaturesOption, TESTNET_USAGE, UsageError } from './usage.js';

/** `swarmguard testnet`: writes N homes sharing one genesis, then runs one process per node. */
export async function testnetCommand(args: string[]): Promise<number> {
  const { values } = parseStrict(
    args,
    {
      nodes: { type: 'string' },
      dir: { type: 'string' },
      'base-port': { type: 'string', default: String(DEFAULT_P2P_PORT) },
      hosts: { type: 'string' },
      'chain-id': { type: 'string', default: 'swarmguard-testnet' },
      'no-start': { type: 'boolean', default: false },
      staking: { type: 'boolean', default: false },
      fund: { type: 'string' },
      'epoch-blocks': { type: 'string' },
      'cors-origins': { type: 'string' },
      signatures: { type: 'string', default: 'ed25519' },
    },
    TESTNET_USAGE,
  );
  if (values.help) {
    process.stdout.write(`${TESTNET_USAGE}\n`);
    return 0;
  }
  if (values.nodes === undefined) throw new UsageError('--nodes is required', TESTNET_USAGE);
  if (typeof values.dir !== 'string') throw new UsageError('--dir is required', TESTNET_USAGE);
  const n = integerOption(values.nodes as string, '--nodes', 4, 64, TESTNET_USAGE);
  const base = integerOption(values['base-port'] as string, '--base-port', 1, 65535 - 2 * n, TESTNET_USAGE);
  const hosts = typeof values.hosts === 'string' ? values.hosts.split(',') : Array.from({ length: n }, () => '127.0.0.1');
  if (hosts.length !== n || hosts.some((h) => h === '')) throw new UsageError(`--hosts must name ${n} hosts, got ${hosts.length}`, TESTNET_USAGE);
  const dir = resolve(values.dir);
  const homes = Array.from({ length: n }, (_, i) => join(dir, `node${i}`));
  const existing = homes.filter((h) => existsSync(join(h, 'genesis.json'))).length;
  if (existing !== 0 && existing !== n) throw new UsageError(`${dir} holds ${existing} of ${n} homes: use an empty folder or the same --nodes`, TESTNET_USAGE);
  const staking = stakingOptions(values);
  const signatures = signaturesOption(values.signatures, TESTNET_USAGE);
  if (staking && signatures !== 'ed25519') throw new UsageError(`--staking needs --signatures ed25519 (the validator state machine's keys are Ed25519), got '${signatures}'`, TESTNET_USAGE);
  const corsOrigins = originsOption(values['cors-origins'], TESTNET_USAGE);
  if (existing === 0) await writeTestnet(homes, hosts, base, values['chain-id'] as string, staking, corsOrigins, signatures);
  const rpcs = homes.map((_, i) => `http://${hosts[i]}:${base + 2 * i + 1}`);
  if (values['no-start']) {
    process.stdout.write(`${homes.map((h, i) => `${h}  rpc ${rpcs[i]}`).join('\n')}\n`);
    return 0;
  }
  return runAll(homes, rpcs);
}

/** `--staking`, `--fund`, `--epoch-blocks`, checked; null without `--staking`. */
function stakingOptions(values: Record<string, unknown>): { fund: Uint8Array[]; epochBlocks: number } | null {
  if (!values.staking) {
    if (values.fund !== undefined || values['epoch-blocks'] !== undefined) throw new UsageError('--fund and --epoch-blocks go with --staking', TESTNET_USAGE);
    return null;
  }
  const fund = typeof values.fund === 'string' ? values.fund.split(',') : [];
  for (const key of fund) if (!/^[0-9a-fA-F]{64}$/.test(key)) throw new UsageError(`--fund must list account keys of 64 hex digits, got '${key.slice(0, 70)}'`, TESTNET_USAGE);
  const epochBlocks = values['epoch-blocks'] === undefined ? 256 : integerOption(values['epoch-blocks'] as string, '--epoch-blocks', 1, 2 ** 32, TESTNET_USAGE);
  return { fund: fund.map((k) => hexToBytes(k.toLowerCase())), epochBlocks };
}

const STAKE = 1_000_000n;

async function writeTestnet(
  homes: string[],
  hosts: string[],
  base: number,
  chainId: string,
  staking: { fund: Uint8Array[]; epochBlocks: number } | null,
  corsOrigins: string[],
  signatures: SignatureScheme,
): Promise<void> {
  const hybrid = signatures !== 'ed25519';
  const keys = homes.map(() => newKeys({ mldsa65: hybrid }));
  const genesis: Genesis = {
    chainId,
    genesisTime: new Date().toISOString(),
    ...(hybrid ? { signatures } : {}),
    validators: keys.map((k, i) => ({
      name: `node${i}`,
      consensusKey: k.consensusKey,
      ...(k.mldsa65Key ? { mldsa65Key: k.mldsa65Key } : {}),
      networkKey: k.networkKey,
      p2p: { host: hosts[i], port: base + 2 * i },
    })),
    consensus: { ...DEFAULT_CONSENSUS },
  };
  if (staking) {
    genesis.staking = {
      accounts: [...keys.map((k) => k.consensusKey), ...staking.fund].map((account) => ({ account, balance: STAKE })),
      validators: keys.map(() => ({ operator: null, selfBond: STAKE, commission: 500 })),
      params: { epochBlocks: staking.epochBlocks, reconfigure: false },
    };
  }
  for (let i = 0; i < homes.length; i++) {
    await writeHome(homes[i], {
      config: { moniker: `node${i}`, p2p: { host: hosts[i], port: base + 2 * i }, rpc: { host: hosts[i], port: base + 2 * i + 1 }, peers: {}, poolThreads: 1, corsOrigins },
      consensusSeed: keys[i].consensusSeed,
      ...(keys[i].mldsa65Seed ? { mldsa65Seed: keys[i].mldsa65Seed } : {}),
      networkSeed: keys[i].networkSeed,
      genesis,
    });
  }
}

/** Starts every node as a child process; on SIGINT/SIGTERM stops them all and waits for them. */
async function runAll(homes: string[], rpcs: string[]): Promise<number> {
  const main = fileURLToPath(new URL('./main.js', import.meta.url));
  const children: ChildProcess[] = homes.map((home, i) => {
    const child = spawn(process.execPath, [main, 'node', 'start', '--home', home], { stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream as NodeJS.ReadableStream }).on('line', (line) => process.stderr.write(`[node${i}] ${line}\n`));
    }
    return child;
  });
  process.stdout.write(`${rpcs.map((r, i) => `node${i} rpc ${r}`).join('\n')}\n`);
  const exits = children.map(
    (c, i) =>
      new Promise<number>((done) =>
        c.once('exit', (code, signal) => {
          if (code !== 0) process.stderr.write(`swarmguard: node${i} exited with ${code === null ? `signal ${signal}` : `code ${code}`}\n`);
          done(code ?? 1);
        }),
      ),
  );
  // Each node is told once: a second signal could reach a node while it exits, when Node has put
  // the default handlers back, and kill it mid-exit. Ctrl-C in a terminal reaches the nodes too
  // (one process group), so on SIGINT they get a second to stop on their own first.
  let stopping = false;
  const tell = () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  };
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    if (signal === 'SIGTERM') tell();
    else setTimeout(tell, 1000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const codes = await Promise.all(exits);
  return codes.every((c) => c === 0) ? 0 : 1;
}
