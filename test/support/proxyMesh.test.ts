import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { ProxyMesh } from '../_support/proxyMesh.js';
import { expectRefusal } from '../_support/refusals.js';
import { Peer, serve, type TestServer } from '../_support/tcpPeer.js';

// Four stand-in nodes: node j answers every byte with its own id. Node i holds a connection to
// each j dialed through addressFor(i, j), so both proxies of every pair carry traffic each way
// (the dialer's ping goes to the target, the answer comes back), whichever side a real node dials.

const N = 4;
const QUIET_MS = 300;
let nodes: TestServer[] = [];
let mesh: ProxyMesh | null = null;
let peers: Peer[] = [];

afterEach(async () => {
  for (const peer of peers) peer.destroy();
  peers = [];
  await mesh?.close();
  mesh = null;
  await Promise.all(nodes.map((node) => node.close()));
  nodes = [];
});

async function startMesh(): Promise<ProxyMesh> {
  nodes = await Promise.all(
    Array.from({ length: N }, (_, j) =>
      serve((socket) => {
        socket.on('data', (chunk: Buffer) => socket.write(Buffer.alloc(chunk.length, j)));
        socket.on('end', () => socket.end());
      }),
    ),
  );
  mesh = await ProxyMesh.start(nodes.map((node) => node.address));
  return mesh;
}

/** Connection from node i to node j, dialed through the mesh. */
async function link(m: ProxyMesh, i: number, j: number): Promise<Peer> {
  const peer = await Peer.dial(m.addressFor(i, j));
  peers.push(peer);
  return peer;
}

/** Every ordered pair (i, j) with its connection from i to j. */
async function links(m: ProxyMesh): Promise<Map<string, Peer>> {
  const out = new Map<string, Peer>();
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) if (i !== j) out.set(`${i}>${j}`, await link(m, i, j));
  return out;
}

/** Whether one byte sent on `peer` is answered (by the node it reaches) within `timeoutMs`. */
async function answers(peer: Peer, expectedNode: number, timeoutMs: number): Promise<boolean> {
  const before = peer.pending;
  peer.send('?');
  if (!(await peer.until(() => peer.pending > before, timeoutMs))) return false;
  const got = await peer.take(peer.pending);
  expect([...got].every((id) => id === expectedNode)).toBe(true);
  return true;
}

/** The pairs whose connections answer now (all pinged at once). */
async function reachable(connections: Map<string, Peer>): Promise<string[]> {
  const results = await Promise.all([...connections].map(async ([pair, peer]) => ((await answers(peer, Number(pair.split('>')[1]), QUIET_MS)) ? pair : null)));
  return results.filter((pair): pair is string => pair !== null).sort();
}

const ALL = Array.from({ length: N }, (_, i) => Array.from({ length: N }, (_, j) => `${i}>${j}`)).flat().filter((p) => p[0] !== p[2]);
const within = (...groups: number[][]): string[] => ALL.filter((p) => groups.some((g) => g.includes(Number(p[0])) && g.includes(Number(p[2]))));

