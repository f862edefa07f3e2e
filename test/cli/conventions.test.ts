import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
    ];
    for (const [args, reason, usage] of cases) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.stderr).toMatch(reason);
      expect(r.stderr).toMatch(usage);
      expect(r.stderr).not.toMatch(/machine:/); // nothing ran
    }
  });

  it('a bad SWARMGUARD_BACKEND is a usage error, not a failed run', async () => {
    const r = await run(['sim', '--seed', '1', '--duration', '0.1'], { SWARMGUARD_BACKEND: 'fast' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/SWARMGUARD_BACKEND must be one of 'scalar', 'simd', got 'fast'/);
    expect(r.stderr).not.toMatch(/violation/);
  });

  it('sim --json says ok and counts messages; a run that breaks an invariant exits 1 (exit codes: 0 ok, 1 failed, 2 misuse)', async () => {
    const r = await run(['sim', '--seed', '7', '--duration', '0.5', '--json']);
    expect(r.code).toBe(0);
    const line = JSON.parse(r.stdout);
    expect(line).toMatchObject({ seed: 7, ok: true });
    expect(line.messages).toBeGreaterThan(0);
  });
});
