import { webcrypto } from 'node:crypto';
import { once } from 'node:events';
import { createServer as createTcpServer, connect as connectTcp, type Server, type Socket } from 'node:net';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { connect as connectTls, createServer as createTlsServer, type TLSSocket } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeFrame, FRAME_VERSION, FrameKind, networkCertificate, type TlsTransport, type TlsRejectReason } from '../../src/net/index.js';
import { Rng, testSeed } from '../_support/seed.js';
import { allConnected, closed, inbox, peersOf, rawClient, seedOf, startCluster, startTransport, STRANGER, text, waitFor } from './cluster.js';

// Whoever is not the expected validator is dropped before a frame is read, and whatever an
// authenticated peer sends that is not frames closes that connection only.

let open: TlsTransport[] = [];
const servers: Server[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all([...open.map((t) => t.close()), ...servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve)))]);
  open = [];
});

async function pair(): Promise<TlsTransport[]> {
  open = await startCluster(2, { maxFrameBytes: 1024 });
  await waitFor(() => allConnected(open), 'the pair connected');
  return open;
}

/** Frames still flow both ways between the pair, on the connection they had. */
async function stillWorking(ts: TlsTransport[], tag: string): Promise<void> {
  const connects = ts.map((t) => t.stats().connects);
  const boxes = ts.map(inbox);
  ts[0].send(1, text(tag));
  ts[1].send(0, text(tag));
  await waitFor(() => boxes[0].includes(`1:${tag}`) && boxes[1].includes(`0:${tag}`), `${tag} both ways`);
  expect(ts.map((t) => t.stats().connects)).toEqual(connects);
}

/** A self-signed certificate of a P-256 key: valid TLS, but not a network key. */
async function ecdsaCertificate(): Promise<{ key: string; cert: string }> {
  x509.cryptoProvider.set(webcrypto as Crypto);
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({ serialNumber: '01', name: 'CN=not-a-validator', keys, signingAlgorithm: algorithm });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
  return { key: `-----BEGIN PRIVATE KEY-----\n${pkcs8}\n-----END PRIVATE KEY-----\n`, cert: cert.toString('pem') };
}

/** Starts `server` on a free loopback port (closed after the test). */
async function listen(server: Server): Promise<number> {
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as { port: number }).port;
}

describe('TLS transport: who may connect', () => {
  it('drops a stranger (valid TLS, key not in the set) that dials in', async () => {
    const ts = await pair();
    const socket = await rawClient(ts[1].address().port, STRANGER);
    await closed(socket);
    expect(ts[1].stats().rejected.unknownPeer).toBe(1);
    await stillWorking(ts, 'after the stranger');
  });

  it('drops a stranger answering at a validator\'s address when dialing', async () => {
    const peers = peersOf(2);
    const t0 = await startTransport(0, peers);
    open = [t0];
    const accepted: TLSSocket[] = [];
    const port = await listen(createTlsServer({ ...(await networkCertificate(STRANGER)), minVersion: 'TLSv1.3' }, (s) => accepted.push(s)));
    t0.setPeerAddress(1, { host: '127.0.0.1', port });
    await waitFor(() => t0.stats().rejected.unknownPeer >= 1, 'the refusal');
    expect(t0.peers()[0].connected).toBe(false);
    sockets.push(...accepted);
  });

  it("counts wrongPeer when another validator's key answers at an address (dial side)", async () => {
    const peers = peersOf(3);
    open = await Promise.all([0, 1, 2].map((id) => startTransport(id, peers)));
    // validator 0 is told that 2 listens where 1 does: 1's key answers there, not 2's
    open[0].setPeerAddress(1, open[1].address());
    open[0].setPeerAddress(2, open[1].address());
    open[1].setPeerAddress(2, open[2].address());
    await waitFor(() => open[0].stats().rejected.wrongPeer >= 2, 'the wrong key refused, dial after dial');
    expect(open[0].peers()[1]).toMatchObject({ id: 2, connected: false });
    await waitFor(() => open[0].peers()[0].connected && open[1].peers().every((p) => p.connected), '0-1 and 1-2 connected');
    // 1 counts no connection from 0 but the one 0 meant for it: the misdialed ones never carried a frame
    expect(open[1].stats().connects).toBe(2);
    await stillWorking(open.slice(0, 2), 'after the misdials');
  });

  it('counts wrongPeer for a validator dialing in that should be dialed, or with the own key (accept side)', async () => {
    const ts = await pair();
    await closed(await rawClient(ts[0].address().port, seedOf(1)));
    await closed(await rawClient(ts[1].address().port, seedOf(1)));
    expect(ts[0].stats().rejected.wrongPeer).toBe(1);
    expect(ts[1].stats().rejected.wrongPeer).toBe(1);
    await stillWorking(ts, 'after the wrong dials');
  });

  it('counts failed handshakes: no TLS, no certificate, not an Ed25519 key', async () => {
    const ts = await pair();
    const port = ts[1].address().port;
    const plain = connectTcp(port, '127.0.0.1');
    plain.on('error', () => undefined);
    plain.write('GET / HTTP/1.1\r\n\r\n');
    await closed(plain);
    await closed(await rawClient(port, null));
    const ecdsa = connectTls({ host: '127.0.0.1', port, ...(await ecdsaCertificate()), rejectUnauthorized: false });
    ecdsa.on('error', () => undefined);
    await closed(ecdsa);
    await waitFor(() => ts[1].stats().rejected.handshake === 3, 'three handshake refusals');
    await stillWorking(ts, 'after the bad handshakes');
  });

  it('counts a failed handshake when the address does not speak TLS (dial side)', async () => {
    const t0 = await startTransport(0, peersOf(2));
    open = [t0];
    const port = await listen(createTcpServer((s) => {
      sockets.push(s);
      s.on('error', () => undefined);
      s.end('not TLS at all\n');
    }));
    t0.setPeerAddress(1, { host: '127.0.0.1', port });
    await waitFor(() => t0.stats().rejected.handshake >= 1, 'the handshake failure');
    expect(t0.peers()[0].connected).toBe(false);
  });
});

