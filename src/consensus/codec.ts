import { DecodeError } from './errors.js';

/** Growable little-endian byte writer for the consensus wire format. */
export class Writer {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;
  constructor(capacity = 256) {
    this.buf = new Uint8Array(capacity);
    this.view = new DataView(this.buf.buffer);
  }
  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }
  u8(v: number): this {
    this.reserve(1);
    this.buf[this.pos++] = v;
    return this;
  }
  u16(v: number): this {
    this.reserve(2);
    this.view.setUint16(this.pos, v, true);
    this.pos += 2;
    return this;
  }
  u32(v: number): this {
    this.reserve(4);
    this.view.setUint32(this.pos, v, true);
    this.pos += 4;
    return this;
  }
  /** Safe integers up to 2^53 as 8 bytes. */
  u64(v: number): this {
    this.reserve(8);
    this.view.setUint32(this.pos, v % 2 ** 32, true);
    this.view.setUint32(this.pos + 4, Math.floor(v / 2 ** 32), true);
    this.pos += 8;
    return this;
  }
  raw(bytes: Uint8Array): this {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
    return this;
  }
  /** u32 length prefix, then the bytes. */
  bytes(bytes: Uint8Array): this {
    return this.u32(bytes.length).raw(bytes);
  }
  list(items: Uint8Array[]): this {
    this.u16(items.length);
    for (const item of items) this.bytes(item);
    return this;
  }
  get length(): number {
    return this.pos;
  }
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

/** Bounds-checked reader: every overrun throws `DecodeError`, which `step` counts as malformed. */
export class Reader {
  private readonly view: DataView;
  pos = 0;
  constructor(readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new DecodeError(`truncated: need ${n} bytes at offset ${this.pos} of ${this.buf.length}`);
  }
  u8(): number {
    this.need(1);
    return this.buf[this.pos++];
  }
  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  u64(): number {
    this.need(8);
    const lo = this.view.getUint32(this.pos, true);
    const hi = this.view.getUint32(this.pos + 4, true);
    if (hi >= 2 ** 21) throw new DecodeError('integer above 2^53');
    this.pos += 8;
    return hi * 2 ** 32 + lo;
  }
  raw(n: number): Uint8Array {
    this.need(n);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  bytes(max = 64 * 2 ** 20): Uint8Array {
    const n = this.u32();
    if (n > max) throw new DecodeError(`field of ${n} bytes exceeds ${max}`);
    return this.raw(n);
  }
  /**
   * A u16 count, then that many length-prefixed items of at least `minItemBytes` bytes each. The
   * count is checked against `maxItems` and against the bytes left before anything is allocated
   * for it: a short frame cannot ask for an object per 4 bytes it does not carry.
   */
  list(maxItems = 4096, minItemBytes = 0): Uint8Array[] {
    const count = this.u16();
    if (count > maxItems) throw new DecodeError(`list of ${count} items exceeds ${maxItems}`);
    if (count * (4 + minItemBytes) > this.remaining) throw new DecodeError(`list of ${count} items cannot fit in ${this.remaining} bytes`);
    const out: Uint8Array[] = [];
    for (let i = 0; i < count; i++) out.push(this.bytes());
    return out;
  }
  get remaining(): number {
    return this.buf.length - this.pos;
  }
  end(): void {
    if (this.pos !== this.buf.length) throw new DecodeError(`${this.buf.length - this.pos} trailing bytes`);
  }
}
