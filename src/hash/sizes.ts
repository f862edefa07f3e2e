/** Sizes in bytes, named as @noble/hashes names them, so a swarmguard hash fits where a noble one is expected. */
export interface HashSizes {
  /** Digest bytes. */
  readonly outputLen: number;
  /** Bytes the compression function takes per block (what HMAC pads to). */
  readonly blockLen: number;
}

/** What `util.inspect` shows of a hasher: its name and sizes, not the WASM instance behind it. */
export const INSPECT = Symbol.for('nodejs.util.inspect.custom');
