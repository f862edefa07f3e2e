import { FRAME_HEADER_BYTES } from './frame.js';

/**
 * Frames waiting for one peer's connection, bounded in count and in bytes (each counted with its
 * header, as it will go on the wire). When a new frame does not fit, the oldest frames go first:
 * consensus retransmits what still matters, and the newest frames are the likeliest to.
 */
export class SendQueue {
  private items: Uint8Array[] = [];
  private head = 0;
  /** Wire bytes of the frames held. */
  bytes = 0;

  constructor(
    private readonly maxFrames: number,
    private readonly maxBytes: number,
  ) {}

  get length(): number {
    return this.items.length - this.head;
  }

  /**
   * Appends `frame`, dropping the oldest frames until it fits; returns how many frames were
   * dropped (`frame` itself, if it alone is larger than the byte bound).
   */
  push(frame: Uint8Array): number {
    const size = frame.length + FRAME_HEADER_BYTES;
    if (size > this.maxBytes) return 1;
    let dropped = 0;
    while (this.length >= this.maxFrames || this.bytes + size > this.maxBytes) {
      this.shift();
      dropped++;
    }
    this.items.push(frame);
    this.bytes += size;
    return dropped;
  }

  /** Takes the oldest frame (the queue must not be empty). */
  shift(): Uint8Array {
    const frame = this.items[this.head];
    this.items[this.head++] = EMPTY;
    this.bytes -= frame.length + FRAME_HEADER_BYTES;
    // compact once the consumed prefix is at least half the array: amortised O(1) per frame
    if (this.head === this.items.length || (this.head >= 64 && this.head * 2 >= this.items.length)) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return frame;
  }
}

const EMPTY = new Uint8Array(0);
