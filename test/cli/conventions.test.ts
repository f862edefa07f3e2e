import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const exec = promisify(execFile);
// The CLI as `npx swarmguard` runs it: the compiled entry (npm test builds dist/ first).
const cli = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

async function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('swarmguard CLI conventions', () => {
  it('help asked for goes to stdout with exit 0, at the top and for each command', async () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const r = await run(args);
      expect(r, args.join(' ')).toMatchObject({ code: 0, stderr: '' });
      expect(r.stdout).toMatch(/^usage: swarmguard <command> \[options\][\s\S]*bench <suite>[\s\S]*sim[\s\S]*--version[\s\S]*SWARMGUARD_BACKEND/);
    }
    const bench = await run(['bench', '--help']);
    expect(bench).toMatchObject({ code: 0, stderr: '' });
    expect(bench.stdout).toMatch(/--runs N .*integer 1 to 1000[\s\S]*--max-time S .*seconds[\s\S]*--json FILE/);
    const sim = await run(['sim', '-h']);
    expect(sim).toMatchObject({ code: 0, stderr: '' });
    expect(sim.stdout).toMatch(/--seed S .*integer 0 to 4294967295[\s\S]*--duration S .*seconds[\s\S]*faults: .*forge-txs/);
  });

  it("every command's usage on stdout with exit 0: `<command> --help`, `-h` and `help <command>`, even with a bad SWARMGUARD_BACKEND", async () => {
    const usages: Record<string, RegExp> = {
      bench: /^usage: swarmguard bench </,
      sim: /^usage: swarmguard sim --seed S/,
      node: /^usage: swarmguard node init --home DIR/,
      testnet: /^usage: swarmguard testnet --nodes N --dir DIR/,
      tx: /^usage: swarmguard tx send --rpc URL/,
      light: /^usage: swarmguard light verify-tx --genesis FILE/,
    };
    for (const [command, usage] of Object.entries(usages)) {
      for (const args of [[command, '--help'], [command, '-h'], ['help', command]]) {
        const r = await run(args, { SWARMGUARD_BACKEND: 'fast' });
        expect(r, args.join(' ')).toMatchObject({ code: 0, stderr: '' });
        expect(r.stdout, args.join(' ')).toMatch(usage);
      }
    }
    const unknown = await run(['help', 'frob']);
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toMatch(/unknown command 'frob'[\s\S]*^usage: swarmguard <command>/m);
  });

  it('--version and -V print the package version', async () => {
    for (const flag of ['--version', '-V']) expect(await run([flag])).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
  });

  it('a misuse prints its reason and the usage on stderr and exits 2, before any work', async () => {
    const cases: [string[], RegExp, RegExp][] = [
      [[], /which command\?/, /^usage: swarmguard <command>/m],
      [['frob'], /unknown command 'frob'/, /^usage: swarmguard <command>/m],
      [['bench'], /which suite\?/, /^usage: swarmguard bench/m],
      [['bench', 'nope'], /unknown suite 'nope'/, /^usage: swarmguard bench/m],
      [['bench', 'hash', '--runs', '0'], /--runs must be an integer from 1 to 1000, got '0'/, /^usage: swarmguard bench/m],
      [['bench', 'hash', '--max-time', 'soon'], /--max-time must be a number of seconds > 0, got 'soon'/, /^usage: swarmguard bench/m],
      [['bench', 'hash', '--bogus'], /Unknown option '--bogus'/, /^usage: swarmguard bench/m],
      [['bench', 'hash', '--json', join(tmpdir(), 'no-such-folder-swarmguard', 'h.json')], /--json: folder .* does not exist/, /^usage: swarmguard bench/m],
      [['sim', '--seed', 'abc'], /--seed must be an integer from 0 to 4294967295, got 'abc'/, /^usage: swarmguard sim/m],
      [['sim', '--seed', '1', '--faults', 'gremlins'], /unknown fault 'gremlins'/, /^usage: swarmguard sim/m],
      [['sim', '--seed', '1', '--log', join(tmpdir(), 'no-such-folder-swarmguard', 'c.log')], /--log: folder .* does not exist/, /^usage: swarmguard sim/m],
      [['sim', 'extra'], /Unexpected argument 'extra'/, /^usage: swarmguard sim/m],
      [['node', 'frob'], /unknown action 'frob'/, /^usage: swarmguard node/m],
      [['node', 'init', '--bogus'], /Unknown option '--bogus'/, /^usage: swarmguard node/m],
      [['node', 'init', '--home', join(tmpdir(), 'no-such-home'), '--p2p', 'nowhere'], /--p2p/, /^usage: swarmguard node/m],
      [['testnet', '--bogus'], /Unknown option '--bogus'/, /^usage: swarmguard testnet/m],
      [['testnet', '--nodes', 'abc', '--dir', join(tmpdir(), 'no-such-net')], /--nodes must be an integer from 4 to 64, got 'abc'/, /^usage: swarmguard testnet/m],
      [['tx', 'frob'], /unknown action 'frob'/, /^usage: swarmguard tx/m],
      [['tx', 'send', '--bogus'], /Unknown option '--bogus'/, /^usage: swarmguard tx/m],
      [['tx', 'send', '--rpc', 'http://127.0.0.1:9', '--genesis', 'g.json', '--key', 'k', '--set', 'a=b', '--wait', 'soon'], /--wait must be an integer from 0 to 3600, got 'soon'/, /^usage: swarmguard tx/m],
      [['light', 'verify-tx', '--bogus'], /Unknown option '--bogus'/, /^usage: swarmguard light/m],
      [['light', 'verify-tx', '--genesis', 'g.json', '--rpc', 'http://127.0.0.1:9', '--wait', '99', 'ab'.repeat(32)], /--wait must be an integer from 0 to 30, got '99'/, /^usage: swarmguard light/m],
    ];
    for (const [args, reason, usage] of cases) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.stderr).toMatch(reason);
      expect(r.stderr).toMatch(usage);
      expect(r.stderr.split('\n')[1], args.join(' ')).toMatch(/^usage: /); // the reason, then the usage: nothing ran
    }
  });

  it('a bad SWARMGUARD_BACKEND is a usage error of every command, found before any work', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'swarmguard-cli-'));
    const genesis = join(dir, 'genesis.json');
    expect((await run(['testnet', '--nodes', '4', '--dir', join(dir, 'net'), '--no-start'])).code).toBe(0);
    writeFileSync(genesis, readFileSync(join(dir, 'net', 'node0', 'genesis.json')));
    const id = 'ab'.repeat(32);
    const cases: [string[], RegExp][] = [
      [['sim', '--seed', '1', '--duration', '0.1'], /^usage: swarmguard sim/m],
      [['bench', 'hash', '--quick'], /^usage: swarmguard bench/m],
      [['node', 'init', '--home', join(dir, 'home')], /^usage: swarmguard node/m],
      [['testnet', '--nodes', '4', '--dir', join(dir, 'net2'), '--no-start'], /^usage: swarmguard testnet/m],
      [['tx', 'send', '--rpc', 'http://127.0.0.1:9', '--genesis', genesis, '--key', join(dir, 'alice.key'), '--set', 'a=b'], /^usage: swarmguard tx/m],
      [['light', 'verify-tx', '--genesis', genesis, '--rpc', 'http://127.0.0.1:9', id], /^usage: swarmguard light/m],
    ];
    for (const [args, usage] of cases) {
      const r = await run(args, { SWARMGUARD_BACKEND: 'fast' });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout, args.join(' ')).toBe('');
      // The reason, then the command's usage, and nothing else: no progress, no violations.
      const [reason, ...rest] = r.stderr.split('\n');
      expect(reason).toBe("swarmguard: environment: SWARMGUARD_BACKEND must be one of 'scalar', 'simd', got 'fast'");
      expect(rest[0]).toMatch(/^usage: /);
      expect(rest.join('\n')).toMatch(usage);
    }
    // Nothing was written: no home, no testnet folder, no key.
    for (const path of ['home', 'net2', 'alice.key']) expect(existsSync(join(dir, path)), path).toBe(false);
    rmSync(dir, { recursive: true });
  });

  it('a --genesis file that is missing or not a genesis is a usage error, found before keys are written or a node asked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'swarmguard-cli-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ chainId: 'x', validators: [] }));
    const missing = join(dir, 'missing.json');
    const id = 'ab'.repeat(32);
    const cases: [string[], RegExp, RegExp][] = [
      [['node', 'init', '--home', join(dir, 'home'), '--genesis', missing], /--genesis: cannot read .*missing\.json: ENOENT/, /^usage: swarmguard node/m],
      [['node', 'init', '--home', join(dir, 'home'), '--genesis', bad], /--genesis: .*bad\.json: parseGenesis: genesis\.validators must list at least 4 validators/, /^usage: swarmguard node/m],
      [['tx', 'send', '--rpc', 'http://127.0.0.1:9', '--genesis', missing, '--key', join(dir, 'alice.key'), '--set', 'a=b'], /--genesis: cannot read .*missing\.json/, /^usage: swarmguard tx/m],
      [['tx', 'status', '--rpc', 'http://127.0.0.1:9', '--genesis', bad, '--id', id], /--genesis: .*bad\.json: parseGenesis:/, /^usage: swarmguard tx/m],
    ];
    for (const [args, reason, usage] of cases) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.stderr).toMatch(reason);
      expect(r.stderr).toMatch(usage);
    }
    for (const path of ['home', 'alice.key']) expect(existsSync(join(dir, path)), path).toBe(false);
    rmSync(dir, { recursive: true });
  });

  it('sim --json says ok and counts messages; a run that breaks an invariant exits 1 (exit codes: 0 ok, 1 failed, 2 misuse)', async () => {
    const r = await run(['sim', '--seed', '7', '--duration', '0.5', '--json']);
    expect(r.code).toBe(0);
    const line = JSON.parse(r.stdout);
    expect(line).toMatchObject({ seed: 7, ok: true });
    expect(line.messages).toBeGreaterThan(0);
  });
});
