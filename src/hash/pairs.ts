import { ArgumentRangeError, requireBytes, requireInteger, requireOptions } from '../check/index.js';
import type { HashKernels, WasmInstance } from '../wasm/index.js';

export interface HashPairsOptions {
  /** A byte (0–255) hashed before each 64-byte pair, e.g. 0x01 for RFC 9162 Merkle nodes. */
  prefix?: number;
}

/**
 * The `*Pairs` function `where` over `kernel(input, output, count, prefix)` (prefix −1 for none):
 * hashes k consecutive 64-byte pairs into k·32 bytes, one kernel call per `sliceBytes` of input.
 */
export function bindPairs(
  instance: WasmInstance<HashKernels>,
  kernel: HashKernels['sha256Pairs' | 'blake3Pairs'],
  sliceBytes: number,
  where: 'sha256Pairs' | 'blake3Pairs',
): (pairs: Uint8Array, options?: HashPairsOptions) => Uint8Array {
  const perCall = sliceBytes / 64;
  return (pairs, options) => {
    const input = requireBytes(pairs, where, 'pairs');
    if (input.length % 64 !== 0) throw new ArgumentRangeError(where, 'pairs', `must be a multiple of 64 bytes long, got ${input.length}`);
    const { prefix: rawPrefix } = requireOptions(options, where, 'options', ['prefix']);
    const prefix = rawPrefix === undefined ? -1 : requireInteger(rawPrefix, where, 'options.prefix', 0, 255);
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
