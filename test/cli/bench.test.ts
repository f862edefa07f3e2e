import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { type PackedApp, packedApp } from '../_support/packedApp.js';

const run = promisify(execFile);
// The CLI runs from the compiled package (npm test builds dist/ first), as `npx swarmguard` would.
const cli = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

describe('swarmguard bench (CLI)', () => {
  it('bench hash --quick prints a table on stdout, progress on stderr, and writes --json', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'swarmguard-bench-')), 'hash.json');
    const { stdout, stderr } = await run(process.execPath, [cli, 'bench', 'hash', '--quick', '--runs', '1', '--max-time', '0.005', '--json', file]);
    expect(stdout).toMatch(/blake3 +1 MiB +swarmguard simd/);
    expect(stdout).toMatch(/sha256 swarmguard simd sha256Pairs \(packed\)/);
    expect(stdout).not.toMatch(/round 1\/1/);
    expect(stderr).toMatch(/machine: .*cores/);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    expect(json.suite).toBe('hash');
    expect(json).toMatchObject({ runs: 1, maxTime: 0.005, quick: true });
    expect(json.machine.cores).toBeGreaterThan(0);
    const simdRow = json.results.throughput.find((r: { algo: string; size: number; name: string }) => r.algo === 'sha256' && r.size === 1024 && r.name === 'swarmguard simd');
    expect(simdRow.mbPerSec).toBeGreaterThan(0);
  });
});

describe('swarmguard bench where swarmguard is installed without its dev dependencies', () => {
  let app: PackedApp;
  let installedCli: string;
  beforeAll(async () => {
    app = await packedApp();
    installedCli = join(app.packageDir, 'dist/src/cli/main.js');
  });

  it('skips each comparison library that is absent, naming the package to install, on stderr and under the table', async () => {
    const r = await app.node([installedCli, 'bench', 'hash', '--quick', '--runs', '1', '--max-time', '0.005']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/blake3 +1 MiB +swarmguard simd/);
    for (const name of ['hash-wasm', '@noble/hashes']) {
      const note = `(skipping ${name}: not installed — npm install ${name} to include it)`;
      expect(r.stderr).toContain(note);
      expect(r.stdout.split('\n').filter((line) => line === note)).toHaveLength(1);
    }
  });

  it('bench pq runs its swarmguard rows without the two ML-DSA libraries, naming each to install', async () => {
    const r = await app.node([installedCli, 'bench', 'pq', '--quick', '--runs', '1', '--max-time', '0.005']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^swarmguard simd +[\d,]+ /m);
    expect(r.stdout).not.toMatch(/^@noble|^@oqs/m);
    for (const name of ['@noble/post-quantum', '@oqs/liboqs-js']) expect(r.stdout).toContain(`(skipping ${name}: not installed — npm install ${name} to include it)`);
  }, 60_000);

  it('without --quick, needs the benchmark sampler and says which package before any work (exit 1)', async () => {
    const r = await app.node([installedCli, 'bench', 'hash', '--runs', '1']);
    expect(r).toMatchObject({ code: 1, stdout: '', stderr: 'swarmguard bench (without --quick) needs benchmark, which is not installed: npm install benchmark\n' });
  });

  it('bench browser names the driver it misses', async () => {
    const r = await app.node([installedCli, 'bench', 'browser', '--quick']);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toMatch(/^bench browser needs (?:Chromium|playwright-core, which is not installed: npm install playwright-core\n$)/);
  });
});
