import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

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
