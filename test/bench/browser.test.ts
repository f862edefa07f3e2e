import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { chromiumPath, missingChromiumReason } from '../_support/browser.js';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

describe.skipIf(chromiumPath === null)(`swarmguard bench browser ${chromiumPath === null ? missingChromiumReason : ''}`, () => {
  it('--quick runs the page in Chromium and prints every subject side by side, with the page described', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'swarmguard-bench-')), 'browser.json');
    const { stdout } = await run(process.execPath, [cli, 'bench', 'browser', '--quick', '--runs', '1', '--max-time', '0.01', '--json', file], { timeout: 120_000 });
    expect(stdout).toMatch(/^Chromium \d+.* \(headless\), \d+ cores, cross-origin isolated: true, WASM SIMD: true/);
    for (const row of [/BLAKE3 1 MiB +swarmguard simd/, /BLAKE3 1 MiB +hash-wasm +[\d,.]+ MB\/s +1\.00×/, /SHA-256 1 KiB +WebCrypto \(async\)/, /Ed25519 verify \(64 B\) +@noble\/curves/, /verifyBatch\(64\), distinct keys +swarmguard scalar +[\d,]+ sig\/s/,
      /pool: verifyBatch\(1,024\), distinct keys +swarmguard pool \(\d+ workers, shared buffers\) +[\d,]+ sig\/s +[\d.]+×/,
      /pool: merkleRoot\(2\^16 leaves of 32 B\), not isolated +swarmguard pool \(\d+ workers, transfer buffers\)/]) {
      expect(stdout).toMatch(row);
    }
    const json = JSON.parse(readFileSync(file, 'utf8'));
    expect(json).toMatchObject({ suite: 'browser', quick: true, results: { crossOriginIsolated: true, features: { simd: true } } });
    expect(json.results.rows.every((r: { rate: number }) => r.rate > 0)).toBe(true);
  }, 150_000);

  it('a CHROMIUM_PATH that does not exist stops it before any work, with the reason (exit 1)', async () => {
    const err = (await run(process.execPath, [cli, 'bench', 'browser', '--quick'], { env: { ...process.env, CHROMIUM_PATH: '/nonexistent/chromium' } }).catch((e: unknown) => e)) as { code: number; stdout: string; stderr: string };
    expect(err.code).toBe(1);
    expect(err.stderr).toMatch(/CHROMIUM_PATH is \/nonexistent\/chromium, which does not exist/);
    expect(err.stdout).toBe('');
  });
});
