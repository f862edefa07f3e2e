import type { TLSSocket } from 'node:tls';
import { FrameDecoder, type FrameError, type FrameKind } from './frame.js';

/** What a connection reports to the transport that owns it. */
export interface ConnectionEvents {
  /** A whole frame arrived (`connection.lastHeard` is its arrival time). */
  frame(connection: Connection, kind: FrameKind, body: Uint8Array): void;
  /** The peer sent bytes that are not frames, or its stream ended mid-frame: the connection is closing. */
  broken(connection: Connection, reason: FrameError | 'truncated'): void;
  /** The socket took the bytes it was holding back: writing may go on. */
  drain(connection: Connection): void;
  /** The socket is closed. */
  close(connection: Connection): void;
}

/** Byte counters a connection adds to (the transport's stats). */
export interface ByteCounters {
  bytesIn: number;
  bytesOut: number;
}

/**
 * One TLS socket to an authenticated validator, read as frames. It is `established` once a first
 * frame came through (see the transport for why); until then it must do so within
 * `handshakeTimeout` ms or be closed.
 */
export class Connection {
  established = false;
  /** The socket's buffer is full (`write` returned false) until 'drain'. */
  blocked = false;
  /** When a frame was last heard on it (performance.now() ms), or when it was opened. */
  lastHeard = performance.now();
  readonly closed: Promise<void>;
  private readonly decoder: FrameDecoder;
  /** This side ended it: what was mid-frame then is not the peer's doing. */
  private endedHere = false;

  constructor(
    readonly peer: number,
    readonly socket: TLSSocket,
    maxBodyBytes: number,
    handshakeTimeout: number,
    private readonly events: ConnectionEvents,
    private readonly counters: ByteCounters,
  ) {
    this.decoder = new FrameDecoder(maxBodyBytes);
    this.closed = new Promise((resolve) => {
      socket.once('close', () => {
        if (!this.endedHere && this.decoder.midFrame) events.broken(this, 'truncated');
        events.close(this);
        resolve();
      });
    });
    // an error is followed by 'close', which does the bookkeeping
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => this.read(chunk));
    socket.on('drain', () => {
      this.blocked = false;
      events.drain(this);
    });
    socket.setTimeout(handshakeTimeout, () => this.destroy());
  }

  /** Called once, when the connection is established. */
  onEstablished: (() => void) | null = null;

  /** Marks the connection established: the handshake deadline no longer applies. */
  establish(): void {
    this.established = true;
    this.socket.setTimeout(0);
    this.onEstablished?.();
  }

  /** Writes one encoded frame; false when the socket wants 'drain' before more. */
  write(frame: Uint8Array): boolean {
    this.counters.bytesOut += frame.length;
    if (this.socket.write(frame)) return true;
    this.blocked = true;
    return false;
  }

  /** Closes the connection from this side. */
  destroy(): void {
    this.endedHere = true;
    this.socket.destroy();
  }

  private read(chunk: Buffer): void {
    if (this.endedHere) return;
    this.counters.bytesIn += chunk.length;
    const error = this.decoder.push(chunk, this.onFrame);
    if (error !== null) {
      this.events.broken(this, error);
      this.destroy();
    }
  }

  private readonly onFrame = (kind: FrameKind, body: Uint8Array): void => {
    if (this.endedHere) return;
    this.lastHeard = performance.now();
    this.events.frame(this, kind, body);
  };
}
