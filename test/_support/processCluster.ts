import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidatorSet } from '../../src/consensus/index.js';
import { type ConsensusParams, type Genesis, openLevelStorage, parseGenesis } from '../../src/node/index.js';
import type { Address } from './faultProxy.js';
import { type ExitStatus, type ManagedProcess, spawnProcess, waitFor } from './processes.js';
import { ProxyMesh } from './proxyMesh.js';
import { afterAll, beforeAll, beforeEach } from 'vitest';

// Validators as real OS processes (`swarmguard node start`), as an operator runs them: homes
// written by `swarmguard testnet`, every directed link routed through a fault proxy by the
// homes' `peers` overrides, and the RPC as the only window into each node. The tests spawn the
// compiled CLI: build first (`npm test` does).

export const CLI = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

/** Timeouts short enough for tests: a view change within a second or two, not the defaults' seconds. */
export const TEST_CONSENSUS: Partial<ConsensusParams> = { viewChangeTimeout: 1000, retransmitInterval: 100 };

const START_TIMEOUT_MS = 60_000;
const REQUEST_TIMEOUT_MS = 10_000;

/** Runs `cmd args` to its exit (killed after `timeoutMs`): its status and its last lines. */
export async function runToExit(cmd: string, args: string[], timeoutMs: number, prefix: string): Promise<{ status: ExitStatus; lines: string[] }> {
  const child = await spawnProcess(cmd, args, { logPrefix: prefix });
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
  const status = await Promise.race([child.exited, late]);
  clearTimeout(timer);
  if (status === null) {
    await child.kill9();
    throw new Error(`${prefix}: ${cmd} ${args.join(' ')} still running after ${timeoutMs} ms\n${child.report()}`);
  }
  return { status, lines: child.lines() };
}

/** Runs the CLI with `args` to its exit (killed after `timeoutMs`): its status and its last lines. */
export function runCli(args: string[], timeoutMs = 60_000, prefix = 'swarmguard'): Promise<{ status: ExitStatus; lines: string[] }> {
  return runToExit(process.execPath, [CLI, ...args], timeoutMs, prefix);
}

/**
 * `count` distinct TCP ports free on 127.0.0.1 now, drawn below the kernel's ephemeral range
 * (32768 and up on Linux): no outgoing connection of any process can take one of them as its
 * source port between this check and the node's bind, as it could a port `freePorts` returns.
 */
export async function loopbackPorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  for (let attempt = 0; ports.size < count && attempt < 100 * count; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (!ports.has(port) && (await bindable(port))) ports.add(port);
  }
  if (ports.size < count) throw new Error(`loopbackPorts: found ${ports.size} of ${count} free ports in 20000-31999`);
  return [...ports];
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

const formatAddress = (a: Address): string => `${a.host}:${a.port}`;

/**
 * Rewrites the homes `swarmguard testnet` wrote: genesis.json through `genesis` (one result,
 * written identically into every home, as validators must share it) and each config.json through
 * `config`. Returns the genesis as the nodes will read it.
 */
export async function tuneHomes(
  homes: string[],
  genesis: (json: Record<string, unknown>) => Record<string, unknown>,
  config: (i: number, json: Record<string, unknown>) => Record<string, unknown>,
): Promise<Genesis> {
  const json = genesis(JSON.parse(await readFile(join(homes[0], 'genesis.json'), 'utf8')) as Record<string, unknown>);
  const text = JSON.stringify(json, null, 2) + '\n';
  for (let i = 0; i < homes.length; i++) {
    await writeFile(join(homes[i], 'genesis.json'), text);
    const path = join(homes[i], 'config.json');
    await writeFile(path, JSON.stringify(config(i, JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>), null, 2) + '\n');
  }
  return parseGenesis(json);
}

/** Merges `consensus` into a genesis's consensus settings. */
export function withConsensus(consensus: Partial<ConsensusParams>): (json: Record<string, unknown>) => Record<string, unknown> {
  return (json) => ({ ...json, consensus: { ...(json.consensus as object), ...consensus } });
}

