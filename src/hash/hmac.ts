import type { Input } from '../bytes/index.js';
import { ArgumentTypeError, describe, requireBytes, requireInput, requireInteger } from '../check/index.js';
import { inspectAs } from '../wasm/index.js';
import { finalized } from './errors.js';
import { requireOutput } from './sizes.js';

/**
 * A hash function in @noble/hashes' shape (its `CHash`): callable on bytes, with `create()` for a
 * streaming hasher and its sizes. swarmguard's `sha256`, `sha512` and `blake3` fit, on any backend,
 * and so do noble's own.
 */
export interface CHash {
  (input: Uint8Array): Uint8Array;
  create(): CHashState;
  readonly outputLen: number;
  readonly blockLen: number;
}

/** The streaming hasher `CHash.create()` gives. */
export interface CHashState {
  update(input: Uint8Array): unknown;
  digest(): Uint8Array;
  clone?(): CHashState;
  destroy?(): void;
}

/** `hash` checked for `where`: a function with `create()`, and whole positive `outputLen` and `blockLen`. */
export function requireHash(hash: unknown, where: string): CHash {
  const h = hash as CHash;
  if (typeof h !== 'function' || typeof h.create !== 'function') {
    throw new ArgumentTypeError(where, 'hash', `must be a hash function with create(), outputLen and blockLen (e.g. sha256), got ${describe(hash)}`);
  }
  requireInteger(h.outputLen, where, 'hash.outputLen', 1);
  requireInteger(h.blockLen, where, 'hash.blockLen', 1);
  return h;
}

/** A streaming HMAC: `update` the message, then one `digest`, as @noble/hashes' `hmac.create` gives. */
export interface Hmac {
  readonly outputLen: number;
  readonly blockLen: number;
  update(input: Input): this;
  digest(): Uint8Array;
  /** Writes the tag into the first `outputLen` bytes of `out`. */
  digestInto(out: Uint8Array): void;
  /** An independent HMAC with the same key and input so far (the hash's hashers must have `clone()`). */
  clone(): Hmac;
  /** Wipes both hashers (when the hash offers `destroy()`); unusable afterwards. */
  destroy(): void;
}

const IPAD = 0x36;
const OPAD = 0x5c;

// RFC 2104 §2: H(K ⊕ opad ‖ H(K ⊕ ipad ‖ text)), K padded with zeros to the block, or hashed first when longer.
class HmacState implements Hmac {
  readonly outputLen: number;
  readonly blockLen: number;
  private finished = false;
  private destroyed = false;

  constructor(
    private readonly where: string,
    private readonly inner: CHashState,
    private readonly outer: CHashState,
    sizes: { outputLen: number; blockLen: number },
  ) {
    this.outputLen = sizes.outputLen;
    this.blockLen = sizes.blockLen;
    inspectAs(this, () => `hmac { outputLen: ${this.outputLen}, blockLen: ${this.blockLen}${this.destroyed ? ', destroyed' : this.finished ? ', finished' : ''} }`);
  }

  static keyed(hash: CHash, key: Uint8Array, where: string): HmacState {
    const block = new Uint8Array(hash.blockLen);
    block.set(key.length > hash.blockLen ? digestOf(hash, key) : key);
    for (let i = 0; i < block.length; i++) block[i] ^= IPAD;
    const inner = hash.create();
    inner.update(block);
    for (let i = 0; i < block.length; i++) block[i] ^= IPAD ^ OPAD;
    const outer = hash.create();
    outer.update(block);
    block.fill(0);
    return new HmacState(where, inner, outer, hash);
  }

  update(input: Input): this {
    if (this.finished) throw finalized(`${this.where}.update`, this.destroyed);
    this.inner.update(requireInput(input, `${this.where}.update`, 'input'));
    return this;
  }

  digest(): Uint8Array {
    if (this.finished) throw finalized(`${this.where}.digest`, this.destroyed);
    this.finished = true;
    this.outer.update(this.inner.digest());
    return this.outer.digest();
  }

  digestInto(out: Uint8Array): void {
    if (this.finished) throw finalized(`${this.where}.digestInto`, this.destroyed);
    requireOutput(out, `${this.where}.digestInto`, this.outputLen).set(this.digest());
  }

  clone(): Hmac {
    if (this.destroyed) throw finalized(`${this.where}.clone`, true);
    const { inner, outer } = this;
    if (typeof inner.clone !== 'function' || typeof outer.clone !== 'function') {
      throw new ArgumentTypeError(`${this.where}.clone`, 'hash', 'must make hashers with clone() for an HMAC to be cloned');
    }
    const copy = new HmacState(this.where, inner.clone(), outer.clone(), this);
    copy.finished = this.finished;
    return copy;
  }

  destroy(): void {
    this.finished = true;
    this.destroyed = true;
    this.inner.destroy?.();
    this.outer.destroy?.();
  }
}

/** `hash` of `bytes` through a fresh hasher (a hash function's own call may take options we must not pass). */
function digestOf(hash: CHash, bytes: Uint8Array): Uint8Array {
  const h = hash.create();
  h.update(bytes);
  return h.digest();
}

/** HMAC (RFC 2104) of `message` under `key` with `hash`: `hmac(sha256, key, message)`, as @noble/hashes has it. */
export const hmac: {
  (hash: CHash, key: Uint8Array, message: Input): Uint8Array;
  /** A streaming HMAC: `hmac.create(sha256, key).update(a).update(b).digest()`. */
  create(hash: CHash, key: Uint8Array): Hmac;
} = /* @__PURE__ */ Object.assign(
  (hash: CHash, key: Uint8Array, message: Input): Uint8Array => {
    const h = requireHash(hash, 'hmac');
    const k = requireBytes(key, 'hmac', 'key');
    const m = requireInput(message, 'hmac', 'message');
    return HmacState.keyed(h, k, 'hmac').update(m).digest();
  },
  {
    create: (hash: CHash, key: Uint8Array): Hmac => HmacState.keyed(requireHash(hash, 'hmac.create'), requireBytes(key, 'hmac.create', 'key'), 'hmac.create()'),
  },
);
