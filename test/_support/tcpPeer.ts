import { createConnection, createServer, type Socket } from 'node:net';
import type { Address } from './faultProxy.js';

// Plain TCP ends for testing the fault tools: a server the test controls and a client that
// records what it receives. Every wait is bounded by a timeout.

/** A test's end of a TCP connection: keeps what arrives and whether the connection closed. */
export class Peer {
  private buffer = Buffer.alloc(0);
  private readonly waiters = new Set<() => void>();
  ended = false;
  closed = false;
  /** The connection's error, if any (the socket is then destroyed, as an application would). */
  error: Error | null = null;

  constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.wake();
    });
    socket.on('end', () => {
      this.ended = true;
      this.wake();
    });
    socket.on('error', (err) => {
      this.error = err;
      socket.destroy();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  /** Connects; resolves once the TCP connection is up. */
  static dial(address: Address): Promise<Peer> {
    return new Promise((resolve, reject) => {
      const socket = createConnection({ host: address.host, port: address.port });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new Peer(socket));
      });
    });
  }

  /** Bytes received and not yet taken. */
  get pending(): number {
    return this.buffer.length;
  }

  send(bytes: Uint8Array | string): void {
    this.socket.write(bytes);
  }

  /** Waits until `ready()` holds; false if `timeoutMs` passed first. */
  until(ready: () => boolean, timeoutMs: number): Promise<boolean> {
    if (ready()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = (): void => {
        if (!ready()) return;
        finish(true);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      const finish = (met: boolean): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(met);
      };
      this.waiters.add(check);
    });
  }

  /** The next `n` bytes received; throws if they do not come within `timeoutMs`. */
  async take(n: number, timeoutMs = 5000): Promise<Buffer> {
    if (!(await this.until(() => this.buffer.length >= n || this.closed, timeoutMs)) || this.buffer.length < n) {
      throw new Error(`Peer.take: ${this.buffer.length} of ${n} bytes after ${timeoutMs} ms (closed: ${this.closed})`);
    }
    const out = this.buffer.subarray(0, n);
    this.buffer = this.buffer.subarray(n);
    return out;
  }

  /** Resolves once the connection is closed; false if still open after `timeoutMs`. */
  whenClosed(timeoutMs = 5000): Promise<boolean> {
    return this.until(() => this.closed, timeoutMs);
  }

  destroy(): void {
    this.socket.destroy();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

export interface TestServer {
  address: Address;
  /** The server side of every connection accepted and still open. */
  sockets: Set<Socket>;
  close(): Promise<void>;
}

/** A loopback TCP server running `handle` on each connection (half-open allowed). */
export async function serve(handle: (socket: Socket) => void): Promise<TestServer> {
  const sockets = new Set<Socket>();
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
    handle(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    address: { host: '127.0.0.1', port },
    sockets,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

/** Sends back every byte, and ends its side when the client ends its own. */
export function echo(socket: Socket): void {
  socket.on('data', (chunk: Buffer) => socket.write(chunk));
  socket.on('end', () => socket.end());
}
