// Buffers kept from one batch to the next. A fresh buffer's memory is mapped lazily and pays a
// page fault per page on first touch: packing 16 MiB into a new SharedArrayBuffer took ~33 ms in
// Chromium and in Node, into a new ArrayBuffer ~8 ms, when hashing it takes ~25 ms. A kept
// buffer is mapped already. Shared buffers come back when their batch settles; transferred ones
// when their worker sends them back with its result.

/** Bytes kept at most, in buffers of at most KEEP_BYTES each (a huge batch's buffers are let go). */
const KEEP_TOTAL = 64 << 20;
const KEEP_BYTES = 32 << 20;
/** Sizes are rounded up to a power of two from here, so batches of other sizes reuse them (untouched pages cost nothing). */
const MIN_BYTES = 64 << 10;

export class BufferCache<B extends ArrayBuffer | SharedArrayBuffer> {
  /** Ascending by size. */
  private readonly free: B[] = [];
  private kept = 0;

  constructor(private readonly allocate: (bytes: number) => B) {}

  /** A buffer of at least `bytes` bytes; `give` it back when nothing uses it any more. */
  take(bytes: number): B {
    const i = this.free.findIndex((b) => b.byteLength >= bytes);
    if (i >= 0) {
      const [b] = this.free.splice(i, 1);
      this.kept -= b.byteLength;
      return b;
    }
    let size = MIN_BYTES;
    while (size < bytes) size *= 2;
    return this.allocate(size);
  }

  give(buffers: readonly B[]): void {
    for (const b of buffers) {
      // Detached (transferred away and not back) buffers read as empty.
      if (b.byteLength > KEEP_BYTES || b.byteLength === 0) continue;
      const at = this.free.findIndex((f) => f.byteLength >= b.byteLength);
      this.free.splice(at < 0 ? this.free.length : at, 0, b);
      this.kept += b.byteLength;
    }
    // Keep the largest: they serve any batch.
    while (this.kept > KEEP_TOTAL) this.kept -= (this.free.shift() as B).byteLength;
  }
}
