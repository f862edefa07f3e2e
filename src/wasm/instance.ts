import type { HashKernels, PqKernels, SigKernels } from './generated/kernels.js';

export type BackendName = 'scalar' | 'simd';

/**
 * The kernel families, each its own WASM module per backend: a page fetches only the families
 * its code uses (hash: SHA-2, BLAKE3, Merkle; sig: Ed25519, ECVRF; pq: ML-DSA).
 */
export type Family = 'hash' | 'sig' | 'pq';

/** The kernels of each family's module. */
export interface FamilyKernels {
  hash: HashKernels;
  sig: SigKernels;
  pq: PqKernels;
}

/**
 * The key `util.inspect` (and so `console.log` in Node) reads for a custom summary. Objects over a
 * WASM instance define it, so printing one shows a line, not megabytes of linear memory. A
 * registered symbol: browser-safe code needs no `node:util` import for it.
 */
export const INSPECT = /* @__PURE__ */ Symbol.for('nodejs.util.inspect.custom');

/**
 * Gives `target` its one-line `util.inspect` summary. Set on each object rather than as a computed
 * class member (`[INSPECT]() {}`): bundlers keep any class with a computed key, and with it all the
 * code it reaches, so a page that never uses the class would still ship it (and the WASM).
 */
export function inspectAs(target: object, summary: () => string): void {
  Object.defineProperty(target, INSPECT, { value: summary });
}

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
 *
 * `K` is the module's kernel interface, generated from the build: a family's (`FamilyKernels`),
 * or the test build's, which has both families and more.
 */
export class WasmInstance<K extends { scratchBase(): number } = HashKernels | SigKernels | PqKernels> {
  readonly backend: BackendName;
  /** The exported kernels, typed: a wrong name or argument count does not compile. */
  readonly kernels: K;
  private readonly memory: WebAssembly.Memory;
  private readonly base: number;
  private top: number;
  // Only `alloc` grows the memory (kernels never do), so the view and its size are refreshed
  // there; reading `memory.buffer` on every call costs more than many small kernels.
  private bytes: Uint8Array;
  private capacity: number;

  constructor(backend: BackendName, instance: WebAssembly.Instance) {
    this.backend = backend;
    // The module and its typings come from the same build (assembly/build.mjs checks them).
    this.kernels = instance.exports as unknown as K;
    this.memory = instance.exports.memory as WebAssembly.Memory;
    this.base = this.kernels.scratchBase();
    this.top = this.base;
    this.bytes = new Uint8Array(this.memory.buffer);
    this.capacity = this.bytes.length;
    inspectAs(this, () => `WasmInstance { backend: '${this.backend}', memory: ${this.capacity} bytes }`);
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
  read(ptr: number, len: number): Uint8Array<ArrayBuffer> {
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
