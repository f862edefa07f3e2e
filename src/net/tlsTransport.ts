import type { AddressInfo, Socket } from 'node:net';
import { connect, createServer, type Server, type TLSSocket } from 'node:tls';
import { ArgumentRangeError, requireBytes, requireFunction, requireInteger, requireObject, requireOptions, requireString } from '../check/index.js';
import { BrokenCircuitError, RetryPolicy, sleep } from '../resilience/index.js';
import { type NetworkCertificate, networkCertificate, peerNetworkKey } from './certificate.js';
import { Connection } from './connection.js';
import { encodeFrame, FrameKind, HEARTBEAT_FRAME } from './frame.js';
import { type TlsConfig, tlsConfig, type TlsTransportOptions } from './options.js';
import { createPeer, now, type Peer } from './peer.js';
import type { PeerBreakerState, PeerChange, PeerStatus, TlsRejectReason, TlsTransport, TlsTransportStats } from './status.js';
import type { Unsubscribe } from './transport.js';

/** Opens the listener of validator `options.id` and starts dialing the validators it dials. */
export async function createTlsTransport(options: TlsTransportOptions): Promise<TlsTransport> {
  const config = tlsConfig(options);
  const transport = new SocketTransport(config, await networkCertificate(config.networkSeed));
  await transport.listen();
  return transport;
}