describe('TLS transport: what an authenticated peer sends', () => {
  const header = (length: number, version = FRAME_VERSION, kind: number = FrameKind.data) =>
    Uint8Array.of(length >>> 24, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff, version, kind);
  const cases: [string, TlsRejectReason, Uint8Array, 'end' | 'stay'][] = [
    ['an unknown kind byte', 'malformed', header(2, FRAME_VERSION, 7), 'stay'],
    ['a length below the header', 'malformed', Uint8Array.of(0, 0, 0, 1, 1), 'stay'],
    ['an oversize length prefix', 'oversize', Uint8Array.of(0x7f, 0xff, 0xff, 0xff), 'stay'],
    ['a bad version', 'badVersion', header(10, 2), 'stay'],
    ['a connection cut mid-frame', 'truncated', Uint8Array.of(...header(100), 1, 2, 3), 'end'],
  ];
  for (const [label, reason, bytes, ending] of cases) {
    it(`closes only the connection that sent ${label}, counted as ${reason}`, async () => {
      const ts = await pair();
      // a valid key: the sender is validator 0, which the acceptor (1) hears from
      const socket = await rawClient(ts[1].address().port, seedOf(0));
      socket.write(bytes);
      if (ending === 'end') socket.end();
      await closed(socket);
      await waitFor(() => ts[1].stats().rejected[reason] === 1, `${reason} counted`);
      const others = Object.entries(ts[1].stats().rejected).filter(([r, n]) => r !== reason && n !== 0);
      expect(others).toEqual([]);
      await stillWorking(ts, `after ${label}`);
    });
  }

  it('closes the connection that sent random garbage, counting one refusal (seeded)', async () => {
    const ts = await pair();
    const garbage = new Rng(testSeed('garbage on a connection')).bytes(4096);
    const socket = await rawClient(ts[1].address().port, seedOf(0));
    socket.write(garbage);
    await closed(socket);
    const { oversize, badVersion, malformed, truncated } = ts[1].stats().rejected;
    expect(oversize + badVersion + malformed + truncated).toBe(1);
    await stillWorking(ts, 'after the garbage');
  });

  it('closes a connection that opens and never sends a frame, after the handshake timeout', async () => {
    open = await startCluster(2, { handshakeTimeout: 100 });
    await waitFor(() => allConnected(open), 'the pair connected');
    const socket = await rawClient(open[1].address().port, seedOf(0));
    await closed(socket);
    await stillWorking(open, 'after the silent connection');
  });

  it('lets a new authenticated connection replace the old one, binding its frames to its key', async () => {
    const ts = await pair();
    const box = inbox(ts[1]);
    const socket = await rawClient(ts[1].address().port, seedOf(0));
    // whatever the bytes claim, the sender is the key that authenticated: validator 0
    socket.write(encodeFrame(FrameKind.heartbeat, new Uint8Array(0)));
    socket.write(encodeFrame(FrameKind.data, text('I am validator 1')));
    await waitFor(() => box.includes('0:I am validator 1'), 'the frame from the new connection');
    expect(ts[1].stats().connects).toBeGreaterThanOrEqual(2);
    // validator 0 lost its connection (replaced), dials again and replaces the raw one in turn
    await closed(socket);
    await waitFor(() => allConnected(ts), 'validator 0 back');
    expect(ts[0].stats().connects).toBeGreaterThanOrEqual(2);
    const boxes = ts.map(inbox);
    ts[0].send(1, text('back'));
    await waitFor(() => boxes[1].includes('0:back'), 'frames on the new connection');
  });
});