/** A node's `/v1/status`, the fields the tests read. */
export interface NodeStatus {
  id: number;
  view: number;
  primary: number;
  inViewChange: boolean;
  height: number;
  archivedHeight: number;
  lastHash: string;
  syncing: boolean;
  networkHeight: number;
  peers: { id: number; connected: boolean; suspected: boolean }[];
}

/** GET `url` as JSON; throws on a non-2xx answer (with the body) or when nothing answers in time. */
export async function getJson<T>(url: string, timeoutMs = REQUEST_TIMEOUT_MS): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  const body = await res.text();
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${body.slice(0, 300)}`);
  return JSON.parse(body) as T;
}

/**
 * N validator processes on loopback, each link through a `ProxyMesh` (node i dials node j at
 * `mesh.addressFor(i, j)`). Nodes are started, stopped, killed and restarted by index; their
 * state is read over RPC only.
 */
export class ProcessCluster {
  private readonly processes: (ManagedProcess | null)[];

  private constructor(
    readonly dir: string,
    readonly homes: string[],
    readonly genesis: Genesis,
    readonly mesh: ProxyMesh,
    private readonly rpcPorts: number[],
  ) {
    this.processes = homes.map(() => null);
  }

  /**
   * Writes a testnet of `n` validators, starts every node and waits until each is ready (a quorum
   * of peers). `config` holds settings added to every node's config.json (e.g. `corsOrigins`).
   */
  static async start(n = 4, config: Record<string, unknown> = {}): Promise<ProcessCluster> {
    const dir = await mkdtemp(join(tmpdir(), 'swarmguard-faults-'));
    const homes = Array.from({ length: n }, (_, i) => join(dir, `node${i}`));
    let mesh: ProxyMesh | null = null;
    let cluster: ProcessCluster | null = null;
    try {
      const wrote = await runCli(['testnet', '--nodes', String(n), '--dir', dir, '--no-start', '--chain-id', 'faults']);
      if (wrote.status.code !== 0) throw new Error(`swarmguard testnet failed: ${wrote.lines.join('\n')}`);
      const ports = await loopbackPorts(2 * n);
      const p2p = homes.map((_, i) => ({ host: '127.0.0.1', port: ports[2 * i] }));
      const rpc = homes.map((_, i) => ports[2 * i + 1]);
      const proxies = await ProxyMesh.start(p2p);
      mesh = proxies;
      const genesis = await tuneHomes(homes, withConsensus(TEST_CONSENSUS), (i, written) => ({
        ...written,
        ...config,
        p2p: formatAddress(p2p[i]),
        rpc: formatAddress({ host: '127.0.0.1', port: rpc[i] }),
        peers: Object.fromEntries(homes.flatMap((_, j) => (j === i ? [] : [[String(j), formatAddress(proxies.addressFor(i, j))]]))),
      }));
      cluster = new ProcessCluster(dir, homes, genesis, proxies, rpc);
      const started = cluster;
      await Promise.all(homes.map((_, i) => started.start(i)));
      await cluster.waitReady();
      return cluster;
    } catch (err) {
      if (cluster) await cluster.close();
      else {
        await mesh?.close();
        await rm(dir, { recursive: true, force: true });
      }
      throw err;
    }
  }

  get n(): number {
    return this.homes.length;
  }

  /** What commit proofs are checked against: genesis's chain and consensus keys. */
  get validatorSet(): ValidatorSet {
    return { chainId: this.genesis.chainId, validators: this.genesis.validators.map((v) => v.consensusKey) };
  }

  /** Node i's RPC base URL. */
  url(i: number): string {
    return `http://127.0.0.1:${this.rpcPorts[i]}`;
  }

  /** The running process of node i, or null. */
  process(i: number): ManagedProcess | null {
    const p = this.processes[i];
    return p !== null && p.exitStatus === null ? p : null;
  }

  /** Indices of the nodes whose process runs. */
  running(): number[] {
    return this.homes.flatMap((_, i) => (this.process(i) ? [i] : []));
  }

  /** Starts node i's process; resolves once it printed its start line, with the height it resumed at. */
  async start(i: number): Promise<{ process: ManagedProcess; height: number }> {
    if (this.process(i)) throw new Error(`node ${i} is running already`);
    const p = await spawnProcess(process.execPath, [CLI, 'node', 'start', '--home', this.homes[i]], { logPrefix: `node${i}`, keepLines: 400 });
    this.processes[i] = p;
    const line = await p.waitForLine(/ started: chain \S+, height (\d+),/, START_TIMEOUT_MS);
    return { process: p, height: Number(line[1]) };
  }

  /** Starts every node not running (one a failed test left stopped) and waits until all are ready. */
  async ensureRunning(): Promise<void> {
    const stopped = this.homes.flatMap((_, i) => (this.process(i) ? [] : [i]));
    await Promise.all(stopped.map((i) => this.start(i)));
    await this.waitReady(this.homes.map((_, i) => i));
  }

  /** Runs `swarmguard node start` for node i expecting it to refuse: its exit status and output. */
  async startRefused(i: number): Promise<{ status: ExitStatus; lines: string[] }> {
    return runCli(['node', 'start', '--home', this.homes[i]], START_TIMEOUT_MS, `node${i}`);
  }

  /** `kill -9` of node i. */
  async kill9(i: number): Promise<ExitStatus> {
    const p = this.required(i);
    this.processes[i] = null;
    return p.kill9();
  }

  /** SIGTERM to node i (SIGKILL after `timeoutMs`); its exit status and the height it said it stopped at. */
  async terminate(i: number, timeoutMs = 20_000): Promise<{ status: ExitStatus; stoppedAt: number | null }> {
    const p = this.required(i);
    this.processes[i] = null;
    const status = await p.terminate(timeoutMs);
    const line = p
      .lines()
      .map((l) => / stopped at height (\d+)/.exec(l))
      .find((m) => m !== null);
    return { status, stoppedAt: line ? Number(line[1]) : null };
  }

  /** The highest block in node i's archive on disk: its durable height. The node must be stopped (LevelDB locks its store). */
  async archiveTip(i: number): Promise<number> {
    if (this.process(i)) throw new Error(`node ${i} is running: its store is locked`);
    const storage = await openLevelStorage(join(this.homes[i], 'data'), { createIfMissing: false });
    try {
      let tip = 0;
      for await (const [key] of storage.entries({ gte: 'chain/', lt: 'chain/\uffff' })) tip = Number(key.slice('chain/'.length));
      return tip;
    } finally {
      await storage.close();
    }
  }

  async status(i: number): Promise<NodeStatus> {
    return getJson<NodeStatus>(`${this.url(i)}/v1/status`);
  }

  /** `/metrics` of node i as text. */
  async metrics(i: number): Promise<string> {
    const res = await fetch(`${this.url(i)}/metrics`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    return res.text();
  }

  /** The primary most running nodes (or those in `which`) name, in the highest view they agree on. */
  async primary(which = this.running()): Promise<{ primary: number; view: number }> {
    const statuses = await Promise.all(which.map((i) => this.status(i).catch(() => null)));
    const votes = new Map<string, number>();
    for (const s of statuses) if (s && !s.inViewChange) votes.set(`${s.view}/${s.primary}`, (votes.get(`${s.view}/${s.primary}`) ?? 0) + 1);
    const [best] = [...votes.entries()].sort((a, b) => b[1] - a[1] || Number(b[0].split('/')[0]) - Number(a[0].split('/')[0]));
    if (!best) throw new Error(`no node of ${which.join(',')} names a primary`);
    const [view, primary] = best[0].split('/').map(Number);
    return { primary, view };
  }

  /** Waits until every node of `which` answers `/health` with 200 (ready: a quorum of peers, not syncing). */
  async waitReady(which = this.running(), timeoutMs = START_TIMEOUT_MS): Promise<void> {
    await waitFor(
      async (signal) => {
        const codes = await Promise.all(which.map((i) => fetch(`${this.url(i)}/health`, { signal }).then((r) => r.status)));
        return codes.every((c) => c === 200);
      },
      { timeoutMs, intervalMs: 200, what: `nodes ${which.join(',')} ready` },
    );
  }

  /** Waits until every node of `which` holds `height` in its archive. */
  async waitForHeight(height: number, which = this.running(), timeoutMs = 60_000): Promise<NodeStatus[]> {
    return waitFor(
      async () => {
        const statuses = await Promise.all(which.map((i) => this.status(i)));
        return statuses.every((s) => s.archivedHeight >= height) ? statuses : null;
      },
      { timeoutMs, intervalMs: 200, what: `nodes ${which.join(',')} at height ${height}` },
    );
  }

  /**
   * Waits until the nodes of `which` hold the same chain: each has reached `atLeast`, and the
   * block at the lowest height they all archived has the same hash everywhere (blocks name their
   * parent's hash, so the chains agree below it too). Returns that height and hash.
   */
  async sameChain(which = this.running(), atLeast = 1, timeoutMs = 60_000): Promise<{ height: number; hash: string }> {
    return waitFor(
      async () => {
        const statuses = await Promise.all(which.map((i) => this.status(i)));
        const height = Math.min(...statuses.map((s) => s.archivedHeight));
        if (height < atLeast) return null;
        const hashes = await Promise.all(which.map((i) => getJson<{ hash: string }>(`${this.url(i)}/v1/blocks/${height}`).then((b) => b.hash)));
        return hashes.every((h) => h === hashes[0]) ? { height, hash: hashes[0] } : null;
      },
      { timeoutMs, intervalMs: 250, what: `nodes ${which.join(',')} on one chain at height ≥ ${atLeast}` },
    );
  }

  /** Stops every node (SIGTERM, then SIGKILL), closes the proxies and removes the homes. */
  async close(): Promise<void> {
    // Every step bounded: the fixture's cleanup reports a stuck process or socket, never hangs the suite.
    try {
      await Promise.all(
        this.running().map((i) => {
          const p = this.required(i);
          this.processes[i] = null;
          return p.stop(10_000, 10_000);
        }),
      );
    } finally {
      await this.mesh.close();
      await rm(this.dir, { recursive: true, force: true });
    }
  }

  private required(i: number): ManagedProcess {
    const p = this.process(i);
    if (!p) throw new Error(`node ${i} is not running`);
    return p;
  }
}

