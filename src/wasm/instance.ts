export type BackendName = 'scalar' | 'simd';

/** Exported kernel functions: every argument and result is an i32 (pointer, length or count). */
export type Kernel = (...args: number[]) => number;

const PAGE = 65536;
/** wasm32 can address 4 GiB; kernels that stream (hashing) keep far below this. */
const MAX_PAGES = 65536;

/**
 * One instantiated WASM module with its linear memory and a stack-like scratch allocator.
 *
 * The host lays out inputs and outputs above `scratchBase()`: an operation takes a `mark()`,
 * `alloc`s what it needs (growing memory on demand), calls kernels, copies results out and
 * `release`s the mark. Operations are synchronous, so a nested operation simply allocates
 * above its caller's data.
 */
export class WasmInstance {
  readonly backend: BackendName;
  private readonly exportsObject: WebAssembly.Exports;
  private readonly memory: WebAssembly.Memory;
  private readonly base: number;
  private top: number;
  // Only `alloc` grows the memory (kernels never do), so the view and its size are refreshed
  // there; reading `memory.buffer` on every call costs more than many small kernels.
  private bytes: Uint8Array;
  private capacity: number;

  constructor(backend: BackendName, instance: WebAssembly.Instance) {
    this.backend = backend;
    this.exportsObject = instance.exports;
    this.memory = instance.exports.memory as WebAssembly.Memory;
    this.base = this.kernel('scratchBase')();
    this.top = this.base;
    this.bytes = new Uint8Array(this.memory.buffer);
    this.capacity = this.bytes.length;
  }

  /** The exported function `name`; throws if this build lacks it. */
  kernel(name: string): Kernel {
    const f = this.exportsObject[name];
    if (typeof f !== 'function') throw new Error(`WASM ${this.backend} build has no kernel ${name}`);
    return f as Kernel;
  }

  /** All of linear memory as bytes; re-read after any `alloc`, which may grow (and move) it. */
  get u8(): Uint8Array {
    return this.bytes;
  }

  mark(): number {
    return this.top;
  }

  release(mark: number): void {
    this.top = mark;
  }

  /** Reserves `size` bytes aligned to `align` (a power of two) and returns their address. */
  alloc(size: number, align = 16): number {
    // `>>> 0`: addresses past 2 GiB would come out negative from the signed `&`.
    const ptr = ((this.top + align - 1) & ~(align - 1)) >>> 0;
    const end = ptr + size;
    if (end > this.capacity) {
      const pages = Math.ceil((end - this.capacity) / PAGE);
      if (this.capacity / PAGE + pages > MAX_PAGES) throw new RangeError(`WASM memory limit reached (asked for ${end} bytes)`);
      this.memory.grow(pages);
      this.bytes = new Uint8Array(this.memory.buffer);
      this.capacity = this.bytes.length;
    }
    this.top = end;
    return ptr;
  }

  /** Allocates room for `bytes`, copies them in and returns the address. */
  put(bytes: Uint8Array, align = 16): number {
    const ptr = this.alloc(bytes.length, align);
    this.u8.set(bytes, ptr);
    return ptr;
  }

  /** A copy of `len` bytes at `ptr`, safe to keep after the scratch is released. */
  read(ptr: number, len: number): Uint8Array {
    return this.u8.slice(ptr, ptr + len);
  }

  /** Runs `fn` with scratch that is released afterwards, even when `fn` throws. */
  scoped<T>(fn: () => T): T {
    const mark = this.top;
    try {
      return fn();
    } finally {
      this.top = mark;
    }
  }
}
