import type { Input } from '../bytes/index.js';
import { ArgumentTypeError, describe, requireInput, requireInputs } from '../check/index.js';
import { forEachBatch, INSPECT, type HashKernels, MAX_BATCH_ITEMS, putItems, type WasmInstance } from '../wasm/index.js';
import { finalized } from './errors.js';
import { bindPairs, type HashPairsOptions } from './pairs.js';
import { type Digest, type Hasher, type HashSizes, requireOutput } from './sizes.js';

export interface Sha2Hasher extends Hasher<Sha2Hasher> {}

export interface Sha2Function extends HashSizes {
  (input: Input): Digest;
  create(): Sha2Hasher;
}

export interface Sha2Api {
  sha256: Sha2Function;
  sha512: Sha2Function;
  /** SHA-256 of many independent messages in one WASM call (4 lanes per pass in the simd build). */
  sha256Many(messages: Input[]): Digest[];
  /** Hashes k consecutive 64-byte pairs of `pairs` (optionally prefixed by one byte each) into k·32 bytes. */
  sha256Pairs(pairs: Uint8Array, options?: HashPairsOptions): Uint8Array;
}

/**
 * Most bytes copied into WASM memory per kernel call: longer inputs are fed through in slices
 * of this size, so memory stays bounded whatever the input length.
 */
export const SHA2_SLICE_BYTES = 8 * 1024 * 1024;

/** The kernels and sizes of one SHA-2 function (they mirror assembly/sha2/*.ts). */
interface Variant {
  name: 'sha256' | 'sha512';
  /** What a hasher's methods report in errors: `sha256.create()`. */
  hasherWhere: string;
  stateSize: number;
  outputLen: number;
  blockLen: number;
  init: HashKernels['sha256Init'];
  update: HashKernels['sha256Update'];
  final: HashKernels['sha256Final'];
  digest: HashKernels['sha256Digest'];
}

function variant(instance: WasmInstance<HashKernels>, name: 'sha256' | 'sha512'): Variant {
  const wide = name === 'sha512';
  const k = instance.kernels;
  return {
    name,
    hasherWhere: `${name}.create()`,
    stateSize: wide ? 256 : 128,
    outputLen: wide ? 64 : 32,
    blockLen: wide ? 128 : 64,
    init: wide ? k.sha512Init : k.sha256Init,
    update: wide ? k.sha512Update : k.sha256Update,
    final: wide ? k.sha512Final : k.sha256Final,
    digest: wide ? k.sha512Digest : k.sha256Digest,
  };
}

/**
 * Streams `bytes` into the state at `statePtr` through a scratch window of `window` bytes at
 * `dataPtr` (allocated by the caller, so memory does not grow and `mem` stays valid).
 */
function absorb(mem: Uint8Array, v: Variant, statePtr: number, dataPtr: number, window: number, bytes: Uint8Array): void {
  if (bytes.length <= window) {
    mem.set(bytes, dataPtr);
    v.update(statePtr, dataPtr, bytes.length);
    return;
  }
  for (let at = 0; at < bytes.length; at += window) {
    const piece = bytes.subarray(at, at + window);
    mem.set(piece, dataPtr);
    v.update(statePtr, dataPtr, piece.length);
  }
}

class WasmSha2Hasher implements Sha2Hasher {
  readonly outputLen: number;
  readonly blockLen: number;
  readonly canXOF = false;
  private finished = false;
  private destroyed = false;

  constructor(
    private readonly instance: WasmInstance<HashKernels>,
    private readonly v: Variant,
    private readonly initial: Uint8Array,
    /** The hasher's state block, owned here and copied into WASM scratch per call. */
    private readonly state: Uint8Array = initial.slice(),
  ) {
    this.outputLen = v.outputLen;
    this.blockLen = v.blockLen;
  }

  [INSPECT](): string {
    const done = this.destroyed ? ', destroyed' : this.finished ? ', finished' : '';
    return `${this.v.name} hasher { outputLen: ${this.outputLen}, blockLen: ${this.blockLen}${done} }`;
  }

  update(input: Input): this {
    const { instance, v, state } = this;
    if (this.finished) throw finalized(`${v.hasherWhere}.update`, this.destroyed);
    const bytes = requireInput(input, `${v.hasherWhere}.update`, 'input');
    // Plain mark/release rather than `scoped`: this path runs once per small update.
    const mark = instance.mark();
    try {
      const window = Math.min(bytes.length, SHA2_SLICE_BYTES);
      const statePtr = instance.alloc(v.stateSize + window);
      const mem = instance.u8;
      mem.set(state, statePtr);
      absorb(mem, v, statePtr, statePtr + v.stateSize, window, bytes);
      state.set(mem.subarray(statePtr, statePtr + v.stateSize));
    } finally {
      instance.release(mark);
    }
    return this;
  }

  digest(): Digest {
    if (this.finished) throw finalized(`${this.v.hasherWhere}.digest`, this.destroyed);
    return this.finish();
  }

  digestInto(out: Uint8Array): void {
    const where = `${this.v.hasherWhere}.digestInto`;
    if (this.finished) throw finalized(where, this.destroyed);
    requireOutput(out, where, this.outputLen).set(this.finish());
  }

