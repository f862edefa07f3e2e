import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { createPrivateKey, webcrypto } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { connect as tlsConnect, createServer as createTlsServer } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { FaultProxy } from '../_support/faultProxy.js';
import { expectRefusal } from '../_support/refusals.js';
import { Rng, testSeed } from '../_support/seed.js';
import { echo, Peer, serve, type TestServer } from '../_support/tcpPeer.js';

x509.cryptoProvider.set(webcrypto as Crypto);

// The fault proxy on plain TCP echo servers. Timing is asserted only as lower bounds (a delay
// the proxy adds cannot be shorter than asked); absences are checked over a short quiet period,
// which cannot pass by luck because the proxy drops or holds deterministically.

const QUIET_MS = 300;
const open: { close(): Promise<void> }[] = [];
const peers: Peer[] = [];

afterEach(async () => {
  for (const peer of peers.splice(0)) peer.destroy();
  await Promise.all(open.splice(0).map((thing) => thing.close()));
});

async function echoBehindProxy(): Promise<{ server: TestServer; proxy: FaultProxy }> {
  const server = await serve(echo);
  const proxy = await FaultProxy.start({ target: server.address });
  open.push(proxy, server);
  return { server, proxy };
}

async function dial(proxy: FaultProxy): Promise<Peer> {
  const peer = await Peer.dial(proxy.address);
  peers.push(peer);
  return peer;
}

/** A TLS 1.3 echo server with a fresh self-signed certificate. */
async function tlsEcho(): Promise<{ host: string; port: number; close(): Promise<void> }> {
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({ serialNumber: '01', name: 'CN=localhost', notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 3_600_000), signingAlgorithm: algorithm, keys });
  const key = createPrivateKey({ key: Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)), format: 'der', type: 'pkcs8' });
  const server = createTlsServer({ key: key.export({ format: 'pem', type: 'pkcs8' }), cert: cert.toString('pem'), minVersion: 'TLSv1.3' }, (socket) => {
    socket.on('error', () => socket.destroy());
    echo(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { host: '127.0.0.1', port: (server.address() as { port: number }).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A TLS client through the proxy (the test trusts any certificate: only the bytes matter here). */
function dialTls(proxy: FaultProxy): Promise<Peer> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ ...proxy.address, rejectUnauthorized: false, minVersion: 'TLSv1.3' });
    socket.once('error', reject);
    socket.once('secureConnect', () => {
      socket.off('error', reject);
      const peer = new Peer(socket);
      peers.push(peer);
      resolve(peer);
    });
  });
}

/** How a refused dial ends: reset before the connect completes, or closed right after with no byte echoed. */
async function dialRefused(proxy: FaultProxy): Promise<string> {
  try {
    const peer = await dial(proxy);
    peer.send('lost');
    return (await peer.whenClosed()) && peer.pending === 0 ? 'closed' : 'open';
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? String(err);
  }
}

/** Milliseconds for `bytes` to go through the echo and come back whole. */
async function roundTrip(peer: Peer, bytes = 'ping'): Promise<number> {
  const start = performance.now();
  peer.send(bytes);
  expect((await peer.take(bytes.length)).toString()).toBe(bytes);
  return performance.now() - start;
}

