import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { basename } from 'node:path';
import { afterAll, afterEach, beforeEach } from 'vitest';
import { ArgumentRangeError, requireInteger, requireNumber } from '../../src/check/index.js';
import { Rng, testSeed } from './seed.js';

// Child processes for tests with real node processes: output kept in a bounded ring for failure
// reports, bounded waits, and a registry that kills whatever a test file leaves running.
//
// Each child leads its own process group (`detached`), so a kill reaches what it spawned too
// (`swarmguard testnet` starts node processes): kill9 and the registry signal the whole group.

export interface SpawnOptions {
  /** Added to the parent's environment; a key set to `undefined` is removed from it. */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Names the process in reports (default: the command's base name). */
  logPrefix?: string;
  /** Output lines kept for reports (default 200). */
  keepLines?: number;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface Line {
  /** Position among every line the process printed (0 = its first). */
  number: number;
  stream: 'stdout' | 'stderr';
  text: string;
}

/** A line longer than this is cut into pieces, so one endless line cannot grow memory. */
const MAX_LINE = 64 * 1024;
const MAX_WAIT_MS = 10 * 60_000;

/** Every process spawned here and not yet exited, shared by all copies of this module in a worker. */
const live: Set<ManagedProcess> = ((globalThis as Record<symbol, unknown>)[Symbol.for('swarmguard.test.processes')] ??= (() => {
  const set = new Set<ManagedProcess>();
  // The worker exiting takes every spawned group with it. Vitest stops its fork workers with
  // SIGTERM, whose default action skips 'exit' handlers: kill the groups, then die of the signal
  // as before. Only a worker killed with SIGKILL can leave children behind: nothing runs in it then.
  const killEverything = (): void => {
    for (const p of set) p.signalGroup('SIGKILL');
  };
  process.once('exit', killEverything);
  process.once('SIGTERM', () => {
    killEverything();
    process.kill(process.pid, 'SIGTERM');
  });
  return set;
})()) as Set<ManagedProcess>;

/** Processes of this test file worth reporting if the current test fails. */
let watched: ManagedProcess[] = [];

/** Longest wait for a child's output to end once it exited. */
const STREAM_GRACE_MS = 5_000;

/** A spawned child: its output, its exit, and ways to stop it. */
export class ManagedProcess {
  readonly pid: number;
  readonly prefix: string;
  /** Resolves once the process has exited and its output is read to the end. */
  readonly exited: Promise<ExitStatus>;
  exitStatus: ExitStatus | null = null;
  /** Lines printed so far (stdout and stderr), also those no longer kept. */
  lineCount = 0;
  private readonly ring: Line[] = [];
  private readonly listeners = new Set<(line: Line | null) => void>();

  constructor(
    private readonly child: ChildProcess,
    prefix: string | undefined,
    private readonly keepLines: number,
  ) {
    this.pid = child.pid as number;
    this.prefix = prefix ?? `${basename(child.spawnfile)}#${this.pid}`;
    const streams = (['stdout', 'stderr'] as const).map((stream) => this.capture(stream));
    const exit = new Promise<ExitStatus>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    // The output is read to its end, but not waited for past STREAM_GRACE_MS after the exit: a
    // pipe held open by something the child left behind must not hang whoever awaits the exit.
    const output = exit.then(() => {
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, STREAM_GRACE_MS)));
      return Promise.race([Promise.all(streams), grace]).finally(() => clearTimeout(timer));
    });
    this.exited = Promise.all([exit, output]).then(([status]) => {
      this.exitStatus = status;
      live.delete(this);
      for (const listener of [...this.listeners]) listener(null);
      return status;
    });
  }

  /** The kept lines, oldest first. */
  lines(): string[] {
    return this.ring.map((line) => line.text);
  }

  /**
   * The first line matching `pattern` among those kept from `fromLine` on (0: since the start;
   * `lineCount`: only lines still to come). Rejects, with the recent output, when the process
   * exits first or `timeoutMs` passes.
   */
  waitForLine(pattern: RegExp, timeoutMs: number, fromLine = 0): Promise<RegExpExecArray> {
    boundedWait(timeoutMs, 'ManagedProcess.waitForLine');
    requireInteger(fromLine, 'ManagedProcess.waitForLine', 'fromLine', 0);
    const regex = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
    const test = (line: Line): RegExpExecArray | null => (line.number >= fromLine ? regex.exec(line.text) : null);
    for (const line of this.ring) {
      const match = test(line);
      if (match !== null) return Promise.resolve(match);
    }
    return new Promise((resolve, reject) => {
      const fail = (why: string): void => {
        done();
        reject(new Error(`${this.prefix}: no line matching ${pattern} ${why}\n${this.report()}`));
      };
      const listener = (line: Line | null): void => {
        if (line === null) return fail(`before it exited (${describeExit(this.exitStatus)})`);
        const match = test(line);
        if (match === null) return;
        done();
        resolve(match);
      };
      const timer = setTimeout(() => fail(`within ${timeoutMs} ms`), timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      if (this.exitStatus !== null) return listener(null);
      this.listeners.add(listener);
    });
  }

  /** `kill -9` of the process and its group; resolves with the exit (signal SIGKILL). */
  kill9(): Promise<ExitStatus> {
    this.signalGroup('SIGKILL');
    return this.exited;
  }

  /**
   * SIGTERM to the process, SIGKILL to its group if it has not exited after `timeoutMs`; then
   * any member of its group still running is killed. Resolves with the process's exit.
   */
  async terminate(timeoutMs = 5000): Promise<ExitStatus> {
    boundedWait(timeoutMs, 'ManagedProcess.terminate');
    if (this.exitStatus === null) {
      signal(this.pid, 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
      await Promise.race([this.exited, late]);
      clearTimeout(timer);
    }
    this.signalGroup('SIGKILL');
    return this.exited;
  }

  /**
   * `terminate`, but never waiting more than `timeoutMs` + `killWaitMs`: a process still there
   * `killWaitMs` after SIGKILL (stuck in the kernel, e.g. on a slow disk) is reported and left to
   * the registry. Resolves with its exit, or null when it did not come.
   */
  async stop(timeoutMs: number, killWaitMs: number): Promise<ExitStatus | null> {
    boundedWait(killWaitMs, 'ManagedProcess.stop', 'killWaitMs');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs + killWaitMs)));
    const status = await Promise.race([this.terminate(timeoutMs), late]);
    clearTimeout(timer);
    if (status === null) console.warn(`${this.prefix}: still running ${killWaitMs} ms after SIGKILL\n${this.report()}`);
    return status;
  }

  /** The recent output, each line prefixed with the process's name and stream. */
  report(): string {
    const state = this.exitStatus === null ? 'running' : describeExit(this.exitStatus);
    const head = `--- ${this.prefix} (pid ${this.pid}, ${state}): last ${this.ring.length} of ${this.lineCount} lines ---`;
    return [head, ...this.ring.map((line) => `[${this.prefix} ${line.stream}] ${line.text}`)].join('\n');
  }

  /** Sends `name` to the process group (a group already gone is not an error). */
  signalGroup(name: NodeJS.Signals): void {
    signal(-this.pid, name);
  }

  private capture(stream: 'stdout' | 'stderr'): Promise<void> {
    const source = this.child[stream];
    if (source === null) return Promise.resolve();
    source.setEncoding('utf8');
    let partial = '';
    source.on('data', (text: string) => {
      partial += text;
      let newline: number;
      while ((newline = partial.indexOf('\n')) !== -1 || partial.length >= MAX_LINE) {
        const end = newline === -1 || newline > MAX_LINE ? MAX_LINE : newline;
        this.add(stream, partial.slice(0, end).replace(/\r$/, ''));
        partial = partial.slice(end === newline ? end + 1 : end);
      }
    });
    return new Promise((resolve) =>
      source.once('close', () => {
        if (partial !== '') this.add(stream, partial);
        resolve();
      }),
    );
  }

  private add(stream: 'stdout' | 'stderr', text: string): void {
    const line = { number: this.lineCount++, stream, text };
    this.ring.push(line);
    if (this.ring.length > this.keepLines) this.ring.shift();
    for (const listener of [...this.listeners]) listener(line);
  }
}

