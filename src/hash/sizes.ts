import type { Input } from '../bytes/index.js';
import { ArgumentRangeError, requireBytes } from '../check/index.js';

/**
 * A digest: a fresh array over its own `ArrayBuffer` (never WASM or shared memory), typed so, as
 * @noble/hashes types its outputs, so it goes wherever theirs go (a `BufferSource`, noble's `CHash`).
 */
export type Digest = Uint8Array<ArrayBuffer>;

/** Sizes in bytes, named as @noble/hashes names them, so a swarmguard hash fits where a noble one is expected. */
export interface HashSizes {
  /** Digest bytes. */
  readonly outputLen: number;
  /** Bytes the compression function takes per block (what HMAC pads to). */
  readonly blockLen: number;
  /** Whether hashers stream output with `xof()` (noble's flag): none here (BLAKE3 takes `digest(length)`). */
  readonly canXOF: false;
}

/**
 * What every hasher offers: @noble/hashes' `Hash` members, so noble's `hmac`, `hkdf` or `pbkdf2`
 * run over a swarmguard hash too. A hasher gives one digest: after `digest()`, `digestInto()` or
 * `destroy()`, every call but `reset()` (and `clone()` before `destroy()`) throws
 * `HashFinalizedError`, as in noble and node:crypto.
 */
export interface Hasher<T> extends HashSizes {
  update(input: Input): this;
  digest(): Digest;
  /** Writes the digest into the first `outputLen` bytes of `out`. */
  digestInto(out: Uint8Array): void;
  /** Forgets all input (also after `digest()`), keeping the hasher's options. */
  reset(): this;
  /** An independent hasher with the same state. */
  clone(): T;
  /** noble's clone: into `to` (a hasher of the same function) when given, else a new one. */
  _cloneInto(to?: T): T;
  /** Wipes the state (and a keyed hasher's key); the hasher is unusable afterwards. */
  destroy(): void;
}

/** `out` checked for `digestInto` of `where`: bytes with room for `outputLen`. */
export function requireOutput(out: unknown, where: string, outputLen: number): Uint8Array {
  const bytes = requireBytes(out, where, 'out');
  if (bytes.length < outputLen) throw new ArgumentRangeError(where, 'out', `must have room for ${outputLen} bytes, got ${bytes.length}`);
  return bytes;
}
