import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, loopbackPorts, runCli, tuneHomes } from '../_support/processCluster.js';
import { spawnProcess } from '../_support/processes.js';

// A graceful stop is not held up by clients: a long-polling `GET /v1/txs/:id?wait=` (up to 30 s)
// is answered at once when the node stops, instead of keeping SIGTERM waiting for its deadline
// (which a supervisor's grace period — 30 s in deploy/ — would end with a SIGKILL).

describe('SIGTERM while a client long-polls', () => {
  let dir: string;
  let home: string;
  let rpc: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'swarmguard-shutdown-'));
    const wrote = await runCli(['testnet', '--nodes', '4', '--dir', dir, '--no-start']);
    expect(wrote.status.code).toBe(0);
    const [p2p, port] = await loopbackPorts(2);
    home = join(dir, 'node0');
    rpc = `http://127.0.0.1:${port}`;
    await tuneHomes([home], (g) => g, (_, config) => ({ ...config, p2p: `127.0.0.1:${p2p}`, rpc: `127.0.0.1:${port}` }));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('answers the poll and exits 0 well before the poll would have ended', async () => {
    // One validator of four: it starts and serves its RPC, though it cannot commit alone.
    const node = await spawnProcess(process.execPath, [CLI, 'node', 'start', '--home', home], { logPrefix: 'node0' });
    await node.waitForLine(/ started: /, 60_000);
    const poll = fetch(`${rpc}/v1/txs/${'ab'.repeat(32)}?wait=30000`).then((res) => res.status);
    // Let the poll reach the node, then stop it as a supervisor does, with a grace period (15 s)
    // shorter than the poll: only a node that answers it exits on its own, with code 0.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await node.terminate(15_000)).toEqual({ code: 0, signal: null });
    expect(await poll).toBe(404);
    expect(node.lines().some((line) => / stopped at height 0/.test(line))).toBe(true);
  });
});