/** Spawns `cmd args` with stdout and stderr captured; rejects if it cannot be started. */
export async function spawnProcess(cmd: string, args: readonly string[], options: SpawnOptions = {}): Promise<ManagedProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  const child = spawn(cmd, args, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  const managed = new ManagedProcess(child, options.logPrefix, options.keepLines ?? 200);
  live.add(managed);
  watched.push(managed);
  return managed;
}

/** Kills every process still running (with its group) and waits for their exits. */
export async function killAll(): Promise<void> {
  const running = [...live];
  await Promise.all(running.map((p) => p.kill9()));
}

/** How many spawned processes are running now. */
export function runningCount(): number {
  return live.size;
}

// The test file ending stops what it started; a failed test prints what its processes said.
afterAll(killAll);
beforeEach(() => {
  watched = [...live];
});
afterEach((context) => {
  if (context.task.result?.state === 'fail') for (const p of watched) console.log(p.report());
});

/**
 * A TCP port free on `host` now: listen on port 0, read the port, close. Racy by nature: between
 * the close and the child's own bind another process may take it (rare: the kernel hands out
 * ephemeral ports in turn, not the one just freed). A child failing with EADDRINUSE should be
 * started again on new ports rather than the test failing on it.
 */
export async function freePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  // All held open together, so the ports returned differ from each other.
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, host, resolve);
      });
    }
    return servers.map((server) => (server.address() as { port: number }).port);
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => (server.listening ? server.close(resolve) : resolve(undefined)))));
  }
}