describe('FaultProxy', () => {
  it('forwards bytes untouched and in order under seeded delay and jitter both ways', async () => {
    const seed = testSeed('FaultProxy order');
    const rng = new Rng(seed);
    const { proxy } = await echoBehindProxy();
    proxy.delay(2, 15, seed);
    const peer = await dial(proxy);
    const payload = Buffer.from(rng.bytes(256 * 1024));
    for (let at = 0; at < payload.length; ) {
      const size = 1 + rng.int(8192);
      peer.send(payload.subarray(at, at + size));
      at += size;
      if (rng.int(4) === 0) await new Promise((resolve) => setTimeout(resolve, rng.int(3)));
    }
    expect((await peer.take(payload.length, 30_000)).equals(payload)).toBe(true);
    expect(proxy.stats()).toMatchObject({ open: 1, accepted: 1, toTarget: { bytes: payload.length, dropped: 0 }, toClient: { bytes: payload.length, dropped: 0 } });
    expect(proxy.address.port).not.toBe(proxy.target.port);
  });

  it('carries TLS end to end; a hold black hole keeps the stream, a drop one breaks it at the heal', async () => {
    const server = await tlsEcho();
    const proxy = await FaultProxy.start({ target: server });
    open.push(proxy, server);
    proxy.delay(1, 10, 7);
    const held = await dialTls(proxy);
    await roundTrip(held, 'over tls');
    proxy.blackhole(true, 'hold');
    held.send('parked');
    expect(await held.until(() => held.pending > 0, QUIET_MS)).toBe(false);
    proxy.blackhole(false);
    expect((await held.take(6)).toString()).toBe('parked');
    await roundTrip(held, 'still the same stream');
    proxy.blackhole(true, 'drop');
    held.send('lost record');
    expect(await held.until(() => held.pending > 0, QUIET_MS)).toBe(false);
    proxy.blackhole(false);
    held.send('after the heal');
    // The server cannot decrypt a record that follows a lost one: it alerts and the connection dies.
    expect(await held.whenClosed()).toBe(true);
    expect(held.error?.message).toMatch(/bad record mac/);
    expect(held.pending).toBe(0);
    await roundTrip(await dialTls(proxy), 'a new connection works');
  });

  it('adds the delay asked, per direction, to a connection already open', async () => {
    const { proxy } = await echoBehindProxy();
    const peer = await dial(proxy);
    await roundTrip(peer);
    proxy.delay(120, 0, 0, 'toTarget');
    expect(await roundTrip(peer)).toBeGreaterThanOrEqual(120);
    proxy.delay(0, 0, 0, 'toTarget');
    proxy.delay(150, 0, 0, 'toClient');
    expect(await roundTrip(peer)).toBeGreaterThanOrEqual(150);
    proxy.delay(100);
    expect(await roundTrip(peer)).toBeGreaterThanOrEqual(200);
  });

  it('throttles to the bytes per second asked', async () => {
    const { proxy } = await echoBehindProxy();
    const peer = await dial(proxy);
    proxy.throttle(128 * 1024, 'toTarget');
    const payload = Buffer.alloc(64 * 1024, 7);
    const start = performance.now();
    peer.send(payload);
    await peer.take(payload.length, 10_000);
    // 64 KiB at 128 KiB/s: the last byte cannot leave the proxy before half a second.
    expect(performance.now() - start).toBeGreaterThanOrEqual(499);
    proxy.throttle(null);
    await roundTrip(peer);
  });

  it('a drop black hole swallows bytes both ways, in flight too, and the heal resumes on the same connection', async () => {
    const { server, proxy } = await echoBehindProxy();
    const peer = await dial(proxy);
    await roundTrip(peer, 'a');
    proxy.delay(100);
    peer.send('in flight');
    proxy.blackhole(true);
    peer.send('b');
    expect(await peer.until(() => peer.pending > 0, QUIET_MS)).toBe(false);
    // The server's own bytes are swallowed on the way back too.
    for (const socket of server.sockets) socket.write('from server');
    expect(await peer.until(() => peer.pending > 0, QUIET_MS)).toBe(false);
    expect(proxy.stats().toTarget.dropped).toBe('in flight'.length + 1);
    expect(proxy.stats().toClient.dropped).toBe('from server'.length);
    proxy.blackhole(false);
    proxy.delay(0);
    await roundTrip(peer, 'c');
    expect(peer.closed).toBe(false);
    expect(proxy.stats()).toMatchObject({ open: 1, accepted: 1 });
  });

  it('a hold black hole parks bytes and delivers them in order after the heal, new connections included', async () => {
    const { proxy } = await echoBehindProxy();
    const peer = await dial(proxy);
    await roundTrip(peer, 'a');
    proxy.blackhole(true, 'hold');
    peer.send('b');
    const late = await dial(proxy);
    late.send('new');
    expect(await peer.until(() => peer.pending > 0 || late.pending > 0, QUIET_MS)).toBe(false);
    proxy.blackhole(false);
    peer.send('c');
    expect((await peer.take(2)).toString()).toBe('bc');
    expect((await late.take(3)).toString()).toBe('new');
    expect(proxy.stats()).toMatchObject({ open: 2, toTarget: { dropped: 0 } });
  });

  it('cut resets the open connections at both ends and still accepts new ones', async () => {
    const { server, proxy } = await echoBehindProxy();
    const first = await dial(proxy);
    const second = await dial(proxy);
    await roundTrip(first);
    await roundTrip(second);
    expect(server.sockets.size).toBe(2);
    proxy.cut();
    expect(await first.whenClosed()).toBe(true);
    expect(await second.whenClosed()).toBe(true);
    expect(await first.until(() => server.sockets.size === 0, 5000)).toBe(true);
    const third = await dial(proxy);
    await roundTrip(third);
    expect(proxy.stats()).toMatchObject({ open: 1, accepted: 3, cut: 2 });
  });

  it('refuse closes new connections on arrival and leaves the open ones working', async () => {
    const { server, proxy } = await echoBehindProxy();
    const before = await dial(proxy);
    proxy.refuse(true);
    expect(await dialRefused(proxy)).toMatch(/^(closed|ECONNRESET)$/);
    await roundTrip(before);
    expect(server.sockets.size).toBe(1);
    proxy.refuse(false);
    await roundTrip(await dial(proxy));
    expect(proxy.stats()).toMatchObject({ accepted: 2, refused: 1 });
  });

  it('passes a half-close through, behind the delayed bytes', async () => {
    const server = await serve((socket) => {
      const got: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => got.push(chunk));
      socket.on('end', () => socket.end(`${Buffer.concat(got).toString()}+bye`));
    });
    const proxy = await FaultProxy.start({ target: server.address });
    open.push(proxy, server);
    proxy.delay(50);
    const peer = await dial(proxy);
    peer.send('last words');
    peer.socket.end();
    expect((await peer.take('last words+bye'.length)).toString()).toBe('last words+bye');
    expect(await peer.until(() => peer.ended, 5000)).toBe(true);
  });

  it('closes the client when the target is down', async () => {
    const server = await serve(echo);
    await server.close();
    const proxy = await FaultProxy.start({ target: server.address });
    open.push(proxy);
    const peer = await dial(proxy);
    expect(await peer.whenClosed()).toBe(true);
    expect(proxy.stats()).toMatchObject({ open: 0, accepted: 1 });
  });

  it('close() stops listening and leaves no socket, server or timer behind', async () => {
    const count = (): number => process.getActiveResourcesInfo().filter((r) => /^(TCPSocketWrap|TCPServerWrap|TCPWRAP|Timeout)$/.test(r)).length;
    const baseline = count();
    const server = await serve(echo);
    const proxy = await FaultProxy.start({ target: server.address });
    const peer = await Peer.dial(proxy.address);
    proxy.delay(30_000);
    peer.send('queued behind a long timer');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(count()).toBeGreaterThan(baseline);
    await proxy.close();
    expect(await peer.whenClosed()).toBe(true);
    await server.close();
    await new Promise((resolve) => setImmediate(resolve));
    expect(count()).toBe(baseline);
    await expect(Peer.dial(proxy.address)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('refuses bad arguments with the function and the argument named', async () => {
    await expect(FaultProxy.start({ target: { host: '127.0.0.1', port: 0 } })).rejects.toMatchObject({ code: 'ERR_OUT_OF_RANGE', message: 'FaultProxy.start: options.target.port must be an integer in [1, 65535], got 0' });
    await expect(FaultProxy.start({ target: { host: 1, port: 1 } } as never)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_TYPE', message: 'FaultProxy.start: options.target.host must be a string, got a number (1)' });
    await expect(FaultProxy.start({ target: { host: '127.0.0.1', port: 1 }, listen: { port: 70000 } })).rejects.toBeInstanceOf(RangeError);
    await expect(FaultProxy.start({ target: { host: '127.0.0.1', port: 1 }, delay: 5 } as never)).rejects.toBeInstanceOf(TypeError);
    const { proxy } = await echoBehindProxy();
    expectRefusal(() => proxy.delay(-1), 'range', 'FaultProxy.delay', 'ms');
    expectRefusal(() => proxy.delay(60_001), 'range', 'FaultProxy.delay', 'ms');
    expectRefusal(() => proxy.delay(1.5), 'range', 'FaultProxy.delay', 'ms');
    expectRefusal(() => proxy.delay(1, -1), 'range', 'FaultProxy.delay', 'jitterMs');
    expectRefusal(() => proxy.delay(1, 1, 2 ** 32), 'range', 'FaultProxy.delay', 'seed');
    expectRefusal(() => proxy.delay(1, 1, 1, 'up' as never), 'range', 'FaultProxy.delay', 'direction', "'toTarget', 'toClient', 'both'");
    expectRefusal(() => proxy.throttle(1023), 'range', 'FaultProxy.throttle', 'bytesPerSecond');
    expectRefusal(() => proxy.throttle('fast' as never), 'type', 'FaultProxy.throttle', 'bytesPerSecond');
    expectRefusal(() => proxy.blackhole(1 as never), 'type', 'FaultProxy.blackhole', 'on');
    expectRefusal(() => proxy.blackhole(true, 'eat' as never), 'range', 'FaultProxy.blackhole', 'mode');
    expectRefusal(() => proxy.refuse('yes' as never), 'type', 'FaultProxy.refuse', 'on');
    expect(proxy.blackholed).toBe(null);
  });
});
