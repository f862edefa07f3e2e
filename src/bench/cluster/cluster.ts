import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CONSENSUS, type Genesis, genesisJson, newKeys, writeHome } from '../../node/index.js';
import { getJson } from './rpcClient.js';

// A throwaway testnet for the bench: N validator homes in a temp folder (one genesis, disk
// storage with synced writes as `swarmguard node start` always runs), each node its own OS
// process on loopback ports, started, stopped, killed and restarted at will. Every process it
// started is killed when the bench process exits, whatever the reason.

const MAIN = fileURLToPath(new URL('../../cli/main.js', import.meta.url));
/** Lines of each node's output kept for the error that names it. */
const LOG_LINES = 40;
/** Milliseconds a node gets to stop on SIGTERM before SIGKILL. */
const STOP_GRACE_MS = 5000;
const START_TIMEOUT_MS = 60_000;

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Loopback ports free right now (bound on port 0, then released: another process could take one before the node binds it). */
async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
    }
    return servers.map((s) => (s.address() as { port: number }).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}

export interface ClusterOptions {
  nodes: number;
  chainId: string;
  /** Genesis `consensus.batchSize` (transactions per block). */
  batchSize: number;
  /** Genesis `consensus.pipeline` (blocks in flight); the default unless given. */
  pipeline?: number;
  progress(line: string): void;
}

interface NodeProcess {
  child: ChildProcess;
  log: string[];
  exited: Promise<void>;
  /** The bench stopped or killed it: its exit is no failure. */
  stopping: boolean;
}

export class Cluster {
  readonly rpcs: string[];
  private readonly processes: (NodeProcess | null)[];
  /** Nodes that exited without being told to, with their last output. */
  private readonly crashed: string[] = [];

  private constructor(
    readonly dir: string,
    readonly homes: string[],
    readonly genesis: Genesis,
    rpcPorts: number[],
    private readonly progress: (line: string) => void,
  ) {
    this.rpcs = rpcPorts.map((p) => `http://127.0.0.1:${p}`);
    this.processes = homes.map(() => null);
  }

