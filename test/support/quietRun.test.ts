import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// `npm test` as a newcomer reads it, on a fixture run with the suite's own settings: a seed line
// only for the test that failed, nothing a passing test printed, and a skipped suite named after
// the summary with its reason.

const exec = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));

describe('the test run', () => {
  it('prints seeds and output of failing tests only, and names skipped suites after the summary', async () => {
    const env: Record<string, string | undefined> = { ...process.env, SWARMGUARD_SEED: undefined, FORCE_COLOR: '0', NO_COLOR: '1' };
    const r = await exec(process.execPath, [`${root}node_modules/vitest/vitest.mjs`, 'run', '--config', 'test/support/fixtures/vitest.config.ts'], { cwd: root, env: env as NodeJS.ProcessEnv }).then(
      () => ({ code: 0, stdout: '' }),
      (err: { code: number; stdout: string }) => err,
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('[seed] failing test: SWARMGUARD_SEED=7');
    expect(r.stdout).not.toContain('[seed] quiet test');
    expect(r.stdout).not.toContain('printed by a passing test');
    const summary = r.stdout.slice(r.stdout.lastIndexOf('Tests '));
    expect(summary).toMatch(/!!! 1 test SKIPPED: .*CI \(\.ci\/run\) fails on any skipped test\.\n {2}test\/support\/fixtures\/quietRun\.fixture\.ts: vectors that are not there — the reason goes in the name \(1 test\)/);
  });
});
