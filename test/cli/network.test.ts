import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../../src/bytes/index.js';
import { ed25519 } from '../../src/sig/index.js';
import { freePorts, spawnProcess, waitFor } from '../_support/processes.js';

// `swarmguard node`, `testnet` and `tx` as a user runs them: real processes on loopback.

const exec = promisify(execFile);
const cli = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [cli, ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function consecutiveFreePorts(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const [start] = await freePorts(1);
    if (start + count > 65535) continue;
    let ok = true;
    for (let p = start; p < start + count && ok; p++) ok = await canBind(p);
    if (ok) return start;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}

async function temp(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'swarmguard-cli-'));
  dirs.push(d);
  return d;
}

/** `swarmguard testnet --nodes 4` in `dir` on eight consecutive free ports, once every node answers /health with 200. */
async function startTestnet(dir: string, extra: string[]) {
  // A collision after this check would fail the start, not pass the test.
  const base = await consecutiveFreePorts(8);
  const net = await spawnProcess(process.execPath, [cli, 'testnet', '--nodes', '4', '--dir', dir, '--base-port', String(base), ...extra], { logPrefix: 'testnet' });
  await net.waitForLine(/node3 rpc http:\/\/127\.0\.0\.1:\d+/, 30_000);
  for (let i = 0; i < 4; i++) {
    const url = `http://127.0.0.1:${base + 2 * i + 1}/health`;
    await waitFor(async () => ((await fetch(url).catch(() => null))?.status === 200 ? true : null), { timeoutMs: 30_000, intervalMs: 100 });
  }
  return { net, base, rpc: `http://127.0.0.1:${base + 1}` };
}

