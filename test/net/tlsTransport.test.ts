import { afterEach, describe, expect, it } from 'vitest';
import type { PeerChange, TlsTransport } from '../../src/net/index.js';
import { allConnected, inbox, startCluster, text, waitFor } from './cluster.js';

// The transport between four validators on loopback doing its job; refusals, restarts, queues and
// failure detection have their own files.

let open: TlsTransport[] = [];
afterEach(async () => {
  await Promise.all(open.map((t) => t.close()));
  open = [];
});

async function cluster(n: number, overrides = {}): Promise<TlsTransport[]> {
  open = await startCluster(n, overrides);
  await waitFor(() => allConnected(open), 'every pair connected');
  return open;
}

describe('TLS transport', () => {
  it('connects four validators pairwise and carries frames both ways with the authenticated sender', async () => {
    const ts = await cluster(4);
    const inboxes = ts.map(inbox);
    ts.forEach((t, i) => t.broadcast(text(`all from ${i}`)));
    for (const [i, t] of ts.entries()) for (let j = 0; j < 4; j++) if (j !== i) t.send(j, text(`${i} to ${j}`));
    await waitFor(() => inboxes.every((box) => box.length === 6), 'six frames at each validator');
    for (const [i, box] of inboxes.entries()) {
      const expected = [0, 1, 2, 3].filter((j) => j !== i).flatMap((j) => [`${j}:all from ${j}`, `${j}:${j} to ${i}`]);
      expect(box.sort()).toEqual(expected.sort());
    }
    for (const t of ts) {
      const s = t.stats();
      expect([s.framesIn, s.framesOut]).toEqual([6, 6]);
      expect(s.connects).toBe(3);
      expect(Object.values(s.rejected).every((n) => n === 0)).toBe(true);
      expect(Object.values(s.dropped).every((n) => n === 0)).toBe(true);
      for (const p of t.peers()) {
        expect(p).toMatchObject({ connected: true, breaker: 'closed', queuedFrames: 0, queuedBytes: 0 });
        expect(p.lastHeardMs).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('keeps one connection per pair: the lower id dials, heartbeats flow both ways', async () => {
    const ts = await cluster(3);
    await waitFor(() => ts.every((t) => t.stats().heartbeatsIn >= 4), 'heartbeats from both peers');
    // one connection per pair: 3 pairs, each counted once on each side
    expect(ts.map((t) => t.stats().connects)).toEqual([2, 2, 2]);
    await waitFor(() => ts.every((t) => t.peers().every((p) => p.phi > 0)), 'phi from heartbeats');
  });

  it('delivers a frame of the maximum size whole, and drops a larger one at the sender', async () => {
    const ts = await cluster(2, { maxFrameBytes: 1 << 20 });
    const got: Uint8Array[] = [];
    ts[1].onFrame((_from, frame) => got.push(frame));
    const big = new Uint8Array(1 << 20).map((_, i) => i * 7);
    ts[0].send(1, big);
    ts[0].send(1, new Uint8Array((1 << 20) + 1));
    await waitFor(() => got.length === 1, 'the large frame');
    expect(Buffer.compare(got[0], big)).toBe(0);
    expect(ts[0].stats().dropped.oversize).toBe(1);
  });

  it('holds frames in its queue while the socket pushes back, and sends them all in order', async () => {
    const ts = await cluster(2);
    const order: number[] = [];
    ts[1].onFrame((_from, frame) => order.push(frame[0] | (frame[1] << 8)));
    const count = 200;
    for (let i = 0; i < count; i++) {
      const frame = new Uint8Array(64 * 1024);
      frame[0] = i & 0xff;
      frame[1] = i >> 8;
      ts[0].send(1, frame);
    }
    // after one turn of the event loop the socket took what it could buffer; the rest waits for 'drain'
    await new Promise((resolve) => setImmediate(resolve));
    expect(ts[0].peers()[0].queuedFrames).toBeGreaterThan(0);
    await waitFor(() => order.length === count, `${count} frames of 64 KiB`, 20_000);
    expect(order).toEqual([...Array(count).keys()]);
    expect(ts[0].stats().dropped.queueFull).toBe(0);
  });

  it('drops frames to itself or to ids outside the set, and does nothing after close', async () => {
    const ts = await cluster(2);
    const got = inbox(ts[1]);
    for (const to of [0, 2, -1, 0.5, NaN]) ts[0].send(to, text('x'));
    expect(ts[0].stats().dropped.noSuchPeer).toBe(5);
    await ts[0].close();
    ts[0].send(1, text('after close'));
    ts[0].broadcast(text('after close'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(got).toEqual([]);
    expect(ts[0].stats().framesOut).toBe(0);
  });

  it('reports connections and losses to onPeerChange subscribers', async () => {
    const ts = await startCluster(2);
    open = ts;
    const changes: PeerChange[] = [];
    const stop = ts[1].onPeerChange((change) => changes.push(change));
    await waitFor(() => changes.length > 0, 'a change');
    expect(changes[0]).toEqual({ id: 0, connected: true, suspected: false });
    await ts[0].close();
    await waitFor(() => changes.some((c) => !c.connected), 'the disconnection');
    stop();
    expect(ts[1].peers()[0].connected).toBe(false);
  });

  it("survives a handler that throws: its error surfaces, the other handlers and the connection go on", async () => {
    const ts = await cluster(2);
    const errors: unknown[] = [];
    const onError = (err: unknown) => errors.push(err);
    process.on('uncaughtException', onError);
    try {
      ts[1].onFrame(() => {
        throw new Error('handler bug');
      });
      const box = inbox(ts[1]);
      ts[0].send(1, text('one'));
      ts[0].send(1, text('two'));
      await waitFor(() => box.length === 2, 'both frames');
      await waitFor(() => errors.length === 2, 'both errors surfaced');
      expect(ts[1].peers()[0].connected).toBe(true);
      expect(ts[1].stats().disconnects).toBe(0);
    } finally {
      process.off('uncaughtException', onError);
    }
  });

  it('reports the bound address when asked for port 0', async () => {
    const ts = await cluster(2);
    for (const t of ts) {
      expect(t.address().host).toBe('127.0.0.1');
      expect(t.address().port).toBeGreaterThan(0);
    }
    expect(ts[0].address().port).not.toBe(ts[1].address().port);
  });
});
