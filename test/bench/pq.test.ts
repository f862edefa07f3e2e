import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
// The CLI runs from the compiled package (npm test builds dist/ first), as `npx swarmguard` would.
const cli = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

const LIBRARIES = ['swarmguard simd', 'swarmguard scalar', '@noble/post-quantum', '@oqs/liboqs-js'];
const NUMBER = '[\\d,]+(?:\\.\\d)?';

describe('swarmguard bench pq (CLI)', () => {
  it('races the four libraries per parameter set, beside the native reference; pool scaling; sizes (--quick)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'swarmguard-bench-'));
    const file = join(folder, 'pq.json');
    const { stdout, stderr } = await run(process.execPath, [cli, 'bench', 'pq', '--quick', '--runs', '1', '--max-time', '0.005', '--json', file]);
    const native = { 'ML-DSA-44': '32,000', 'ML-DSA-65': '20,000', 'ML-DSA-87': '13,000' };
    for (const [set, reference] of Object.entries(native)) {
      expect(stdout).toMatch(new RegExp(`^${set}: public key [\\d,]+ B, secret key [\\d,]+ B, signature [\\d,]+ B;`, 'm'));
      const header = new RegExp(`^library +keygen +sign +verify +of native AVX2 ${reference} +batch of 64, one key +batch of 64, 64 keys$`, 'gm');
      expect(stdout.match(header)).toHaveLength(1);
    }
    for (const library of LIBRARIES) {
      // Libraries without a batch call are marked: their batch columns verify one by one.
      const mark = library.startsWith('swarmguard') ? '' : ' \\*';
      const row = new RegExp(`^${library.replace(/[/@]/g, '\\$&')} +${NUMBER} +${NUMBER} +${NUMBER} +\\d+ % +${NUMBER}${mark} +${NUMBER}${mark}$`, 'gm');
      expect(stdout.match(row), library).toHaveLength(3);
    }
    expect(stdout.match(/^swarmguard simd verify: [\d.]+x scalar, [\d.]+x @noble\/post-quantum, [\d.]+x @oqs\/liboqs-js$/gm)).toHaveLength(3);
    expect(stdout).toMatch(/^parameter set +verifyBatch inline +pool, 1 thread +pool, 2 threads +2 threads \/ 1$/m);
    expect(stdout).toMatch(new RegExp(`^ML-DSA-65 +${NUMBER} +${NUMBER} +${NUMBER} +[\\d.]+x$`, 'm'));
    expect(stdout).toMatch(/^ML-DSA-44 +1,312 +2,560 +2,420$/m);
    expect(stdout).toMatch(/^ML-DSA-65 +1,952 +4,032 +3,309$/m);
    expect(stdout).toMatch(/^ML-DSA-87 +2,592 +4,896 +4,627$/m);
    expect(stdout).not.toMatch(/skipping/);
    expect(stderr).toMatch(/machine: .*cores/);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    rmSync(folder, { recursive: true });
    expect(json).toMatchObject({ suite: 'pq', quick: true, runs: 1, results: { nativeAvx2Verify: { 'ML-DSA-44': 32000, 'ML-DSA-65': 20000, 'ML-DSA-87': 13000 } } });
    const { sets, pool } = json.results;
    expect(sets.map((s: { algorithm: string }) => s.algorithm)).toEqual(['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87']);
    for (const set of sets) {
      expect(set.rows.map((r: { library: string }) => r.library)).toEqual(LIBRARIES);
      expect(set.rows.map((r: { batched: boolean }) => r.batched)).toEqual([true, true, false, false]);
      for (const row of set.rows) for (const k of ['keygen', 'sign', 'verify', 'batchOneKey', 'batchDistinctKeys']) expect(row[k], `${set.algorithm} ${row.library} ${k}`).toBeGreaterThan(0);
    }
    expect(pool).toMatchObject({ backend: 'simd', signatures: 1024, rows: [{ algorithm: 'ML-DSA-65' }] });
    expect(pool.rows[0].twoThreads).toBeGreaterThan(0);
  }, 60_000);
});
