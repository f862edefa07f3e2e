import type { Input } from '../bytes/index.js';
import type { WasmInstance } from '../wasm/index.js';

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
  sha256Pairs(pairs: Uint8Array, options?: { prefix?: number }): Uint8Array;
}

export function bindSha2(instance: WasmInstance): Sha2Api {
  throw new Error(`SHA-2 is not built yet (${instance.backend})`);
}
