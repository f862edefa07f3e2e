import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NamespaceNet, namespacesUnavailable } from '../_support/netns.js';
import { CLI, type NodeStatus, runCli, runToExit, tuneHomes, withConsensus, TEST_CONSENSUS } from '../_support/processCluster.js';
import { type ManagedProcess, spawnProcess, waitFor } from '../_support/processes.js';

// Multi-host from one config: four validators, each in its own network namespace (its own
// network stack, like a host of its own) with its own non-loopback address 10.77.0.1-4, joined by
// veth pairs to a bridge — the homes as `swarmguard testnet --hosts …` writes them, untouched but
// for faster consensus timeouts. Clients run in the bridge's namespace (10.77.0.254) with the
// CLI's own `tx send` and `tx status`, which check every commit proof against genesis. Then one
// host's cable is pulled and put back. Needs root (CI runs as root); elsewhere it fails saying why.

const N = 4;
const BASE_PORT = 26656;

describe('four validators on four hosts (network namespaces)', () => {
  let net: NamespaceNet | null = null;
  let dir: string;
  const nodes: ManagedProcess[] = [];

  afterAll(async () => {
    await Promise.all(nodes.map((p) => p.terminate(10_000)));
    await net?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const rpc = (i: number) => `http://${net!.address(i)}:${BASE_PORT + 2 * i + 1}`;
  const home = (i: number) => join(dir, `node${i}`);

  /** The CLI, run on the client host (the hub namespace). */
  const client = (args: string[]) => runToExit(...net!.command(net!.hub, process.execPath, [CLI, ...args]), 60_000, 'client');

  /** GET `url` from the client host, as JSON (null when nothing answers). */
  async function get<T>(url: string): Promise<T | null> {
    const script = 'fetch(process.argv[1], { signal: AbortSignal.timeout(5000) }).then(async (r) => console.log(r.ok ? await r.text() : "null"), () => console.log("null"))';
    const { lines } = await runToExit(...net!.command(net!.hub, process.execPath, ['-e', script, url]), 30_000, 'fetch');
    return JSON.parse(lines.at(-1) ?? 'null') as T | null;
  }

  /** `tx send` of `KEY=VALUE` to node i from a fresh key; the CLI's verdict. */
  async function send(i: number, name: string): Promise<{ id: string; status: string; height: number; proofVerified: boolean }> {
    const { status, lines } = await client(['tx', 'send', '--rpc', rpc(i), '--genesis', join(home(0), 'genesis.json'), '--key', join(dir, `${name}.key`), '--nonce', '1', '--set', `${name}=here`]);
    expect(status.code, lines.join('\n')).toBe(0);
    return JSON.parse(lines.find((l) => l.startsWith('{')) as string);
  }

  /** `tx status` of `id` at node i: the CLI checks the proof itself. */
  async function statusAt(i: number, id: string): Promise<{ status: string; height?: number; proofVerified?: boolean }> {
    const { lines } = await client(['tx', 'status', '--rpc', rpc(i), '--genesis', join(home(0), 'genesis.json'), '--id', id]);
    return JSON.parse(lines.find((l) => l.startsWith('{')) ?? '{"status":"unreachable"}');
  }

  it('commit over the bridge, each bound to its own address; a host cut off catches up when its cable is back', async () => {
    // Not skipped where namespaces cannot be made: CI runs as root and must run this.
    const missing = await namespacesUnavailable();
    if (missing !== null) throw new Error(`this test runs nodes in network namespaces and cannot here: ${missing}`);
    net = await NamespaceNet.create(N);
    dir = await mkdtemp(join(tmpdir(), 'swarmguard-netns-'));
    const hosts = Array.from({ length: N }, (_, i) => net!.address(i));
    const wrote = await runCli(['testnet', '--nodes', String(N), '--dir', dir, '--hosts', hosts.join(','), '--base-port', String(BASE_PORT), '--no-start']);
    expect(wrote.status.code).toBe(0);
    await tuneHomes(Array.from({ length: N }, (_, i) => home(i)), withConsensus(TEST_CONSENSUS), (_, config) => config);
    for (let i = 0; i < N; i++) {
      nodes.push(await spawnProcess(...net!.command(net!.nodes[i], process.execPath, [CLI, 'node', 'start', '--home', home(i)]), { logPrefix: `node${i}` }));
    }
    for (let i = 0; i < N; i++) {
      const line = await nodes[i].waitForLine(/ started: .* rpc (\S+), p2p (\S+)$/, 60_000);
      // Each listens on its own host's address, not on loopback.
      expect([line[1], line[2]]).toEqual([rpc(i), `${hosts[i]}:${BASE_PORT + 2 * i}`]);
    }
    // Every node sees all three peers connected across the bridge.
    await waitFor(
      async () => {
        const statuses = await Promise.all(Array.from({ length: N }, (_, i) => get<NodeStatus>(`${rpc(i)}/v1/status`)));
        return statuses.every((s) => s !== null && s.peers.every((p) => p.connected));
      },
      { timeoutMs: 60_000, intervalMs: 500, what: 'every node connected to its three peers' },
    );

    const first = await send(1, 'alice');
    expect(first).toMatchObject({ status: 'committed', proofVerified: true });
    for (let i = 0; i < N; i++) {
      await waitFor(async () => (await statusAt(i, first.id)).status === 'committed', { timeoutMs: 30_000, intervalMs: 500, what: `node ${i} holding ${first.id}` });
      expect(await statusAt(i, first.id)).toMatchObject({ status: 'committed', height: first.height, proofVerified: true });
    }

    // Host 3's cable out: the other three (a quorum) go on; host 3 cannot be reached.
    await net!.link(3, false);
    const during = await send(0, 'bob');
    expect(during).toMatchObject({ status: 'committed', proofVerified: true });
    expect(await get(`${rpc(3)}/v1/status`)).toBeNull();
    // Cable back: host 3 fetches what it missed and proves it too.
    await net!.link(3, true);
    await waitFor(async () => (await statusAt(3, during.id)).status === 'committed', { timeoutMs: 60_000, intervalMs: 500, what: `node 3 catching up to ${during.id}` });
    expect(await statusAt(3, during.id)).toMatchObject({ status: 'committed', height: during.height, proofVerified: true });

    for (const p of nodes.splice(0)) expect(await p.terminate(15_000)).toEqual({ code: 0, signal: null });
  });
});
