// A source's header stream (WebSocket `/v1/headers/stream`): each text message is one header as
// JSON. A dropped connection is opened again after a growing delay; what was missed meanwhile the
// client fetches over HTTP when the next header shows the gap.

/** The part of a WebSocket the client uses: the browser's (and Node ≥ 22's) global, or the `ws` package's. */
export interface WebSocketLike {
  addEventListener(type: 'open' | 'message' | 'close' | 'error', listener: (event: object) => void): void;
  close(code?: number, reason?: string): void;
}

/** A WebSocket class: `globalThis.WebSocket`, or `WebSocket` from the `ws` package on Node 20. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 10_000;

/** What a stream tells its owner: each message's data, and each connection opened or dropped (or refused). */
export interface StreamHandlers {
  message(data: unknown): void;
  opened(): void;
  dropped(): void;
}

export class HeaderStream {
  private socket: WebSocketLike | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private delay = FIRST_DELAY_MS;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly Socket: WebSocketConstructor,
    private readonly handlers: StreamHandlers,
  ) {
    this.open();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.socket?.close(1000, 'light client stopped following');
    this.socket = null;
  }

  private open(): void {
    let socket: WebSocketLike;
    try {
      socket = new this.Socket(this.url);
    } catch {
      this.retry();
      return;
    }
    this.socket = socket;
    socket.addEventListener('open', () => {
      this.handlers.opened();
      this.delay = FIRST_DELAY_MS;
    });
    socket.addEventListener('message', (event) => {
      if (this.socket === socket) this.handlers.message((event as { data?: unknown }).data);
    });
    // 'error' is always followed by 'close'; the retry is scheduled there, once.
    socket.addEventListener('error', () => undefined);
    socket.addEventListener('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.handlers.dropped();
      this.retry();
    });
  }

  private retry(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.stopped) this.open();
    }, this.delay);
    this.delay = Math.min(this.delay * 2, MAX_DELAY_MS);
  }
}
