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

describe('swarmguard bench pipeline (CLI)', () => {
  it('measures W = 1 and 4 in the simulator (capacity and latency at one load) and in process, and writes every row (--quick)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'swarmguard-bench-'));
    const file = join(folder, 'pipeline.json');
    const { stdout } = await run(process.execPath, [cli, 'bench', 'pipeline', '--quick', '--json', file]);
    expect(stdout).toMatch(/^link ms +W +offered tx\/s +simulated s +committed tx\/s +× W=1 +p50 ms +p99 ms +blocks$/m);
    expect(stdout).toMatch(/^in-process, W=4 +\d+/m);
    const { results } = JSON.parse(readFileSync(file, 'utf8'));
    rmSync(folder, { recursive: true });
    // Two capacity rows, then W = 1 and the best W at 70 % of W=1's capacity.
    expect(results.simulated.map((r: { pipeline: number }) => r.pipeline)).toEqual([1, 4, 1, 4]);
    const [one, four, calmOne, calmFour] = results.simulated;
    // Simulated time: four slots in flight carry more than one (exact figures are in the README).
    expect(four.txPerSec).toBeGreaterThan(2 * one.txPerSec);
    expect(calmOne.offered).toBe(calmFour.offered);
    expect(results.ratios).toEqual([{ link: 100, best: 4, throughput: four.txPerSec / one.txPerSec, p99: calmFour.p99 / calmOne.p99 }]);
    expect(results.inProcess.map((r: { mode: string }) => r.mode)).toEqual(['in-process, W=1', 'in-process, W=4']);
  }, 120_000);
});
