import { type Input, requireArray, toBytes } from '../bytes/index.js';
import type { Kernels, WasmInstance } from '../wasm/index.js';
import { bindPairs, type HashPairsOptions, packMessages } from './batch.js';

export interface Sha2Hasher {
  update(input: Input): this;
  /** The digest of everything so far; the hasher stays usable. */
  digest(): Uint8Array;
  reset(): this;
  clone(): Sha2Hasher;
}

export interface Sha2Function {
  (input: Input): Uint8Array;
  create(): Sha2Hasher;
}

export interface Sha2Api {
  sha256: Sha2Function;
  sha512: Sha2Function;
  /** SHA-256 of many independent messages in one WASM call (4 lanes per pass in the simd build). */
  sha256Many(messages: Input[]): Uint8Array[];
  /** Hashes k consecutive 64-byte pairs of `pairs` (optionally prefixed by one byte each) into k·32 bytes. */
  sha256Pairs(pairs: Uint8Array, options?: HashPairsOptions): Uint8Array;
}

/**
 * Most bytes copied into WASM memory per kernel call: longer inputs are fed through in slices
 * of this size, so memory stays bounded whatever the input length.
 */
export const SHA2_SLICE_BYTES = 8 * 1024 * 1024;
/** Most messages per `sha256Many` kernel call, which bounds the offset table and output scratch too. */
const MANY_BATCH_ITEMS = 65536;

/** The kernels and sizes of one SHA-2 function (they mirror assembly/sha2/*.ts). */
interface Variant {
  stateSize: number;
  outputLen: number;
  init: Kernels['sha256Init'];
  update: Kernels['sha256Update'];
  final: Kernels['sha256Final'];
  digest: Kernels['sha256Digest'];
}

function variant(instance: WasmInstance, name: 'sha256' | 'sha512'): Variant {
  const wide = name === 'sha512';
  const k = instance.kernels;
  return {
    stateSize: wide ? 256 : 128,
    outputLen: wide ? 64 : 32,
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
  constructor(
    private readonly instance: WasmInstance,
    private readonly v: Variant,
    private readonly initial: Uint8Array,
    /** The hasher's state block, owned here and copied into WASM scratch per call. */
    private readonly state: Uint8Array = initial.slice(),
  ) {}

  update(input: Input): this {
    const bytes = toBytes(input, 'input');
    const { instance, v, state } = this;
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

  digest(): Uint8Array {
    const { instance, v } = this;
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
    this.state.set(this.initial);
    return this;
  }

  clone(): Sha2Hasher {
    return new WasmSha2Hasher(this.instance, this.v, this.initial, this.state.slice());
  }
}

function bindFunction(instance: WasmInstance, name: 'sha256' | 'sha512'): Sha2Function {
  const v = variant(instance, name);
  const oneShot = v.digest;
  const initial = instance.scoped(() => {
    const statePtr = instance.alloc(v.stateSize);
    instance.u8.fill(0, statePtr, statePtr + v.stateSize); // no stale scratch bytes in the template
    v.init(statePtr);
    return instance.read(statePtr, v.stateSize);
  });
  const hash = (input: Input): Uint8Array => {
    const bytes = toBytes(input, 'input');
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
  return Object.assign(hash, { create: (): Sha2Hasher => new WasmSha2Hasher(instance, v, initial) });
}

export function bindSha2(instance: WasmInstance): Sha2Api {
  const sha256 = bindFunction(instance, 'sha256');
  const sha512 = bindFunction(instance, 'sha512');
  const manyKernel = instance.kernels.sha256Many;

  /** One `sha256Many` kernel call over `items` (total bytes at most a slice), digests into `out` from `first`. */
  const hashBatch = (items: Uint8Array[], total: number, out: Uint8Array[], first: number): void => {
    instance.scoped(() => {
      const n = items.length;
      const { data, table } = packMessages(instance, items, 0, n, total);
      const outPtr = instance.alloc(32 * n);
      manyKernel(data, table, n, outPtr);
      const mem = instance.u8;
      for (let i = 0; i < n; i++) out[first + i] = mem.slice(outPtr + 32 * i, outPtr + 32 * i + 32);
    });
  };

  const sha256Many = (messages: Input[]): Uint8Array[] => {
    const list = requireArray(messages, 'messages');
    const out: Uint8Array[] = new Array(list.length);
    let batch: Uint8Array[] = [];
    let batchBytes = 0;
    let batchStart = 0;
    const flush = (nextStart: number): void => {
      if (batch.length > 0) hashBatch(batch, batchBytes, out, batchStart);
      batch = [];
      batchBytes = 0;
      batchStart = nextStart;
    };
    for (let i = 0; i < list.length; i++) {
      const bytes = toBytes(list[i], `messages[${i}]`);
      if (bytes.length > SHA2_SLICE_BYTES) {
        flush(i + 1);
        out[i] = sha256(bytes);
        continue;
      }
      if (batchBytes + bytes.length > SHA2_SLICE_BYTES || batch.length === MANY_BATCH_ITEMS) flush(i);
      batch.push(bytes);
      batchBytes += bytes.length;
    }
    flush(list.length);
    return out;
  };

  const sha256Pairs = bindPairs(instance, instance.kernels.sha256Pairs, SHA2_SLICE_BYTES);

  return { sha256, sha512, sha256Many, sha256Pairs };
}