const TLS = { rejectUnauthorized: false, minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' } as const;
const hex = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');

/** A timer that never keeps the process alive, ended early by `signal`. */
const backgroundSleep = (ms: number, signal?: AbortSignal) => sleep(ms, signal, true);

class SocketTransport implements TlsTransport {
  private readonly server: Server;
  private readonly peerList: (Peer | undefined)[];
  private readonly others: Peer[];
  /** Validator id by hex network key. */
  private readonly ids = new Map<string, number>();
  private readonly reconnect: RetryPolicy;
  private readonly abort = new AbortController();
  /** Every socket and connection not yet closed, for `close()`. */
  private readonly sockets = new Set<Socket>();
  private readonly connections = new Set<Connection>();
  private handlers: ((from: number, frame: Uint8Array) => void)[] = [];
  private listeners: ((change: PeerChange) => void)[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private closing: Promise<void> | null = null;
  private readonly counters: TlsTransportStats = {
    framesIn: 0,
    framesOut: 0,
    bytesIn: 0,
    bytesOut: 0,
    heartbeatsIn: 0,
    heartbeatsOut: 0,
    connects: 0,
    disconnects: 0,
    timeouts: 0,
    dropped: { queueFull: 0, breakerOpen: 0, noSuchPeer: 0, oversize: 0 },
    rejected: { oversize: 0, truncated: 0, badVersion: 0, malformed: 0, unknownPeer: 0, wrongPeer: 0, handshake: 0 },
  };

  constructor(
    private readonly config: TlsConfig,
    private readonly certificate: NetworkCertificate,
  ) {
    config.peers.forEach((p, id) => this.ids.set(hex(p.networkKey), id));
    this.peerList = config.peers.map((p, id) => (id === config.id ? undefined : createPeer(config, id, p.host, p.port)));
    this.others = this.peerList.filter((p): p is Peer => p !== undefined);
    this.reconnect = new RetryPolicy({ maxAttempts: Number.MAX_SAFE_INTEGER, baseMs: config.initialDelay, maxDelayMs: config.maxDelay, jitter: 'full', sleep: backgroundSleep });
    this.server = createServer({ ...TLS, ...certificate, requestCert: true, handshakeTimeout: config.handshakeTimeout }, (socket) => this.accept(socket));
    this.server.on('connection', (socket: Socket) => this.track(socket));
    this.server.on('tlsClientError', (_error, socket) => {
      this.counters.rejected.handshake++;
      socket.destroy();
    });
  }

  /** Binds the listener, then starts the heartbeats and the dial loops. */
  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.config.listenPort, this.config.listenHost, () => {
        this.server.off('error', reject);
        this.server.on('error', () => undefined); // accept errors (EMFILE…) cost one connection, not the node
        this.timer = setInterval(() => this.tick(), this.config.heartbeatInterval);
        this.timer.unref();
        for (const peer of this.others) if (peer.breaker !== null) void this.dialLoop(peer);
        resolve();
      });
    });
  }

  address(): { host: string; port: number } {
    const { address, port } = this.server.address() as AddressInfo;
    return { host: address, port };
  }

  setPeerAddress(id: number, address: { host: string; port: number }): void {
    const where = 'TlsTransport.setPeerAddress';
    requireInteger(id, where, 'id', 0, this.peerList.length - 1);
    const peer = this.peerList[id];
    if (peer === undefined) throw new ArgumentRangeError(where, 'id', `must be another validator's id, got this transport's own id ${id}`);
    const checked = requireOptions(requireObject<{ host: string; port: number }>(address, where, 'address'), where, 'address', ['host', 'port']);
    peer.host = requireString(checked.host, where, 'address.host');
    peer.port = requireInteger(checked.port, where, 'address.port', 1, 65535);
    peer.wake?.();
  }

  send(to: number, frame: Uint8Array): void {
    if (!(frame instanceof Uint8Array)) requireBytes(frame, 'TlsTransport.send', 'frame');
    if (this.closing !== null) return;
    const peer = this.peerList[to];
    if (peer === undefined || !Number.isInteger(to)) this.counters.dropped.noSuchPeer++;
    else this.enqueue(peer, frame);
  }

  broadcast(frame: Uint8Array): void {
    if (!(frame instanceof Uint8Array)) requireBytes(frame, 'TlsTransport.broadcast', 'frame');
    if (this.closing !== null) return;
    for (const peer of this.others) this.enqueue(peer, frame);
  }

  onFrame(handler: (from: number, frame: Uint8Array) => void): Unsubscribe {
    requireFunction(handler, 'TlsTransport.onFrame', 'handler');
    this.handlers = [...this.handlers, handler];
    return () => {
      this.handlers = this.handlers.filter((h) => h !== handler);
    };
  }

  onPeerChange(listener: (change: PeerChange) => void): Unsubscribe {
    requireFunction(listener, 'TlsTransport.onPeerChange', 'listener');
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  peers(): PeerStatus[] {
    const t = now();
    return this.others.map((peer) => ({
      id: peer.id,
      connected: peer.connection !== null,
      phi: peer.detector.phi(t),
      suspected: !peer.detector.isAvailable(t),
      breaker: (peer.breaker?.state ?? 'closed') as PeerBreakerState,
      queuedFrames: peer.queue.length,
      queuedBytes: peer.queue.bytes,
      lastHeardMs: peer.lastHeard === null ? null : t - peer.lastHeard,
    }));
  }

  stats(): TlsTransportStats {
    const c = this.counters;
    return { ...c, dropped: { ...c.dropped }, rejected: { ...c.rejected } };
  }

  close(): Promise<void> {
    if (this.closing !== null) return this.closing;
    clearInterval(this.timer);
    this.abort.abort();
    const waits: Promise<unknown>[] = [new Promise((resolve) => this.server.close(resolve))];
    for (const peer of this.others) peer.wake?.();
    for (const connection of this.connections) {
      waits.push(connection.closed);
      connection.destroy();
    }
    for (const socket of this.sockets) {
      waits.push(new Promise((resolve) => socket.once('close', resolve)));
      socket.destroy();
    }
    this.closing = Promise.all(waits).then(() => undefined);
    return this.closing;
  }

  // What the connections report.

  private received(connection: Connection, kind: FrameKind, body: Uint8Array): void {
    if (this.closing !== null) return;
    const peer = this.peerList[connection.peer]!;
    peer.lastHeard = connection.lastHeard;
    if (!connection.established) this.establish(peer, connection);
    if (kind === FrameKind.heartbeat) {
      this.counters.heartbeatsIn++;
      peer.detector.heartbeat(connection.lastHeard);
      return;
    }
    this.counters.framesIn++;
    const handlers = this.handlers;
    for (let i = 0; i < handlers.length; i++) {
      try {
        handlers[i](peer.id, body);
      } catch (err) {
        // the handler's own bug: surface it without breaking the connection or the other handlers
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }

  private drained(connection: Connection): void {
    const peer = this.peerList[connection.peer]!;
    if (peer.connection === connection) this.flush(peer);
  }

  private ended(connection: Connection): void {
    this.connections.delete(connection);
    if (connection.established) this.counters.disconnects++;
    const peer = this.peerList[connection.peer]!;
    if (peer.connection === connection) {
      peer.connection = null;
      this.report(peer, now());
    }
  }

  /**
   * A connection is established by the first frame through it. The dialer writes a heartbeat as
   * soon as it has pinned the acceptor's key; the acceptor answers once that arrives. So a
   * connection the dialer dropped (it met the wrong key) never replaces a good one, and a dialer
   * the acceptor refused counts a failed dial (backoff) instead of a connection.
   */
  private establish(peer: Peer, connection: Connection): void {
    connection.establish();
    const old = peer.connection;
    peer.connection = connection;
    this.counters.connects++;
    // a peer that restarted dials again while its old connection may linger: the new one wins
    old?.destroy();
    peer.heartbeatDue = true;
    this.flush(peer);
    this.report(peer, connection.lastHeard);
  }

  private enqueue(peer: Peer, frame: Uint8Array): void {
    const dropped = this.counters.dropped;
    if (frame.length > this.config.maxFrameBytes) {
      dropped.oversize++;
      return;
    }
    if (peer.breaker !== null && peer.breaker.state === 'open') {
      dropped.breakerOpen++;
      return;
    }
    const lost = peer.queue.push(frame);
    if (lost !== 0) dropped.queueFull += lost;
    if (peer.connection !== null && !peer.flushScheduled) {
      peer.flushScheduled = true;
      // frames sent in one synchronous burst leave together
      queueMicrotask(() => this.flush(peer));
    }
  }

  /** Writes the due heartbeat and queued frames until the socket pushes back. */
  private flush(peer: Peer): void {
    peer.flushScheduled = false;
    const connection = peer.connection;
    if (connection === null || connection.blocked || connection.socket.destroyed || this.closing !== null) return;
    const socket = connection.socket;
    socket.cork();
    let open = true;
    if (peer.heartbeatDue) {
      peer.heartbeatDue = false;
      this.counters.heartbeatsOut++;
      open = connection.write(HEARTBEAT_FRAME);
    }
    while (open && peer.queue.length > 0) {
      this.counters.framesOut++;
      open = connection.write(encodeFrame(FrameKind.data, peer.queue.shift()));
    }
    socket.uncork();
  }

  private tick(): void {
    const t = now();
    for (const peer of this.others) {
      const connection = peer.connection;
      if (connection !== null && t - connection.lastHeard > this.config.idleTimeout) {
        // silent for too long though the socket looks open (a peer gone without a FIN): dial anew
        this.counters.timeouts++;
        connection.destroy();
      } else if (connection !== null) {
        peer.heartbeatDue = true;
        this.flush(peer);
      }
      this.report(peer, t);
    }
  }

  /** Tells the listeners when the peer's `connected` or `suspected` changed. */
  private report(peer: Peer, t: number): void {
    if (this.closing !== null) return;
    const connected = peer.connection !== null;
    const suspected = !peer.detector.isAvailable(t);
    if (connected === peer.reported.connected && suspected === peer.reported.suspected) return;
    peer.reported = { connected, suspected };
    const change = { id: peer.id, connected, suspected };
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (err) {
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  }

  private track(socket: Socket): void {
    if (this.closing !== null) {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  /** Who the certificate of `socket` belongs to, if it may connect here; else why not. */
  private authenticate(socket: TLSSocket, expected: number | null): number | TlsRejectReason {
    const key = peerNetworkKey(socket);
    if (key === null) return 'handshake';
    const id = this.ids.get(hex(key));
    if (id === undefined) return 'unknownPeer';
    // the acceptor hears only from lower ids: the higher ones are dialed from here
    if (expected === null ? id >= this.config.id : id !== expected) return 'wrongPeer';
    return id;
  }

  private open(id: number, socket: TLSSocket): Connection {
    const connection = new Connection(id, socket, this.config.maxFrameBytes, this.config.handshakeTimeout, {
      frame: (c, kind, body) => this.received(c, kind, body),
      broken: (_c, reason) => this.counters.rejected[reason]++,
      drain: (c) => this.drained(c),
      close: (c) => this.ended(c),
    }, this.counters);
    this.connections.add(connection);
    return connection;
  }

  private accept(socket: TLSSocket): void {
    socket.on('error', () => undefined);
    if (this.closing !== null) {
      socket.destroy();
      return;
    }
    const id = this.authenticate(socket, null);
    if (typeof id === 'number') this.open(id, socket);
    else {
      this.counters.rejected[id]++;
      socket.destroy();
    }
  }

  /** Keeps one connection to `peer` up while the transport is open: dial, wait for it to end, dial again. */
  private async dialLoop(peer: Peer): Promise<void> {
    const signal = this.abort.signal;
    while (this.closing === null) {
      if (peer.port === 0) {
        await new Promise<void>((resolve) => (peer.wake = resolve));
        peer.wake = null;
        continue;
      }
      try {
        const connection = await this.reconnect.execute(() => peer.breaker!.execute(() => this.dial(peer)), signal);
        await connection.closed;
      } catch (err) {
        if (this.closing !== null) return;
        // the breaker opened: no dial until it lets a probe through
        const wait = err instanceof BrokenCircuitError ? err.retryAfterMs : this.config.maxDelay;
        await backgroundSleep(Math.max(1, wait), signal).catch(() => undefined);
      }
    }
  }

  /** One dial: resolves with the connection once established, rejects if it fails before. */
  private dial(peer: Peer): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ ...TLS, ...this.certificate, host: peer.host, port: peer.port, checkServerIdentity: () => undefined });
      this.track(socket);
      let reached = false;
      socket.once('connect', () => (reached = true));
      const timedOut = () => socket.destroy();
      socket.setTimeout(this.config.handshakeTimeout, timedOut);
      const failed = (error: unknown) => {
        // a TLS failure once the TCP connection is up is the peer's handshake; before, just a failed dial
        if (reached && error !== undefined) this.counters.rejected.handshake++;
        reject(error ?? new Error(`connection to validator ${peer.id} closed during the handshake`));
      };
      socket.on('error', failed);
      socket.once('close', () => failed(undefined));
      socket.once('secureConnect', () => {
        socket.off('error', failed);
        socket.off('timeout', timedOut);
        socket.on('error', () => undefined);
        const id = this.authenticate(socket, peer.id);
        if (typeof id !== 'number') {
          this.counters.rejected[id]++;
          socket.destroy();
          reject(new Error(`validator ${peer.id}'s address answered with ${id === 'wrongPeer' ? "another validator's" : 'an unknown'} key`));
          return;
        }
        const connection = this.open(id, socket);
        connection.write(HEARTBEAT_FRAME);
        this.counters.heartbeatsOut++;
        void connection.closed.then(() => reject(new Error(`validator ${peer.id} closed the connection before answering`)));
        connection.onEstablished = () => resolve(connection);
      });
    });
  }
}