  /** The digest of the state; the hasher is finished from here on. */
  private finish(): Digest {
    const { instance, v } = this;
    this.finished = true;
    const mark = instance.mark();
    try {
      const statePtr = instance.alloc(v.stateSize + v.outputLen);
      const outPtr = statePtr + v.stateSize;
      const mem = instance.u8;
      mem.set(this.state, statePtr);
      v.final(statePtr, outPtr);
      return mem.slice(outPtr, outPtr + v.outputLen);
    } finally {
      instance.release(mark);
    }
  }

  reset(): this {
    if (this.destroyed) throw finalized(`${this.v.hasherWhere}.reset`, true);
    this.state.set(this.initial);
    this.finished = false;
    return this;
  }

  clone(): Sha2Hasher {
    return this._cloneInto();
  }

  _cloneInto(to?: Sha2Hasher): Sha2Hasher {
    const where = `${this.v.hasherWhere}._cloneInto`;
    if (this.destroyed) throw finalized(where, true);
    if (to === undefined) {
      const copy = new WasmSha2Hasher(this.instance, this.v, this.initial, this.state.slice());
      copy.finished = this.finished;
      return copy;
    }
    if (!(to instanceof WasmSha2Hasher) || to.v !== this.v) throw new ArgumentTypeError(where, 'to', `must be a hasher of the same ${this.v.name}, got ${describe(to)}`);
    to.state.set(this.state);
    to.finished = this.finished;
    to.destroyed = false;
    return to;
  }

  destroy(): void {
    this.state.fill(0);
    this.finished = true;
    this.destroyed = true;
  }
}

/** The hash function `name` and its unchecked core over bytes (for callers that checked already). */
function bindFunction(instance: WasmInstance<HashKernels>, name: 'sha256' | 'sha512'): { fn: Sha2Function; hashBytes: (bytes: Uint8Array) => Digest } {
  const v = variant(instance, name);
  const oneShot = v.digest;
  const initial = instance.scoped(() => {
    const statePtr = instance.alloc(v.stateSize);
    instance.u8.fill(0, statePtr, statePtr + v.stateSize); // no stale scratch bytes in the template
    v.init(statePtr);
    return instance.read(statePtr, v.stateSize);
  });
  const hashBytes = (bytes: Uint8Array): Digest => {
    // Plain mark/release rather than `scoped`: this path runs once per (often small) message.
    const mark = instance.mark();
    try {
      if (bytes.length <= SHA2_SLICE_BYTES) {
        const outPtr = instance.alloc(v.outputLen + bytes.length);
        const mem = instance.u8;
        mem.set(bytes, outPtr + v.outputLen);
        oneShot(outPtr + v.outputLen, bytes.length, outPtr);
        return mem.slice(outPtr, outPtr + v.outputLen);
      }
      const statePtr = instance.alloc(v.stateSize + v.outputLen + SHA2_SLICE_BYTES);
      const outPtr = statePtr + v.stateSize;
      const mem = instance.u8;
      mem.set(initial, statePtr);
      absorb(mem, v, statePtr, outPtr + v.outputLen, SHA2_SLICE_BYTES, bytes);
      v.final(statePtr, outPtr);
      return mem.slice(outPtr, outPtr + v.outputLen);
    } finally {
      instance.release(mark);
    }
  };
  const fn = Object.assign((input: Input): Digest => hashBytes(requireInput(input, name, 'input')), {
    create: (): Sha2Hasher => new WasmSha2Hasher(instance, v, initial),
    outputLen: v.outputLen,
    blockLen: v.blockLen,
    canXOF: false as const,
  });
  return { fn, hashBytes };
}

export function bindSha2(instance: WasmInstance<HashKernels>): Sha2Api {
  const sha256 = bindFunction(instance, 'sha256');
  const sha512 = bindFunction(instance, 'sha512');
  const manyKernel = instance.kernels.sha256Many;

  /**
   * One `sha256Many` kernel call over `list[from..to)` (`bytes` in all, at most a slice); digests
   * into `out` as views of one buffer (as blake3Many's): one allocation per batch, not per digest.
   */
  const hashBatch = (list: Uint8Array[], from: number, to: number, bytes: number, out: Digest[]): void => {
    const count = to - from;
    const digests = new Uint8Array(32 * count);
    instance.scoped(() => {
      const { data, table } = putItems(instance, list, from, to, bytes);
      const outPtr = instance.alloc(32 * count);
      manyKernel(data, table, count, outPtr);
      digests.set(instance.u8.subarray(outPtr, outPtr + 32 * count));
    });
    const buffer = digests.buffer;
    for (let i = 0; i < count; i++) out[from + i] = new Uint8Array(buffer, 32 * i, 32);
  };

  const sha256Many = (messages: Input[]): Digest[] => {
    const list = requireInputs(messages, 'sha256Many', 'messages');
    const out: Digest[] = new Array(list.length);
    forEachBatch(list, 0, list.length, SHA2_SLICE_BYTES, MAX_BATCH_ITEMS, (from, to, bytes) => {
      if (bytes > SHA2_SLICE_BYTES) out[from] = sha256.hashBytes(list[from]);
      else hashBatch(list, from, to, bytes, out);
    });
    return out;
  };

  const sha256Pairs = bindPairs(instance, instance.kernels.sha256Pairs, SHA2_SLICE_BYTES, 'sha256Pairs');

  return { sha256: sha256.fn, sha512: sha512.fn, sha256Many, sha256Pairs };
}
