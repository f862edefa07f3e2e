import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeFrame, FrameKind, type PeerChange, type TlsTransport } from '../../src/net/index.js';
import { allConnected, closed, inbox, introduce, peersOf, rawClient, seedOf, startCluster, startTransport, text, waitFor } from './cluster.js';

// Peers going away and coming back, queues filling while they are away, silence turning into
// suspicion, and a transport that closes leaving nothing running.

let open: TlsTransport[] = [];
afterEach(async () => {
  await Promise.all(open.map((t) => t.close()));
  open = [];
});

/** A loopback port nothing listens on (it was free a moment ago; another process could take it meanwhile). */
async function freePort(): Promise<number> {
  const server: Server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('TLS transport: restarts and reconnection', () => {
  it('reconnects to a restarted peer, whichever side dials', async () => {
    open = await startCluster(3);
    await waitFor(() => allConnected(open), 'all connected');
    const peers = peersOf(3);
    for (const id of [2, 0]) {
      // 2 is dialed by both others; 0 dials both: a restart of each side of the rule
      const port = open[id].address().port;
      await open[id].close();
      const rest = open.filter((_, i) => i !== id);
      await waitFor(() => rest.every((t) => !t.peers().find((p) => p.id === id)!.connected), `validator ${id} seen gone`);
      open[id] = await startTransport(id, peers, { listen: { port } });
      introduce(open);
      await waitFor(() => allConnected(open), `validator ${id} back`);
      const boxes = open.map(inbox);
      open[id].broadcast(text(`${id} is back`));
      for (const t of rest) t.send(id, text('welcome'));
      await waitFor(() => rest.every((_, k) => boxes[open.indexOf(rest[k])].includes(`${id}:${id} is back`)) && boxes[id].length === 2, 'frames both ways');
    }
  });

  it('backs off while a peer is down, opens its breaker and drops frames for it, then closes it once the peer is up', async () => {
    const port = await freePort();
    const peers = peersOf(2);
    peers[1].port = port;
    const t0 = await startTransport(0, peers, { breaker: { failures: 3, openDuration: 1000 } });
    open = [t0];
    await waitFor(() => t0.peers()[0].breaker === 'open', 'the breaker open after failed dials');
    t0.send(1, text('into the void'));
    expect(t0.stats().dropped.breakerOpen).toBe(1);
    expect(t0.peers()[0].queuedFrames).toBe(0);
    const t1 = await startTransport(1, peers, { listen: { port } });
    open.push(t1);
    await waitFor(() => t0.peers()[0].connected && t0.peers()[0].breaker === 'closed', 'a probe dial through, the breaker closed');
    const box = inbox(t1);
    t0.send(1, text('now it arrives'));
    await waitFor(() => box.includes('0:now it arrives'), 'the frame');
  });
});

describe('TLS transport: send queues', () => {
  it('queues frames for a peer not connected yet and drops the oldest beyond the bound', async () => {
    const peers = peersOf(2);
    const t0 = await startTransport(0, peers, { maxQueueFrames: 3 });
    open = [t0];
    for (let i = 1; i <= 5; i++) t0.send(1, text(`frame ${i}`));
    expect(t0.stats().dropped.queueFull).toBe(2);
    expect(t0.peers()[0]).toMatchObject({ connected: false, queuedFrames: 3, queuedBytes: 3 * (7 + 6) });
    const t1 = await startTransport(1, peers);
    open.push(t1);
    const box = inbox(t1);
    introduce(open);
    await waitFor(() => box.length === 3, 'the queued frames');
    expect(box).toEqual(['0:frame 3', '0:frame 4', '0:frame 5']);
    expect(t0.peers()[0].queuedFrames).toBe(0);
  });

  it('bounds the queue in bytes too', async () => {
    const t0 = await startTransport(0, peersOf(2), { maxQueueBytes: 100 });
    open = [t0];
    for (let i = 0; i < 4; i++) t0.send(1, new Uint8Array(40));
    expect(t0.peers()[0].queuedBytes).toBeLessThanOrEqual(100);
    expect(t0.stats().dropped.queueFull).toBe(2);
  });
});

describe('TLS transport: failure detection', () => {
  it('raises phi for a silent peer until it is suspected, and reports it', async () => {
    const t1 = await startTransport(1, peersOf(2), { heartbeatInterval: 20, acceptableHeartbeatPause: 0, idleTimeout: 30_000 });
    open = [t1];
    const changes: PeerChange[] = [];
    t1.onPeerChange((change) => changes.push(change));
    // validator 0, played by hand: it beats every 20 ms for a while, then goes silent (the socket stays open)
    const socket = await rawClient(t1.address().port, seedOf(0));
    for (let i = 0; i < 15; i++) {
      socket.write(encodeFrame(FrameKind.heartbeat, new Uint8Array(0)));
      await pause(20);
    }
    await waitFor(() => t1.stats().heartbeatsIn === 15, 'every heartbeat received');
    expect(t1.peers()[0].connected).toBe(true);
    const phi = t1.peers()[0].phi;
    await pause(100);
    expect(t1.peers()[0].phi).toBeGreaterThan(phi);
    await waitFor(() => t1.peers()[0].suspected, 'the silent peer suspected');
    expect(t1.peers()[0]).toMatchObject({ connected: true, suspected: true });
    await waitFor(() => changes.some((c) => c.suspected), 'the suspicion reported');
    expect(changes.find((c) => c.suspected)).toEqual({ id: 0, connected: true, suspected: true });
    socket.destroy();
  });

  it('closes a connection on which nothing was heard for idleTimeout', async () => {
    const t1 = await startTransport(1, peersOf(2), { heartbeatInterval: 20, idleTimeout: 200 });
    open = [t1];
    const socket = await rawClient(t1.address().port, seedOf(0));
    socket.write(encodeFrame(FrameKind.heartbeat, new Uint8Array(0)));
    await waitFor(() => t1.peers()[0].connected, 'the connection established');
    await closed(socket);
    expect(t1.stats().timeouts).toBe(1);
    await waitFor(() => !t1.peers()[0].connected, 'the peer disconnected');
  });
});

describe('TLS transport: close', () => {
  it('leaves no handle that keeps the process alive (sockets, listener, timers, dial loops in backoff)', async () => {
    const count = () => {
      const counts = new Map<string, number>();
      for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
      return counts;
    };
    const before = count();
    const extra = () => [...count()].filter(([kind, n]) => n > (before.get(kind) ?? 0)).map(([kind, n]) => `${kind} +${n - (before.get(kind) ?? 0)}`);
    const ts = await startCluster(3);
    await waitFor(() => allConnected(ts), 'all connected');
    // a fourth validator is down: validator 0 keeps dialing it, in backoff or with its breaker open
    const peers = [...peersOf(3), peersOf(4, await freePort())[3]];
    const dialer = await startTransport(0, peers, { listen: { port: 0 } });
    // and a connection still in its handshake window
    const pending = await rawClient(ts[2].address().port, seedOf(1));
    ts[0].broadcast(text('last words'));
    expect(extra().length).toBeGreaterThan(0);
    await Promise.all([...ts.map((t) => t.close()), dialer.close()]);
    await closed(pending);
    await waitFor(() => extra().length === 0, 'no handles left', 2000).catch(() => expect(extra()).toEqual([]));
    // and nothing runs on after close: no heartbeat, no dial
    const stats = [...ts, dialer].map((t) => t.stats());
    await pause(100);
    expect([...ts, dialer].map((t) => t.stats())).toEqual(stats);
    // closing again is a no-op that resolves
    await ts[0].close();
  });
});
