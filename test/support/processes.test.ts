import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Chaos, freePorts, isAlive, killAll, runningCount, spawnProcess, waitFor } from '../_support/processes.js';
import { expectRefusal } from '../_support/refusals.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const node = process.execPath;

/** A node process that starts a child of its own, prints the child's pid and sleeps. */
const TREE = "const c = require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }); console.log('grandchild ' + c.pid); setInterval(() => {}, 1000);";

/** Waits (bounded) until `pid` is gone: an orphan is reaped by init a moment after its death. */
function gone(pid: number): Promise<boolean> {
  return waitFor(() => !isAlive(pid), { timeoutMs: 5000, intervalMs: 20, what: `pid ${pid} gone` });
}

describe('spawnProcess', () => {
  it('captures stdout and stderr by lines, the last one without its newline too', async () => {
    const p = await spawnProcess(node, ['-e', "console.log('ready on port 4242'); console.error('a warning'); process.stdout.write('x\\r\\ny\\nno newline')"], { logPrefix: 'talker' });
    const match = await p.waitForLine(/ready on port (\d+)/, 10_000);
    expect(match[1]).toBe('4242');
    expect(await p.exited).toEqual({ code: 0, signal: null });
    expect(p.lines().sort()).toEqual(['a warning', 'no newline', 'ready on port 4242', 'x', 'y']);
    expect(p.report()).toContain('[talker stderr] a warning');
    expect(p.report()).toMatch(/^--- talker \(pid \d+, exit code 0\): last 5 of 5 lines ---/);
    expect(runningCount()).toBe(0);
  });

  it('keeps a bounded ring of lines and counts them all; an endless line is cut', async () => {
    const p = await spawnProcess(node, ['-e', "for (let i = 0; i < 1000; i++) console.log('line ' + i); process.stdout.write('z'.repeat(200000))"], { keepLines: 50 });
    await p.exited;
    expect(p.lineCount).toBe(1000 + 4);
    expect(p.lines()).toHaveLength(50);
    expect(p.lines().slice(-5).map((line) => line.length)).toEqual([8, 65536, 65536, 65536, 200000 - 3 * 65536]);
    expect(p.lines()[0]).toBe('line 954');
    expect(p.report()).toContain(`--- node#${p.pid} (pid ${p.pid}, exit code 0): last 50 of 1004 lines ---`);
  });

  it('waitForLine fails with the output when the process exits first or the time is up, and can skip earlier lines', async () => {
    const quick = await spawnProcess(node, ['-e', "console.log('only line'); process.exit(3)"], { logPrefix: 'quick' });
    await expect(quick.waitForLine(/never/, 10_000)).rejects.toThrow(/quick: no line matching \/never\/ before it exited \(exit code 3\)[\s\S]*\[quick stdout\] only line/);
    const slow = await spawnProcess(node, ['-e', "console.log('tick 1'); setTimeout(() => console.log('tick 2'), 200); setInterval(() => {}, 1000)"], { logPrefix: 'slow' });
    await expect(slow.waitForLine(/tock/, 100)).rejects.toThrow(/slow: no line matching \/tock\/ within 100 ms[\s\S]*running/);
    const mark = (await slow.waitForLine(/tick 1/, 10_000)) && slow.lineCount;
    expect((await slow.waitForLine(/tick \d/g, 10_000, mark))[0]).toBe('tick 2');
    await slow.kill9();
  });

  it('kill9 kills the process and what it spawned: exit signal SIGKILL', async () => {
    const p = await spawnProcess(node, ['-e', TREE]);
    const grandchild = Number((await p.waitForLine(/^grandchild (\d+)$/, 10_000))[1]);
    expect(isAlive(grandchild)).toBe(true);
    expect(await p.kill9()).toEqual({ code: null, signal: 'SIGKILL' });
    expect(await gone(grandchild)).toBe(true);
    expect(isAlive(p.pid)).toBe(false);
  });

  it('terminate sends SIGTERM, then SIGKILL to a process that does not stop in time', async () => {
    const polite = await spawnProcess(node, ['-e', "process.on('SIGTERM', () => { console.log('bye'); process.exit(0); }); console.log('up'); setInterval(() => {}, 1000)"]);
    await polite.waitForLine(/up/, 10_000);
    expect(await polite.terminate(10_000)).toEqual({ code: 0, signal: null });
    expect(polite.lines()).toContain('bye');
    const stubborn = await spawnProcess(node, ['-e', "process.on('SIGTERM', () => console.log('ignored')); console.log('up'); setInterval(() => {}, 1000)"]);
    await stubborn.waitForLine(/up/, 10_000);
    expect(await stubborn.terminate(300)).toEqual({ code: null, signal: 'SIGKILL' });
    expect(stubborn.lines()).toContain('ignored');
    expect(await stubborn.terminate()).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('stop gives up after killWaitMs when the exit does not come, and leaves the process to the registry', async () => {
    // The grandchild, in a group of its own, keeps the output pipe open: the exit is not complete
    // until the pipe ends or the registry's 5 s grace passes, so stop(100, 500) must stop waiting first.
    const holder = await spawnProcess(node, [
      '-e',
      "const c = require('node:child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { detached: true, stdio: ['ignore', 'inherit', 'inherit'] }); console.log('grandchild ' + c.pid); setInterval(() => {}, 1000)",
    ]);
    const grandchild = Number((await holder.waitForLine(/^grandchild (\d+)$/, 10_000))[1]);
    try {
      expect(await holder.stop(100, 500)).toBeNull();
      expect(holder.exitStatus).toBeNull();
      expect(await holder.exited).toEqual({ code: null, signal: 'SIGTERM' });
    } finally {
      process.kill(grandchild, 'SIGKILL');
    }
    expect(await gone(grandchild)).toBe(true);
  });

  it('passes env and cwd, removes env keys set to undefined, and rejects a command that cannot start', async () => {
    process.env.SWARMGUARD_TEST_INHERITED = 'yes';
    try {
      const dir = mkdtempSync(join(tmpdir(), 'swarmguard-spawn-'));
      const p = await spawnProcess(node, ['-e', 'console.log(process.cwd(), process.env.EXTRA, process.env.SWARMGUARD_TEST_INHERITED)'], { cwd: dir, env: { EXTRA: 'given', SWARMGUARD_TEST_INHERITED: undefined } });
      expect((await p.waitForLine(/given/, 10_000)).input).toBe(`${dir} given undefined`);
      rmSync(dir, { recursive: true });
    } finally {
      delete process.env.SWARMGUARD_TEST_INHERITED;
    }
    await expect(spawnProcess('/no/such/swarmguard-binary', [])).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses unbounded waits with the function and the argument named', async () => {
    const p = await spawnProcess(node, ['-e', '']);
    expectRefusal(() => p.waitForLine(/x/, Infinity), 'range', 'ManagedProcess.waitForLine', 'timeoutMs');
    expectRefusal(() => p.waitForLine(/x/, 10, -1), 'range', 'ManagedProcess.waitForLine', 'fromLine');
    await expect(p.terminate(-1)).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE', message: expect.stringMatching(/^ManagedProcess.terminate: timeoutMs must be/) });
    await expect(waitFor(() => true, { timeoutMs: 10 * 60_000 + 1 })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE', message: expect.stringMatching(/^waitFor: options.timeoutMs /) });
    await expect(waitFor(() => true, { timeoutMs: 10, intervalMs: 'often' as never })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' });
    await p.exited;
  });
});

describe('the process registry', () => {
  it('killAll stops every running process, whatever it does with SIGTERM', async () => {
    const stubborn = await spawnProcess(node, ['-e', "process.on('SIGTERM', () => {}); console.log('up'); setInterval(() => {}, 1000)"]);
    const tree = await spawnProcess(node, ['-e', TREE]);
    const grandchild = Number((await tree.waitForLine(/^grandchild (\d+)$/, 10_000))[1]);
    await stubborn.waitForLine(/up/, 10_000);
    expect(runningCount()).toBe(2);
    await killAll();
    expect(runningCount()).toBe(0);
    expect(stubborn.exitStatus?.signal).toBe('SIGKILL');
    expect(tree.exitStatus?.signal).toBe('SIGKILL');
    expect(await gone(grandchild)).toBe(true);
  });

  it('leaves nothing behind when a test file ends without stopping its processes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'swarmguard-left-'));
    const pids = join(dir, 'pids');
    // A nested vitest, without this suite's config (no JSON report), on a file that leaves a tree running.
    const env: Record<string, string | undefined> = { SWARMGUARD_LEFT_RUNNING: pids, NO_COLOR: '1' };
    for (const key of Object.keys(process.env)) if (key.startsWith('VITEST')) env[key] = undefined;
    const vitest = await spawnProcess(node, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', 'test/support/leftRunning.test.ts'], { cwd: root, env, logPrefix: 'nested-vitest' });
    expect(await waitFor(() => vitest.exitStatus, { timeoutMs: 60_000, what: 'nested vitest done' })).toEqual({ code: 0, signal: null });
    expect(vitest.lines().join('\n')).toMatch(/Tests\s+1 passed/);
    const [child, grandchild] = readFileSync(pids, 'utf8').split(' ').map(Number);
    rmSync(dir, { recursive: true });
    expect(child).toBeGreaterThan(0);
    expect(await gone(child)).toBe(true);
    expect(await gone(grandchild)).toBe(true);
  });
});

describe('freePorts', () => {
  it('returns distinct ports that can be listened on', async () => {
    const ports = await freePorts(5);
    expect(new Set(ports).size).toBe(5);
    for (const port of ports) {
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', resolve);
      });
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('waitFor', () => {
  it('polls an HTTP endpoint with fetch until it answers, and returns what the probe returned', async () => {
    let calls = 0;
    const server = createHttpServer((_, res) => {
      calls++;
      res.writeHead(calls < 3 ? 503 : 200, { 'content-type': 'application/json' }).end(JSON.stringify({ height: calls }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/health`;
    try {
      const body = await waitFor(
        async (signal) => {
          const res = await fetch(url, { signal });
          return res.ok ? ((await res.json()) as { height: number }) : null;
        },
        { timeoutMs: 10_000, intervalMs: 10, what: 'healthy' },
      );
      expect(body).toEqual({ height: 3 });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('times out naming the condition and the last error, even when a probe hangs', async () => {
    const [port] = await freePorts(1);
    await expect(waitFor((signal) => fetch(`http://127.0.0.1:${port}/health`, { signal }), { timeoutMs: 300, intervalMs: 20, what: 'node 3 healthy' })).rejects.toThrow(
      /^waitFor: node 3 healthy not met within 300 ms \(\d+ attempts; last error: fetch failed\)$/,
    );
    const start = Date.now();
    let aborted = false;
    await expect(
      waitFor(
        (signal) =>
          new Promise<boolean>(() => {
            signal.addEventListener('abort', () => (aborted = true));
          }),
        { timeoutMs: 200 },
      ),
    ).rejects.toThrow(/^waitFor: condition not met within 200 ms \(1 attempts\)$/);
    expect(Date.now() - start).toBeGreaterThanOrEqual(199);
    expect(aborted).toBe(true);
  });
});

describe('Chaos', () => {
  it('draws the same schedule from the same seed, and pauses as long as it says', async () => {
    const draw = (chaos: Chaos): number[] => Array.from({ length: 20 }, (_, i) => (i % 2 ? chaos.between(100, 5000) : chaos.pick([0, 1, 2, 3])));
    const a = draw(new Chaos(1949));
    expect(draw(new Chaos(1949))).toEqual(a);
    expect(draw(new Chaos(1950))).not.toEqual(a);
    expect(a.filter((_, i) => i % 2).every((ms) => ms >= 100 && ms <= 5000)).toBe(true);
    const chaos = Chaos.forTest('Chaos.pause');
    const start = performance.now();
    const slept = await chaos.pause(20, 60);
    expect(slept).toBeGreaterThanOrEqual(20);
    expect(slept).toBeLessThanOrEqual(60);
    expect(performance.now() - start).toBeGreaterThanOrEqual(slept - 1);
    expectRefusal(() => chaos.pick([]), 'range', 'Chaos.pick', 'items');
    expectRefusal(() => chaos.between(10, 5), 'range', 'Chaos.between', 'maxMs');
    expectRefusal(() => chaos.between(0, 10 * 60_000 + 1), 'range', 'Chaos.between', 'maxMs');
  });
});
