import { requireBytes, requireInteger } from '../bytes/index.js';
import type { Kernels, WasmInstance } from '../wasm/index.js';

// Scratch layouts shared by the BLAKE3 and SHA-256 batch kernels, so both families take
// their batches the same way.

export interface HashPairsOptions {
  /** A byte (0–255) hashed before each 64-byte pair, e.g. 0x01 for RFC 9162 Merkle nodes. */
  prefix?: number;
}

/**
 * Copies `messages[from, to)` (`bytes` long together) into fresh scratch back to back, with a
 * table of (offset, length) u32 pairs relative to `data`: the input of a `*_many` kernel.
 */
export function packMessages(instance: WasmInstance, messages: Uint8Array[], from: number, to: number, bytes: number): { data: number; table: number } {
  const count = to - from;
  const table = instance.alloc(count * 8, 8);
  const data = instance.alloc(bytes);
  const u8 = instance.u8;
  const entries = new Uint32Array(u8.buffer, table, count * 2);
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const m = messages[from + i];
    u8.set(m, data + offset);
    entries[2 * i] = offset;
    entries[2 * i + 1] = m.length;
    offset += m.length;
  }
  return { data, table };
}

/**
 * The `*Pairs` function over `kernel(input, output, count, prefix)` (prefix −1 for none): hashes
 * k consecutive 64-byte pairs into k·32 bytes, one kernel call per `sliceBytes` of input.
 */
export function bindPairs(instance: WasmInstance, kernel: Kernels['sha256Pairs' | 'blake3Pairs'], sliceBytes: number): (pairs: Uint8Array, options?: HashPairsOptions) => Uint8Array {
  const perCall = sliceBytes / 64;
  return (pairs, options) => {
    const input = requireBytes(pairs, 'pairs');
    if (input.length % 64 !== 0) throw new RangeError(`pairs must be a multiple of 64 bytes long, got ${input.length}`);
    if (options !== undefined && (options === null || typeof options !== 'object')) throw new TypeError('options must be an object');
    const prefix = options?.prefix === undefined ? -1 : requireInteger(options.prefix, 'options.prefix', 0, 255);
    const count = input.length / 64;
    const out = new Uint8Array(count * 32);
    for (let first = 0; first < count; first += perCall) {
      const n = Math.min(perCall, count - first);
      instance.scoped(() => {
        const inPtr = instance.put(input.subarray(first * 64, (first + n) * 64));
        const outPtr = instance.alloc(n * 32);
        kernel(inPtr, outPtr, n, prefix);
        out.set(instance.u8.subarray(outPtr, outPtr + n * 32), first * 32);
      });
    }
    return out;
  };
}
