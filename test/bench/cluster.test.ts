import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
// The CLI runs from the compiled package (npm test builds dist/ first), as `npx swarmguard` would.
const cli = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));
const PREFIX = 'swarmguard-bench-cluster-';

const clusterDirs = () => new Set(readdirSync(tmpdir()).filter((name) => name.startsWith(PREFIX)));

/** Processes whose command line holds `text` (the node processes run with `--home <dir>/nodeN`). */
function processesUsing(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text)) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

describe('swarmguard bench cluster (CLI)', () => {
  it('runs node processes and a load generator end to end and prints every figure (--quick)', async () => {
    const before = clusterDirs();
    const folder = mkdtempSync(join(tmpdir(), 'swarmguard-bench-'));
    const file = join(folder, 'cluster.json');
    const { stdout, stderr } = await run(process.execPath, [cli, 'bench', 'cluster', '--quick', '--runs', '1', '--duration', '1', '--sync-blocks', '10', '--pipeline', '2', '--json', file]);
    for (const row of [
      /^committed tx\/s at saturation \(offered 300 tx\/s/m,
      /^ {2}÷ in-process n=4: skipped in --quick/m,
      /^p50 \/ p99 submit-to-proof at 50 % /m,
      /^p50 \/ p99 submit-to-proof at 90 % /m,
      /^commit proofs checked by the load generator .* +(\d+) of \1 /m,
      /^recovery: restart → it commits again \(s\) +\d+\.\d\d /m,
      /^state sync: \d+ blocks of 100 .* behind, restart → network height \(s\) +\d+\.\d\d /m,
      /^state sync: what it did +checkpoint \d+ +[\d,]+ blocks \([\d,]+ txs\) replayed, [\d,]+ signatures verified/m,
      /^node0 \(primary\) +\d+\.\d\d/m,
      /^load generator +\d+\.\d\d/m,
      /blocks of 1,000, W = 2 in flight\./,
    ]) {
      expect(stdout).toMatch(row);
    }
    expect(stderr).toMatch(/machine: .*cores/);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    rmSync(folder, { recursive: true });
    expect(json).toMatchObject({ suite: 'cluster', quick: true, runs: 1, duration: 1, syncBlocks: 10 });
    const [only] = json.results.runs;
    expect(only.saturation.committedPerSec).toBeGreaterThan(0);
    expect(only.at50.samples).toBeGreaterThan(0);
    expect(only.at50.load.proofsVerified).toBeGreaterThan(0);
    expect(only.at50.load.proofsFailed).toBe(0);
    expect(only.saturation.processes).toHaveLength(5);
    expect(json.results.stateSync.blocksBehind).toBeGreaterThanOrEqual(10);
    expect(json.results.stateSync.blocksReplayed).toBeGreaterThan(0);
    expect(json.results.stateSync.signaturesVerified).toBeGreaterThan(0);
    // Every folder it wrote is gone again.
    expect([...clusterDirs()].filter((d) => !before.has(d))).toEqual([]);
  });

  it('on Ctrl-C kills every node process it started and removes their folders, exit 130', async () => {
    const before = clusterDirs();
    const child = spawn(process.execPath, [cli, 'bench', 'cluster', '--quick', '--runs', '1', '--duration', '1'], { stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // Interrupted once the first run's cluster is up and under load.
    await new Promise<void>((resolve) => createInterface({ input: child.stderr }).on('line', (line) => line.includes('saturation:') && resolve()));
    const dirs = [...clusterDirs()].filter((d) => !before.has(d)).map((d) => join(tmpdir(), d));
    expect(dirs.length).toBeGreaterThan(0);
    expect(dirs.flatMap(processesUsing).length).toBeGreaterThan(0);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    // SIGKILL is delivered at once; give the kernel a moment to take the processes down.
    for (let i = 0; i < 50 && [...dirs, 'cluster/loadGenerator.js'].flatMap(processesUsing).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    for (const dir of dirs) {
      expect(existsSync(dir)).toBe(false);
      expect(processesUsing(dir)).toEqual([]);
    }
    expect(processesUsing('cluster/loadGenerator.js')).toEqual([]);
  });

  it('refuses its options on another suite, and out-of-range values, before any work (exit 2)', async () => {
    for (const [args, message] of [
      [['bench', 'hash', '--nodes', '4'], /--nodes applies to bench cluster only/],
      [['bench', 'cluster', '--rate', '0'], /--rate must be an integer from 1 to/],
      [['bench', 'cluster', '--nodes', '3'], /--nodes must be an integer from 4 to 16/],
      [['bench', 'cluster', '--duration', 'soon'], /--duration must be a number of seconds > 0/],
      [['bench', 'cluster', '--pipeline', '0'], /--pipeline must be an integer from 1 to 64/],
      [['bench', 'pipeline', '--pipeline', '2'], /--pipeline applies to bench cluster only/],
    ] as const) {
      const failure = await run(process.execPath, [cli, ...args]).then(
        () => null,
        (err: { code: number; stderr: string }) => err,
      );
      expect(failure?.code).toBe(2);
      expect(failure?.stderr).toMatch(message);
    }
  });
});