export interface WaitForOptions {
  timeoutMs: number;
  /** Pause between attempts (default 100 ms). */
  intervalMs?: number;
  /** Names the condition in the timeout error. */
  what?: string;
}

/**
 * Polls `probe` until it returns a truthy value, which is returned. A falsy value or a throw (a
 * node not listening yet) means "not yet". Each attempt gets a signal aborted at the deadline,
 * for `fetch(url, { signal })`; an attempt that ignores it still cannot hold the wait past it.
 */
export async function waitFor<T>(probe: (signal: AbortSignal) => T | Promise<T>, options: WaitForOptions): Promise<NonNullable<T>> {
  const timeoutMs = boundedWait(options.timeoutMs, 'waitFor', 'options.timeoutMs');
  const interval = options.intervalMs === undefined ? 100 : boundedWait(options.intervalMs, 'waitFor', 'options.intervalMs');
  const deadline = Date.now() + timeoutMs;
  let attempts = 0;
  let lastError: unknown;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    attempts++;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<typeof EXPIRED>((resolve) => {
      timer = setTimeout(() => {
        controller.abort(new Error(`waitFor: deadline of ${timeoutMs} ms`));
        resolve(EXPIRED);
      }, left);
    });
    try {
      const result = await Promise.race([Promise.resolve().then(() => probe(controller.signal)), expired]);
      if (result !== EXPIRED && result) return result as NonNullable<T>;
    } catch (err) {
      lastError = err;
    } finally {
      clearTimeout(timer);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(interval, deadline - Date.now()))));
  }
  const why = lastError === undefined ? '' : `; last error: ${lastError instanceof Error ? lastError.message : String(lastError)}`;
  throw new Error(`waitFor: ${options.what ?? 'condition'} not met within ${timeoutMs} ms (${attempts} attempts${why})`);
}

const EXPIRED: unique symbol = Symbol('expired');

/**
 * Seeded choices for fault schedules ("kill -9 a random node at a random moment"). `forTest`
 * takes the seed from `testSeed` (printed when the test fails, replayed with SWARMGUARD_SEED).
 */
export class Chaos {
  private readonly rng: Rng;

  constructor(readonly seed: number) {
    this.rng = new Rng(seed);
  }

  static forTest(label: string): Chaos {
    return new Chaos(testSeed(label));
  }

  /** One of `items`, uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new ArgumentRangeError('Chaos.pick', 'items', 'must not be empty');
    return items[this.rng.int(items.length)];
  }

  /** An integer number of milliseconds in [minMs, maxMs]. */
  between(minMs: number, maxMs: number): number {
    requireInteger(minMs, 'Chaos.between', 'minMs', 0, MAX_WAIT_MS);
    requireInteger(maxMs, 'Chaos.between', 'maxMs', minMs, MAX_WAIT_MS);
    return minMs + this.rng.int(maxMs - minMs + 1);
  }

  /** Sleeps a seeded time in [minMs, maxMs] and resolves with it. */
  async pause(minMs: number, maxMs: number): Promise<number> {
    const ms = this.between(minMs, maxMs);
    await new Promise((resolve) => setTimeout(resolve, ms));
    return ms;
  }
}

/** Every wait here is bounded: a timeout is a finite number of ms up to ten minutes. */
function boundedWait(ms: number, where: string, argument = 'timeoutMs'): number {
  return requireNumber(ms, where, argument, 0, MAX_WAIT_MS);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

function describeExit(status: ExitStatus | null): string {
  if (status === null) return 'running';
  return status.signal !== null ? `killed by ${status.signal}` : `exit code ${status.code}`;
}

/** Whether `pid` is a live process (a zombie waiting to be reaped counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return true;
  }
}
