import type { Input } from '../bytes/index.js';
import type { WasmInstance } from '../wasm/index.js';

export interface Blake3Options {
  /** 32-byte key: keyed hash mode. */
  key?: Uint8Array;
  /** Context string: derive_key mode (the input is the key material). */
  context?: string;
  /** Output length in bytes (XOF), default 32. */
  length?: number;
}

export interface Blake3Hasher {
  update(input: Input): this;
  /** Output of `length` bytes (default: the hasher's length option, else 32); the hasher stays usable. */
  digest(length?: number): Uint8Array;
  reset(): this;
  clone(): Blake3Hasher;
}

export interface Blake3Function {
  (input: Input, options?: Blake3Options): Uint8Array;
  create(options?: Blake3Options): Blake3Hasher;
}

export interface Blake3Api {
  blake3: Blake3Function;
  /** Hashes many independent messages in one WASM call. */
  blake3Many(messages: Input[], options?: Blake3Options): Uint8Array[];
  /** Hashes k consecutive 64-byte pairs of `pairs` (optionally prefixed by one byte each) into k·32 bytes. */
  blake3Pairs(pairs: Uint8Array, options?: { prefix?: number }): Uint8Array;
}

export function bindBlake3(instance: WasmInstance): Blake3Api {
  throw new Error(`BLAKE3 is not built yet (${instance.backend})`);
}
