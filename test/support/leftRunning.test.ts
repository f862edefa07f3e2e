import { writeFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { isAlive, spawnProcess } from '../_support/processes.js';

// A test file that starts a process tree and ends without stopping it: the registry of
// test/_support/processes.ts must kill the tree when the file ends. processes.test.ts runs this
// file in a nested vitest (SWARMGUARD_LEFT_RUNNING names where to write the pids) and checks
// afterwards that both processes are gone.

/** A node process that starts a child of its own, prints the child's pid and sleeps. */
const TREE = "const c = require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }); console.log('grandchild ' + c.pid); setInterval(() => {}, 1000);";

it('leaves a child and a grandchild running for the registry to kill', async () => {
  const p = await spawnProcess(process.execPath, ['-e', TREE], { logPrefix: 'left' });
  const [, grandchild] = await p.waitForLine(/^grandchild (\d+)$/, 10_000);
  expect(isAlive(p.pid)).toBe(true);
  expect(isAlive(Number(grandchild))).toBe(true);
  const file = process.env.SWARMGUARD_LEFT_RUNNING;
  if (file !== undefined) writeFileSync(file, `${p.pid} ${grandchild}`);
});