/** The value of the sample `name{labels}` in Prometheus text (labels as written, e.g. `reason="oversize"`), or 0. */
export function metric(text: string, name: string, labels = ''): number {
  const wanted = labels === '' ? name : `${name}{${labels}}`;
  for (const line of text.split('\n')) {
    const at = line.lastIndexOf(' ');
    if (at > 0 && line.slice(0, at) === wanted) return Number(line.slice(at + 1));
  }
  return 0;
}

/** Resident set size of process `pid` in bytes (Linux /proc). */
export async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

/**
 * How long the fault scenarios run: short in `npm test`; `SWARMGUARD_FAULTS=long` (`npm run
 * test:faults`) runs more seeded rounds under longer load.
 */
export function faultRuns(): { long: boolean; rounds: number; loadScale: number } {
  const long = process.env.SWARMGUARD_FAULTS === 'long';
  return { long, rounds: long ? 5 : 1, loadScale: long ? 4 : 1 };
}

/**
 * The process cluster of a describe block: started before its tests and closed after them; with
 * `restoreEach`, brought back to all nodes running before each scenario, whatever an earlier
 * failure left. Read it as `ctx.cluster` inside tests and hooks.
 */
export function useProcessCluster(options: { restoreEach: boolean }): { readonly cluster: ProcessCluster } {
  const ctx = { cluster: null as unknown as ProcessCluster };
  beforeAll(async () => {
    ctx.cluster = await ProcessCluster.start();
  });
  afterAll(async () => {
    await ctx.cluster?.close();
  });
  if (options.restoreEach) {
    beforeEach(async () => {
      await ctx.cluster.ensureRunning();
    });
  }
  return ctx;
}
