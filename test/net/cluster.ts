// Validator sets of TLS transports on loopback for the net tests, a raw TLS client holding any
// network key (to send what a transport never would), and bounded waits.
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { connect, type TLSSocket } from 'node:tls';
import {
  createTlsTransport,
  networkCertificate,
  networkPublicKey,
  type TlsPeer,
  type TlsTransport,
  type TlsTransportOptions,
} from '../../src/net/index.js';
import { isolatedSeed } from '../_support/isolation.js';

/** The network key seed of validator `i`: fixed per test file (the tests' behaviour does not depend on keys). */
export const seedOf = (i: number) => isolatedSeed('net', i);
/** A key no validator set of these tests lists. */
export const STRANGER = new Uint8Array(32).fill(0xee);

export const peersOf = (n: number, port = 0): TlsPeer[] => Array.from({ length: n }, (_, i) => ({ networkKey: networkPublicKey(seedOf(i)), host: '127.0.0.1', port }));

export type Overrides = Partial<Omit<TlsTransportOptions, 'id' | 'networkSeed'>>;

/**
 * Fast timings, so reconnects and suspicion show up within a test's bounds; the idle timeout
 * stays long, so a test process stalled by a busy machine does not lose connections.
 */
const FAST: Overrides = { heartbeatInterval: 20, idleTimeout: 5000, reconnect: { initialDelay: 5, maxDelay: 50 }, breaker: { failures: 3, openDuration: 100 } };

/** Validator `id` of a set of `peers.length`, listening on a free loopback port unless told. */
export function startTransport(id: number, peers: TlsPeer[], overrides: Overrides = {}): Promise<TlsTransport> {
  return createTlsTransport({ ...FAST, ...overrides, peers, id, networkSeed: seedOf(id) });
}

/** Tells every transport where the others listen. */
export function introduce(transports: (TlsTransport | undefined)[]): void {
  for (const [i, t] of transports.entries()) for (const [j, u] of transports.entries()) if (t && u && i !== j) t.setPeerAddress(j, u.address());
}

/** `n` validators on loopback, all introduced; `only` starts a subset. */
export async function startCluster(n: number, overrides: Overrides = {}): Promise<TlsTransport[]> {
  const peers = peersOf(n);
  const transports = await Promise.all(peers.map((_, id) => startTransport(id, peers, overrides)));
  introduce(transports);
  return transports;
}

/** Polls `predicate` every 5 ms; fails with `what` after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export const allConnected = (transports: TlsTransport[]) => transports.every((t) => t.peers().every((p) => p.connected));

export const text = (s: string) => new TextEncoder().encode(s);

/** Every frame `transport` receives, as "from:text". */
export function inbox(transport: TlsTransport): string[] {
  const got: string[] = [];
  transport.onFrame((from, frame) => got.push(`${from}:${new TextDecoder().decode(frame)}`));
  return got;
}

/** A TLS 1.3 client presenting the certificate of `seed` (or none), connected to `port`. */
export async function rawClient(port: number, seed: Uint8Array | null): Promise<TLSSocket> {
  const certificate = seed === null ? {} : await networkCertificate(seed);
  const socket = connect({ host: '127.0.0.1', port, ...certificate, rejectUnauthorized: false, minVersion: 'TLSv1.3', checkServerIdentity: () => undefined });
  socket.on('error', () => undefined);
  socket.resume(); // what the transport sends is not read, but must not hold back the close
  await once(socket, 'secureConnect', { signal: AbortSignal.timeout(5000) });
  return socket;
}

/** Resolves when `socket` has closed, failing after `timeoutMs`. */
export async function closed(socket: Socket, timeoutMs = 5000): Promise<void> {
  if (socket.closed) return;
  await Promise.race([
    new Promise<void>((resolve) => socket.once('close', () => resolve())),
    new Promise<void>((_, reject) => setTimeout(() => reject(new Error(`socket still open after ${timeoutMs} ms`)), timeoutMs).unref()),
  ]);
}
