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

describe('swarmguard bench validators (CLI)', () => {
  it('builds the state, times both epoch ends step by step, draws, and prints bytes per validator (--quick)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'swarmguard-bench-'));
    const file = join(folder, 'validators.json');
    const { stdout, stderr } = await run(process.execPath, [cli, 'bench', 'validators', '--quick', '--runs', '1', '--json', file]);
    for (const row of [
      /^State: 1,000 validators .* 10,000 delegations from 5,000 accounts, 500 unbonding and 500 redelegation entries/m,
      /^endBlock on the last height +\d+\.\d +\d+\.\d/m,
      /^ {2}rewards +\d+\.\d +\d+\.\d/m,
      /^ {2}election +\d+\.\d +\d+\.\d/m,
      /^root\(\) right after +\d+\.\d +\d+\.\d/m,
      /^endBlock \+ root\(\) +\d+\.\d +\d+\.\d +≤ 50$/m,
      /^entries changed: rewards +0 +[\d,]+/m,
      /^one draw \(hash \+ find \+ remove\), µs +\d+\.\d\d +≤ 2$/m,
      /^validators +1,000 +212,004 +212 /m,
      /^whole state +[\d,]+ +[\d,]+ +[\d,]+ +[\d,]+/m,
    ]) {
      expect(stdout).toMatch(row);
    }
    expect(stderr).toMatch(/machine: .*cores/);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    rmSync(folder, { recursive: true });
    expect(json).toMatchObject({ suite: 'validators', quick: true, runs: 1 });
    const { firstEpoch, steadyEpoch, draws, memory, size } = json.results;
    expect(size).toEqual({ validators: 1000, delegations: 10000, delegators: 5000, unbonding: 500, redelegations: 500 });
    // The first epoch's committee is every genesis validator: each is paid (its reward per share,
    // pool and accrued commission rise); no delegation or account is touched, no reputation decays.
    expect(firstEpoch.committeeSize).toBe(1000);
    expect(firstEpoch.changed).toMatchObject({ validators: 1000, delegations: 0, rewards: 0, balances: 0 });
    // The steady epoch's elected committee is ⌈log2 1000⌉ = 10 (paid); everyone else's reputation decays, epoch 0's entries mature.
    expect(steadyEpoch.committeeSize).toBe(10);
    expect(steadyEpoch.changed).toMatchObject({ validators: 1000, unbonding: 500, redelegations: 500, balances: 500 });
    expect(steadyEpoch.steps.map((s: { name: string }) => s.name)).toEqual(['reputation', 'downtime', 'rewards', 'maturity', 'election', 'electorate', 'advance']);
    expect(steadyEpoch.endBlockMs).toBeGreaterThan(0);
    expect(steadyEpoch.root).toMatch(/^[0-9a-f]{64}$/);
    expect(draws.candidates).toBe(1000);
    expect(draws.drawUs).toBeGreaterThan(0);
    expect(memory.snapshotBytes).toBeGreaterThan(memory.tables.reduce((sum: number, t: { bytes: number }) => sum + t.bytes - 4, 0));
    expect(memory.tables.find((t: { name: string }) => t.name === 'validators')).toMatchObject({ entries: 1000, bytes: 212_004 });
  });
});
