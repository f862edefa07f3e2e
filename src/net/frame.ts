// Frames on a validator connection: [u32 big-endian length][u8 version][u8 kind][body]. The
// length counts everything after itself (version, kind and body), so a reader knows from the
// first four bytes whether a frame is acceptable, before buffering any of it.

/** The only version this code reads and writes. */
export const FRAME_VERSION = 1;

/** Bytes before a frame's body: length (4), version (1), kind (1). */
export const FRAME_HEADER_BYTES = 6;

/** What a frame carries: a frame of the layer above, or a heartbeat (no body) for failure detection. */
export const FrameKind = { data: 0, heartbeat: 1 } as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

/** Why a byte stream stopped being readable as frames (the connection is then closed). */
export type FrameError = 'oversize' | 'badVersion' | 'malformed';

/** `body` as one frame of `kind`, header included. */
export function encodeFrame(kind: FrameKind, body: Uint8Array): Uint8Array {
  const frame = new Uint8Array(FRAME_HEADER_BYTES + body.length);
  const length = body.length + 2;
  frame[0] = length >>> 24;
  frame[1] = (length >>> 16) & 0xff;
  frame[2] = (length >>> 8) & 0xff;
  frame[3] = length & 0xff;
  frame[4] = FRAME_VERSION;
  frame[5] = kind;
  frame.set(body, FRAME_HEADER_BYTES);
  return frame;
}

/** Every heartbeat is these same bytes. */
export const HEARTBEAT_FRAME = encodeFrame(FrameKind.heartbeat, new Uint8Array(0));

const EMPTY = new Uint8Array(0);

/**
 * Reads frames out of a byte stream cut anywhere (split or merged chunks). It holds at most one
 * frame's bytes: a length above `maxBodyBytes` + 2 is refused from the four bytes that state it.
 * Each body is handed over as a fresh `Uint8Array` the receiver owns (never a view into a
 * socket chunk, which would keep the whole chunk alive as long as the frame).
 */
export class FrameDecoder {
  private readonly header = new Uint8Array(FRAME_HEADER_BYTES);
  private headerFill = 0;
  /** Body bytes still to come of the frame under way (-1: reading a header). */
  private bodyLength = -1;
  private kind: FrameKind = FrameKind.data;
  private parts: Uint8Array[] = [];
  private partBytes = 0;
  private failed: FrameError | null = null;

  constructor(private readonly maxBodyBytes: number) {}

  /** True while part of a frame has been read: the stream ending now would truncate it. */
  get midFrame(): boolean {
    return this.headerFill > 0 || this.bodyLength >= 0;
  }

  /** Bytes held for the frame under way. */
  get bufferedBytes(): number {
    return this.headerFill + this.partBytes;
  }

  /**
   * Feeds `chunk`, calling `onFrame` for every frame it completes. Returns the error that makes
   * the stream unreadable (after which nothing more is read), or null.
   */
  push(chunk: Uint8Array, onFrame: (kind: FrameKind, body: Uint8Array) => void): FrameError | null {
    if (this.failed !== null) return this.failed;
    let at = 0;
    while (at < chunk.length) {
      if (this.bodyLength < 0) {
        at = this.readHeader(chunk, at);
        if (this.failed !== null) return this.failed;
        if (this.bodyLength === 0) this.finish(EMPTY, onFrame);
        continue;
      }
      const wanted = this.bodyLength - this.partBytes;
      const available = chunk.length - at;
      if (this.partBytes === 0 && available >= wanted) {
        // the whole body is in this chunk: one copy out of it
        const body = new Uint8Array(wanted);
        body.set(chunk.subarray(at, at + wanted));
        at += wanted;
        this.finish(body, onFrame);
      } else if (available < wanted) {
        this.parts.push(chunk.subarray(at));
        this.partBytes += available;
        at = chunk.length;
      } else {
        this.parts.push(chunk.subarray(at, at + wanted));
        at += wanted;
        const body = new Uint8Array(this.bodyLength);
        let offset = 0;
        for (const part of this.parts) {
          body.set(part, offset);
          offset += part.length;
        }
        this.finish(body, onFrame);
      }
    }
    return null;
  }

  /** Reads header bytes from `chunk` at `at`, checking each field as soon as it is complete. */
  private readHeader(chunk: Uint8Array, at: number): number {
    const header = this.header;
    while (this.headerFill < FRAME_HEADER_BYTES && at < chunk.length) {
      header[this.headerFill++] = chunk[at++];
      if (this.headerFill === 4) {
        const length = ((header[0] << 24) | (header[1] << 16) | (header[2] << 8) | header[3]) >>> 0;
        if (length < 2) this.failed = 'malformed';
        else if (length - 2 > this.maxBodyBytes) this.failed = 'oversize';
      } else if (this.headerFill === 5 && header[4] !== FRAME_VERSION) {
        this.failed = 'badVersion';
      }
      if (this.failed !== null) return at;
    }
    if (this.headerFill < FRAME_HEADER_BYTES) return at;
    const kind = header[5];
    const length = (((header[0] << 24) | (header[1] << 16) | (header[2] << 8) | header[3]) >>> 0) - 2;
    // a heartbeat has no body; any other kind is not one this version knows
    if (kind === FrameKind.heartbeat ? length !== 0 : kind !== FrameKind.data) {
      this.failed = 'malformed';
      return at;
    }
    this.kind = kind as FrameKind;
    this.bodyLength = length;
    return at;
  }

  private finish(body: Uint8Array, onFrame: (kind: FrameKind, body: Uint8Array) => void): void {
    const kind = this.kind;
    this.headerFill = 0;
    this.bodyLength = -1;
    if (this.partBytes !== 0) this.parts = [];
    this.partBytes = 0;
    onFrame(kind, body);
  }
}