describe('ProxyMesh', () => {
  it('gives each directed link its own proxy to the right node', async () => {
    const m = await startMesh();
    const ports = new Set(ALL.map((p) => m.addressFor(Number(p[0]), Number(p[2])).port));
    expect(ports.size).toBe(N * (N - 1));
    for (const node of nodes) expect(ports.has(node.address.port)).toBe(false);
    expect(m.proxy(2, 1).target).toEqual(nodes[1].address);
    expect(await reachable(await links(m))).toEqual([...ALL].sort());
  });

  it('a blackhole partition separates exactly the pairs across it, and the heal resumes the same connections', async () => {
    const m = await startMesh();
    const connections = await links(m);
    m.partition([0, 1], [2, 3]);
    expect(await reachable(connections)).toEqual(within([0, 1], [2, 3]).sort());
    m.heal();
    expect(await reachable(connections)).toEqual([...ALL].sort());
    expect([...connections.values()].every((peer) => !peer.closed)).toBe(true);
  });

  it('a cut+refuse partition closes the links across it and refuses new ones until the heal', async () => {
    const m = await startMesh();
    const connections = await links(m);
    m.partition([0], [1, 2], 'cut+refuse');
    const across = ['0>1', '0>2', '1>0', '2>0'];
    for (const pair of across) expect(await connections.get(pair)?.whenClosed(), pair).toBe(true);
    const rest = new Map([...connections].filter(([pair]) => !across.includes(pair)));
    expect(await reachable(rest)).toEqual([...rest.keys()].sort());
    expect(m.proxy(3, 0).stats()).toMatchObject({ cut: 0, refused: 0 });
    const refused = await Promise.all([link(m, 1, 0), link(m, 0, 2)].map((p) => p.then((peer) => peer.whenClosed(), () => true)));
    expect(refused).toEqual([true, true]);
    expect(await answers(await link(m, 0, 3), 3, 5000)).toBe(true);
    m.heal();
    expect(await answers(await link(m, 1, 0), 0, 5000)).toBe(true);
    expect(await answers(await link(m, 0, 2), 2, 5000)).toBe(true);
  });

  it('isolate holds one node apart; its parked bytes arrive after the heal on the same connections', async () => {
    const m = await startMesh();
    const connections = await links(m);
    m.isolate(2, 'hold');
    expect(await reachable(connections)).toEqual(within([0, 1, 3], [2]).sort());
    m.heal();
    const toTwo = connections.get('0>2') as Peer;
    expect(await toTwo.until(() => toTwo.pending > 0, 5000)).toBe(true);
    expect(await reachable(connections)).toEqual([...ALL].sort());
  });

  it('slow delays the bytes one node sends another, whichever side dialed', async () => {
    const m = await startMesh();
    const dialedByZero = await link(m, 0, 1);
    const dialedByOne = await link(m, 1, 0);
    m.slow(0, 1, 150);
    // 0 → 1 is slowed: 0's ping on its own connection, and 0's answer on the one 1 dialed.
    for (const [peer, node] of [
      [dialedByZero, 1],
      [dialedByOne, 0],
    ] as const) {
      const start = performance.now();
      expect(await answers(peer, node, 5000)).toBe(true);
      expect(performance.now() - start).toBeGreaterThanOrEqual(150);
    }
    expect(m.proxy(0, 1).ways.toClient.delayMs).toBe(0);
    expect(m.proxy(1, 0).ways.toTarget.delayMs).toBe(0);
    m.slow(0, 1, 0);
    expect(m.proxy(0, 1).ways.toTarget.delayMs).toBe(0);
  });

  it('refuses bad arguments with the function and the argument named', async () => {
    await expect(ProxyMesh.start([{ host: '127.0.0.1', port: 1 }])).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE', message: 'ProxyMesh.start: targets.length must be an integer in [2, 64], got 1' });
    const m = await startMesh();
    expectRefusal(() => m.proxy(1, 1), 'range', 'ProxyMesh.proxy', 'j', 'must differ from i');
    expectRefusal(() => m.addressFor(0, 4), 'range', 'ProxyMesh.proxy', 'j');
    expectRefusal(() => m.partition([0, 1], [1, 2]), 'range', 'ProxyMesh.partition', 'groupB', 'got 1 in both');
    expectRefusal(() => m.partition([0], [-1]), 'range', 'ProxyMesh.partition', 'groupB[0]');
    expectRefusal(() => m.partition(0 as never, [1]), 'type', 'ProxyMesh.partition', 'groupA');
    expectRefusal(() => m.partition([0], [1], 'netsplit' as never), 'range', 'ProxyMesh.partition', 'mode');
    expectRefusal(() => m.isolate(N), 'range', 'ProxyMesh.isolate', 'i');
    expectRefusal(() => m.slow(0, 1, -5), 'range', 'FaultProxy.delay', 'ms');
  });
});