describe('swarmguard node, testnet and tx', () => {
  it('misuse exits 2 with the reason and the usage, before any work', async () => {
    const cases: [string[], RegExp, RegExp][] = [
      [['node'], /which action\? \(init, start or reset\)/, /^usage: swarmguard node init/m],
      [['node', 'start'], /--home is required/, /^usage: swarmguard node/m],
      [['node', 'init', '--home', '/tmp/x', '--p2p', 'nowhere'], /--p2p must be host:port/, /^usage: swarmguard node/m],
      [['testnet', '--nodes', '3', '--dir', '/tmp/x'], /--nodes must be an integer from 4 to 64, got '3'/, /^usage: swarmguard testnet/m],
      [['testnet', '--nodes', '4'], /--dir is required/, /^usage: swarmguard testnet/m],
      [['testnet', '--nodes', '4', '--dir', '/tmp/x', '--hosts', 'a,b'], /--hosts must name 4 hosts, got 2/, /^usage: swarmguard testnet/m],
      [['tx', 'send', '--rpc', 'http://127.0.0.1:1'], /--genesis is required/, /^usage: swarmguard tx send/m],
      [['tx', 'status', '--rpc', 'http://x', '--genesis', 'g', '--id', 'xyz'], /--id must be 64 hex digits/, /^usage: swarmguard tx/m],
      [['testnet', '--nodes', '4', '--dir', '/tmp/x', '--fund', 'ab'], /--fund and --epoch-blocks go with --staking/, /^usage: swarmguard testnet/m],
      [['testnet', '--nodes', '4', '--dir', '/tmp/x', '--cors-origins', 'localhost:5173'], /--cors-origins\[0\] must be an origin/, /^usage: swarmguard testnet/m],
      [['node', 'init', '--home', '/tmp/x', '--cors-origins', 'http://a/b'], /--cors-origins\[0\] must be an origin/, /^usage: swarmguard node/m],
      [['testnet', '--nodes', '4', '--dir', '/tmp/x', '--staking', '--fund', 'ab'], /--fund must list account keys of 64 hex digits/, /^usage: swarmguard testnet/m],
      [['tx', 'send', '--rpc', 'http://x', '--genesis', 'g', '--key', 'k', '--delegate', 'zz', '--amount', '5'], /--delegate must be 64 hex digits/, /^usage: swarmguard tx/m],
      [['tx', 'send', '--rpc', 'http://x', '--genesis', 'g', '--key', 'k', '--unbond', 'ab'.repeat(32), '--amount', '0'], /--amount must be an integer from 1 to 2\^64/, /^usage: swarmguard tx/m],
      [['tx', 'send', '--rpc', 'http://x', '--genesis', 'g', '--key', 'k', '--unjail', '--withdraw'], /one action per transaction, got --unjail --withdraw/, /^usage: swarmguard tx/m],
      [['tx', 'send', '--rpc', 'http://x', '--genesis', 'g', '--key', 'k', '--redelegate', 'ab'.repeat(32), '--amount', '1'], /--redelegate must be FROM,TO/, /^usage: swarmguard tx/m],
      [['testnet', '--nodes', '4', '--dir', '/tmp/x', '--signatures', 'mldsa65'], /--signatures must be one of ed25519, ed25519\+mldsa65, got 'mldsa65'/, /^usage: swarmguard testnet/m],
      [['testnet', '--nodes', '4', '--dir', '/tmp/x', '--signatures', 'ed25519+mldsa65', '--staking'], /--staking needs --signatures ed25519/, /^usage: swarmguard testnet/m],
      [['node', 'init', '--home', '/tmp/x', '--signatures', 'rsa'], /--signatures must be one of ed25519, ed25519\+mldsa65, got 'rsa'/, /^usage: swarmguard node/m],
    ];
    for (const [args, reason, usage] of cases) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(reason);
      expect(r.stderr).toMatch(usage);
    }
    const home = await temp();
    const missing = await run(['node', 'start', '--home', home]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*genesis\.json/);
  });

  it('node init writes secret keys and prints the validator entry for genesis', async () => {
    const home = join(await temp(), 'v0');
    const r = await run(['node', 'init', '--home', home, '--moniker', 'alpha', '--p2p', '127.0.0.1:4000']);
    expect(r.code).toBe(0);
    const entry = JSON.parse(r.stdout) as Record<string, string>;
    expect(entry).toMatchObject({ name: 'alpha', p2p: '127.0.0.1:4000' });
    expect(entry.consensusKey).toMatch(/^[0-9a-f]{64}$/);
    expect(entry.networkKey).toMatch(/^[0-9a-f]{64}$/);
    expect((await stat(join(home, 'keys', 'network.key'))).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(join(home, 'config.json'), 'utf8'))).toMatchObject({ moniker: 'alpha', p2p: '127.0.0.1:4000', rpc: '127.0.0.1:26657' });
    expect((await run(['node', 'init', '--home', home])).code).toBe(1);
  });

  it("node init --signatures ed25519+mldsa65 also writes the ML-DSA-65 seed and prints its key; a genesis of another scheme is a misuse", async () => {
    const dir = await temp();
    const r = await run(['node', 'init', '--home', join(dir, 'v0'), '--signatures', 'ed25519+mldsa65']);
    expect(r.code, r.stderr).toBe(0);
    const entry = JSON.parse(r.stdout) as Record<string, string>;
    expect(Object.keys(entry)).toEqual(['name', 'consensusKey', 'mldsa65Key', 'networkKey', 'p2p']);
    expect(entry.mldsa65Key).toMatch(/^[0-9a-f]{3904}$/);
    expect((await stat(join(dir, 'v0', 'keys', 'consensus-mldsa65.key'))).mode & 0o777).toBe(0o600);
    expect((await run(['testnet', '--nodes', '4', '--dir', join(dir, 'net'), '--no-start'])).code).toBe(0);
    const mixed = await run(['node', 'init', '--home', join(dir, 'v1'), '--genesis', join(dir, 'net', 'node0', 'genesis.json'), '--signatures', 'ed25519+mldsa65']);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/--signatures ed25519\+mldsa65: the genesis given signs with 'ed25519'/);
  });

  it('a testnet signing with ed25519+mldsa65 commits a transaction sent with tx send, proved against its genesis', async () => {
    const dir = await temp();
    const { net, rpc } = await startTestnet(dir, ['--signatures', 'ed25519+mldsa65']);
    const genesis = join(dir, 'node0', 'genesis.json');
    const json = JSON.parse(await readFile(genesis, 'utf8')) as { signatures: string; validators: { mldsa65Key: string }[] };
    expect(json.signatures).toBe('ed25519+mldsa65');
    expect(json.validators.every((v) => v.mldsa65Key.length === 3904)).toBe(true);
    const sent = await run(['tx', 'send', '--rpc', rpc, '--genesis', genesis, '--key', join(dir, 'hera.key'), '--set', 'scheme=hybrid', '--wait', '20']);
    expect(sent.code, sent.stderr).toBe(0);
    expect(JSON.parse(sent.stdout)).toMatchObject({ status: 'committed', proofVerified: true });
    net.signalGroup('SIGINT');
    expect((await net.terminate(20_000)).code, net.report()).toBe(0);
  }, 120_000);

  it('a testnet of four processes commits a transaction sent with tx send, proved against genesis; Ctrl-C stops every node', async () => {
    const dir = await temp();
    const { net, base, rpc } = await startTestnet(dir, []);
    const genesis = join(dir, 'node0', 'genesis.json');
    const key = join(dir, 'alice.key');
    const sent = await run(['tx', 'send', '--rpc', rpc, '--genesis', genesis, '--key', key, '--set', 'colour=blue', '--wait', '20']);
    expect(sent.code, sent.stderr).toBe(0);
    const result = JSON.parse(sent.stdout) as { id: string; status: string; proofVerified: boolean; height: number };
    expect(result).toMatchObject({ status: 'committed', proofVerified: true });
    // The next one without --nonce takes the node's last executed nonce + 1, sent to a backup.
    const second = await run(['tx', 'send', '--rpc', `http://127.0.0.1:${base + 3}`, '--genesis', genesis, '--key', key, '--set', 'colour=red', '--wait', '20']);
    expect(second.code, second.stderr).toBe(0);
    const status = await run(['tx', 'status', '--rpc', `http://127.0.0.1:${base + 7}`, '--genesis', genesis, '--id', result.id]);
    expect(JSON.parse(status.stdout)).toMatchObject({ id: result.id, status: 'committed', proofVerified: true, height: result.height });
    net.signalGroup('SIGINT');
    const exit = await net.terminate(20_000);
    expect(exit.code, net.report()).toBe(0);
    expect(net.lines().filter((l) => /node \d stopped at height \d+/.test(l))).toHaveLength(4);
  }, 120_000);

  it('a staking testnet: tx send delegates and reports a refused staking transaction; the RPC shows the stake', async () => {
    const dir = await temp();
    const key = join(dir, 'alice.key');
    await writeFile(key, `${'11'.repeat(32)}\n`, { mode: 0o600 });
    const alice = bytesToHex(ed25519.getPublicKey(hexToBytes('11'.repeat(32))));
    const { net, rpc } = await startTestnet(dir, ['--staking', '--fund', alice, '--epoch-blocks', '64']);
    const genesis = join(dir, 'node0', 'genesis.json');
    const validator = (JSON.parse(await readFile(genesis, 'utf8')) as { validators: { consensusKey: string }[] }).validators[2].consensusKey;
    const sent = await run(['tx', 'send', '--rpc', rpc, '--genesis', genesis, '--key', key, '--delegate', validator, '--amount', '250000', '--wait', '20']);
    expect(sent.code, sent.stderr).toBe(0);
    expect(JSON.parse(sent.stdout)).toMatchObject({ status: 'committed', proofVerified: true, staking: { ok: true } });
    const refused = await run(['tx', 'send', '--rpc', rpc, '--genesis', genesis, '--key', key, '--transfer', validator, '--amount', '999999999', '--wait', '20']);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ status: 'committed', staking: { ok: false, reason: 'insufficient-funds' } });
    const account = (await (await fetch(`${rpc}/v1/staking/${alice}`)).json()) as Record<string, unknown>;
    expect(account).toMatchObject({ balance: '750000', delegations: [{ validator, tokens: '250000' }] });
    net.signalGroup('SIGINT');
    expect((await net.terminate(20_000)).code, net.report()).toBe(0);
  }, 120_000);
});