  /** Writes the homes (fresh keys, free ports) in a new temp folder. */
  static async create(o: ClusterOptions): Promise<Cluster> {
    const dir = mkdtempSync(join(tmpdir(), 'swarmguard-bench-cluster-'));
    try {
      const ports = await freePorts(2 * o.nodes);
      const homes = Array.from({ length: o.nodes }, (_, i) => join(dir, `node${i}`));
      const keys = homes.map(() => newKeys());
      const genesis: Genesis = {
        chainId: o.chainId,
        genesisTime: new Date().toISOString(),
        validators: keys.map((k, i) => ({ name: `node${i}`, consensusKey: k.consensusKey, networkKey: k.networkKey, p2p: { host: '127.0.0.1', port: ports[2 * i] } })),
        consensus: { ...DEFAULT_CONSENSUS, batchSize: o.batchSize, ...(o.pipeline === undefined ? {} : { pipeline: o.pipeline }) },
      };
      for (let i = 0; i < o.nodes; i++) {
        await writeHome(homes[i], {
          config: { moniker: `node${i}`, p2p: { host: '127.0.0.1', port: ports[2 * i] }, rpc: { host: '127.0.0.1', port: ports[2 * i + 1] }, peers: {}, poolThreads: 1 },
          consensusSeed: keys[i].consensusSeed,
          networkSeed: keys[i].networkSeed,
          genesis,
        });
      }
      return new Cluster(dir, homes, genesis, homes.map((_, i) => ports[2 * i + 1]), o.progress);
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
  }

  /** The genesis as `genesis.json` holds it (for the load generator's proof checks). */
  genesisJson(): Record<string, unknown> {
    return genesisJson(this.genesis);
  }

  /** Starts every node and waits until each answers `/health` with 200 (a quorum of peers connected, not syncing). */
  async startAll(): Promise<void> {
    await Promise.all(this.homes.map((_, i) => this.start(i)));
    await Promise.all(this.homes.map((_, i) => this.waitHealthy(i)));
  }

  /** Starts node `i`'s process; resolves when it printed that it started (RPC listening), with the height it restored. */
  start(i: number): Promise<{ height: number }> {
    if (this.processes[i] !== null) throw new Error(`node${i} is already running`);
    const child = spawn(process.execPath, [MAIN, 'node', 'start', '--home', this.homes[i]], { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    const log: string[] = [];
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const p: NodeProcess = { child, log, exited, stopping: false };
    this.processes[i] = p;
    void exited.then(() => {
      running.delete(child);
      if (this.processes[i] !== p) return;
      this.processes[i] = null;
      if (!p.stopping) this.crashed.push(`node${i} exited (code ${child.exitCode}, signal ${child.signalCode}); its last output:\n${log.join('\n')}`);
    });
    return new Promise((resolve, reject) => {
      let started = false;
      const timer = setTimeout(() => reject(this.failure(i, log, `did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
      const onLine = (line: string) => {
        log.push(line);
        if (log.length > LOG_LINES) log.shift();
        const m = /^node \d+ .* started: .*height (\d+)/.exec(line);
        if (m && !started) {
          started = true;
          clearTimeout(timer);
          resolve({ height: Number(m[1]) });
        }
      };
      for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream as NodeJS.ReadableStream }).on('line', onLine);
      void exited.then(() => {
        clearTimeout(timer);
        if (!started) reject(this.failure(i, log, `exited (code ${child.exitCode}, signal ${child.signalCode}) before it started`));
      });
    });
  }

  /** Polls node `i`'s `/health` until it answers 200. */
  async waitHealthy(i: number, timeoutMs = START_TIMEOUT_MS): Promise<void> {
    const until = performance.now() + timeoutMs;
    let last = '';
    while (performance.now() < until) {
      if (this.processes[i] === null) throw this.failure(i, [], 'exited while waiting for /health');
      const r = await getJson(`${this.rpcs[i]}/health`).catch((err: Error) => ({ status: 0, body: { reason: err.message } }));
      if (r.status === 200) return;
      last = String((r.body as { reason?: unknown }).reason ?? r.status);
      await sleep(100);
    }
    throw this.failure(i, this.processes[i]?.log ?? [], `not healthy after ${timeoutMs / 1000} s (${last})`);
  }

  pid(i: number): number {
    const p = this.processes[i];
    if (p === null || p.child.pid === undefined) throw new Error(`node${i} is not running`);
    return p.child.pid;
  }

  isRunning(i: number): boolean {
    return this.processes[i] !== null;
  }

  /** Stops node `i`: SIGTERM (it finishes its writes in flight), SIGKILL after a bound. */
  async stop(i: number): Promise<void> {
    const p = this.processes[i];
    if (p === null) return;
    p.stopping = true;
    p.child.kill('SIGTERM');
    const timer = setTimeout(() => p.child.kill('SIGKILL'), STOP_GRACE_MS);
    await p.exited;
    clearTimeout(timer);
  }

  /** `kill -9` node `i`: no chance to flush or close anything. */
  async kill(i: number): Promise<void> {
    const p = this.processes[i];
    if (p === null) return;
    p.stopping = true;
    p.child.kill('SIGKILL');
    await p.exited;
  }

  /** Throws if a node exited without being told to (the figures of a phase without it would mislead). */
  check(): void {
    if (this.crashed.length > 0) throw new Error(`bench cluster: ${this.crashed.join('\n')}`);
  }

  /** Stops every node and removes the folder. */
  async close(): Promise<void> {
    await Promise.all(this.homes.map((_, i) => this.stop(i)));
    rmSync(this.dir, { recursive: true, force: true, maxRetries: 3 });
  }

  /** Kills every node at once and removes the folder (Ctrl-C: nothing is awaited). */
  killNow(): void {
    for (const p of this.processes) {
      if (p === null) continue;
      p.stopping = true;
      p.child.kill('SIGKILL');
    }
    rmSync(this.dir, { recursive: true, force: true, maxRetries: 3 });
  }

  private failure(i: number, log: string[], what: string): Error {
    this.progress(`  node${i} ${what}`);
    return new Error(`bench cluster: node${i} ${what}${log.length ? `; its last output:\n${log.join('\n')}` : ''}`);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
