import type { Input } from '../bytes/index.js';
import { ArgumentTypeError, describe, requireByteLength, requireInput, requireInputs, requireInteger, requireOptions, requireString } from '../check/index.js';
import { forEachBatch, INSPECT, MAX_BATCH_ITEMS, putItems, type WasmInstance } from '../wasm/index.js';
import { finalized } from './errors.js';
import { bindPairs, type HashPairsOptions } from './pairs.js';
import { type Digest, type Hasher, type HashSizes, requireOutput } from './sizes.js';

export interface Blake3Options {
  /** 32-byte key: keyed hash mode. */
  key?: Uint8Array;
  /** Context string: derive_key mode (the input is the key material). Exclusive with `key`. */
  context?: string;
  /** Output length in bytes (XOF), default 32, at most `BLAKE3_MAX_LENGTH`. */
  length?: number;
}

/** Longest output in bytes: lengths cross the kernel ABI as u32. */
export const BLAKE3_MAX_LENGTH = 2 ** 32 - 1;
/** The option keys of every BLAKE3 function. */
export const BLAKE3_OPTIONS = ['length', 'key', 'context'] as const;
/** BLAKE3's block: 64 bytes. */
const BLAKE3_BLOCK_LEN = 64;

/** Checked options: at most one of `key` (32 bytes) and `context`, and the output length. */
export interface Blake3Settings {
  key?: Uint8Array;
  context?: string;
  length: number;
}

export interface Blake3Hasher extends Hasher<Blake3Hasher> {
  /** Output of `length` bytes (default: the hasher's `length` option, else 32); the hasher is finished afterwards. */
  digest(length?: number): Digest;
}

export interface Blake3Function extends HashSizes {
  (input: Input, options?: Blake3Options): Digest;
  create(options?: Blake3Options): Blake3Hasher;
}

export interface Blake3Api {
  blake3: Blake3Function;
  /** Hashes many independent messages in one WASM call (per batch of up to 4 MiB). */
  blake3Many(messages: Input[], options?: Blake3Options): Digest[];
  /** Hashes k consecutive 64-byte pairs of `pairs` (optionally prefixed by one byte each) into k·32 bytes. */
  blake3Pairs(pairs: Uint8Array, options?: HashPairsOptions): Uint8Array;
}

// Mode flags of the BLAKE3 specification.
const KEYED_HASH = 16;
const DERIVE_KEY_CONTEXT = 32;
const DERIVE_KEY_MATERIAL = 64;

const encoder = new TextEncoder();

/** Input and output pass through WASM scratch in slices of at most this many bytes (a multiple of 1024). */
const SLICE = 4 << 20;

/** Key words (null: the IV) and flags of one mode, with the default output length. */
interface Mode {
  key: Uint8Array | null;
  flags: number;
  length: number;
}

/** The options of the BLAKE3 function `where` (also what the pool checks before dispatch). */
export function requireBlake3Options(options: Blake3Options | undefined, where: string): Blake3Settings {
  const o = requireOptions(options, where, 'options', BLAKE3_OPTIONS);
  const length = o.length === undefined ? 32 : requireInteger(o.length, where, 'options.length', 0, BLAKE3_MAX_LENGTH);
  if (o.key !== undefined && o.context !== undefined) {
    throw new ArgumentTypeError(where, 'options', 'must not set both key and context: BLAKE3 is either keyed or in derive_key mode');
  }
  if (o.key !== undefined) return { key: requireByteLength(o.key, where, 'options.key', 32), length };
  if (o.context !== undefined) return { context: requireString(o.context, where, 'options.context'), length };
  return { length };
}

/**
 * Per WASM instance, the hasher whose state occupies the module's resident state slot; shared by
 * every binding of that instance so two bindings never overwrite each other's state.
 */
const residentSlots = new WeakMap<WasmInstance, { owner: { writeBack(): void } | null }>();

export function bindBlake3(instance: WasmInstance): Blake3Api {
  const kernels = instance.kernels;
  const k = {
    stateSize: kernels.blake3StateSize(),
    stateUsed: kernels.blake3StateUsed,
    residentState: kernels.blake3ResidentState,
    init: kernels.blake3Init,
    update: kernels.blake3Update,
    finalize: kernels.blake3Finalize,
    hash: kernels.blake3Hash,
    many: kernels.blake3Many,
    pairs: kernels.blake3Pairs,
  };

  /** The key words at a fresh scratch address, or 0 for the IV. */
  function putKey(key: Uint8Array | null): number {
    return key === null ? 0 : instance.put(key, 4);
  }

  /** Output of `length` bytes of the state at `s` into a new array, produced in slices. */
  function finalizeInto(s: number, length: number): Digest {
    const out = new Uint8Array(length);
    const buf = instance.alloc(Math.min(length, SLICE));
    for (let pos = 0; pos < length; pos += SLICE) {
      const n = Math.min(SLICE, length - pos);
      k.finalize(s, buf, n, pos / 64);
      out.set(instance.u8.subarray(buf, buf + n), pos);
    }
    return out;
  }

  /** Feeds `bytes` in slices to the state at `s`. */
  function updateState(s: number, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const buf = instance.alloc(Math.min(bytes.length, SLICE));
    for (let pos = 0; pos < bytes.length; pos += SLICE) {
      const n = Math.min(SLICE, bytes.length - pos);
      instance.u8.set(bytes.subarray(pos, pos + n), buf);
      k.update(s, buf, n);
    }
  }

  function hashWith(bytes: Uint8Array, key: Uint8Array | null, flags: number, length: number): Digest {
    return instance.scoped(() => {
      const keyPtr = putKey(key);
      if (bytes.length <= SLICE && length <= SLICE) {
        const inPtr = instance.put(bytes);
        const outPtr = instance.alloc(length);
        k.hash(inPtr, bytes.length, keyPtr, flags, outPtr, length);
        return instance.read(outPtr, length);
      }
      const s = instance.alloc(k.stateSize);
      k.init(s, keyPtr, flags);
      updateState(s, bytes);
      return finalizeInto(s, length);
    });
  }

  const plain: Mode = { key: null, flags: 0, length: 32 };

  function modeOf(options: Blake3Options | undefined, where: string): Mode {
    if (options === undefined) return plain;
    const o = requireBlake3Options(options, where);
    if (o.key) return { key: o.key, flags: KEYED_HASH, length: o.length };
    if (o.context !== undefined) {
      const contextKey = hashWith(encoder.encode(o.context), null, DERIVE_KEY_CONTEXT, 32);
      return { key: contextKey, flags: DERIVE_KEY_MATERIAL, length: o.length };
    }
    return { key: null, flags: 0, length: o.length };
  }

  /**
   * The state block in the module's static data and the hasher whose state lives there now.
   * A hasher's own `state` bytes are authoritative only while it is not the resident one, so
   * consecutive calls on one hasher copy nothing; switching hashers writes the old one back.
   */
  const resident = k.residentState();
  let slot = residentSlots.get(instance);
  if (!slot) residentSlots.set(instance, (slot = { owner: null }));
  const residentSlot = slot;

  class Hasher implements Blake3Hasher {
    readonly blockLen = BLAKE3_BLOCK_LEN;
    readonly canXOF = false;
    private mode: Mode;
    private state: Uint8Array;
    private initial: Uint8Array;
    private finished = false;
    private destroyed = false;

    constructor(mode: Mode, state?: Uint8Array, initial?: Uint8Array) {
      this.mode = mode;
      if (state && initial) {
        this.state = state;
        this.initial = initial;
      } else {
        this.initial = instance.scoped(() => {
          const s = instance.alloc(k.stateSize);
          k.init(s, putKey(mode.key), mode.flags);
          return instance.read(s, k.stateUsed(s));
        });
        this.state = this.initial.slice();
      }
    }

    /** The default digest length (the `length` option, else 32). */
    get outputLen(): number {
      return this.mode.length;
    }

    [INSPECT](): string {
      const done = this.destroyed ? ', destroyed' : this.finished ? ', finished' : '';
      return `blake3 hasher { outputLen: ${this.outputLen}, blockLen: ${this.blockLen}${this.mode.key ? ', keyed' : ''}${done} }`;
    }

    /** Makes this hasher's state the resident one and returns its address. */
    private acquire(): number {
      if (residentSlot.owner !== this) {
        residentSlot.owner?.writeBack();
        instance.u8.set(this.state, resident);
        residentSlot.owner = this;
      }
      return resident;
    }

    writeBack(): void {
      this.state = instance.read(resident, k.stateUsed(resident));
      residentSlot.owner = null;
    }

    /** This hasher's current state bytes (a copy when it is the resident one). */
    private currentState(): Uint8Array {
      return residentSlot.owner === this ? instance.read(resident, k.stateUsed(resident)) : this.state.slice();
    }

    update(input: Input): this {
      if (this.finished) throw finalized('blake3.create().update', this.destroyed);
      const bytes = requireInput(input, 'blake3.create().update', 'input');
      if (bytes.length > 0) {
        const s = this.acquire();
        instance.scoped(() => updateState(s, bytes));
      }
      return this;
    }

    digest(length?: number): Digest {
      if (this.finished) throw finalized('blake3.create().digest', this.destroyed);
      const n = length === undefined ? this.mode.length : requireInteger(length, 'blake3.create().digest', 'length', 0, BLAKE3_MAX_LENGTH);
      return this.finish(n);
    }

    digestInto(out: Uint8Array): void {
      const where = 'blake3.create().digestInto';
      if (this.finished) throw finalized(where, this.destroyed);
      requireOutput(out, where, this.mode.length).set(this.finish(this.mode.length));
    }

    /** `length` bytes of output; the hasher is finished from here on. */
    private finish(length: number): Digest {
      this.finished = true;
      const s = this.acquire();
      return instance.scoped(() => finalizeInto(s, length));
    }

    reset(): this {
      if (this.destroyed) throw finalized('blake3.create().reset', true);
      if (residentSlot.owner === this) residentSlot.owner = null;
      this.state = this.initial.slice();
      this.finished = false;
      return this;
    }

    clone(): Blake3Hasher {
      return this._cloneInto();
    }

    _cloneInto(to?: Blake3Hasher): Blake3Hasher {
      const where = 'blake3.create()._cloneInto';
      if (this.destroyed) throw finalized(where, true);
      if (to === undefined) {
        const copy = new Hasher(this.mode, this.currentState(), this.initial);
        copy.finished = this.finished;
        return copy;
      }
      if (!(to instanceof Hasher)) throw new ArgumentTypeError(where, 'to', `must be a blake3 hasher of the same backend, got ${describe(to)}`);
      if (residentSlot.owner === to) residentSlot.owner = null;
      to.mode = this.mode;
      to.initial = this.initial;
      to.state = this.currentState();
      to.finished = this.finished;
      to.destroyed = false;
      return to;
    }

    destroy(): void {
      // A keyed hasher's states hold its key words: wipe them wherever they are.
      if (residentSlot.owner === this) {
        instance.u8.fill(0, resident, resident + k.stateSize);
        residentSlot.owner = null;
      }
      this.state.fill(0);
      this.initial = new Uint8Array(this.initial.length); // clones keep the shared template
      this.finished = true;
      this.destroyed = true;
    }
  }

  const blake3 = Object.assign(
    (input: Input, options?: Blake3Options): Digest => {
      const bytes = requireInput(input, 'blake3', 'input');
      const mode = modeOf(options, 'blake3');
      return hashWith(bytes, mode.key, mode.flags, mode.length);
    },
    {
      create: (options?: Blake3Options): Blake3Hasher => new Hasher(modeOf(options, 'blake3.create')),
      outputLen: 32,
      blockLen: BLAKE3_BLOCK_LEN,
      canXOF: false as const,
    },
  );

  /** Digests of `list[from..to)` (`bytes` in all, within the slice limits) from one kernel call, as views of one buffer. */
  function manyBatch(list: Uint8Array[], from: number, to: number, bytes: number, mode: Mode, digests: Digest[]): void {
    const count = to - from;
    const len = mode.length;
    const out = new Uint8Array(count * len);
    instance.scoped(() => {
      const keyPtr = putKey(mode.key);
      const { data, table } = putItems(instance, list, from, to, bytes);
      const outPtr = instance.alloc(count * len);
      k.many(data, table, count, keyPtr, mode.flags, outPtr, len);
      out.set(instance.u8.subarray(outPtr, outPtr + count * len));
    });
    for (let i = 0; i < count; i++) digests[from + i] = new Uint8Array(out.buffer, i * len, len);
  }

  function blake3Many(messages: Input[], options?: Blake3Options): Digest[] {
    const list = requireInputs(messages, 'blake3Many', 'messages');
    const mode = modeOf(options, 'blake3Many');
    const len = mode.length;
    const digests: Digest[] = new Array(list.length);
    // A batch's input and output each fit one slice; longer messages or outputs go alone, streamed.
    const maxItems = len > SLICE ? 1 : len === 0 ? MAX_BATCH_ITEMS : Math.min(MAX_BATCH_ITEMS, Math.floor(SLICE / len));
    forEachBatch(list, 0, list.length, SLICE, maxItems, (from, to, bytes) => {
      if (bytes > SLICE || len > SLICE) digests[from] = hashWith(list[from], mode.key, mode.flags, len);
      else manyBatch(list, from, to, bytes, mode, digests);
    });
    return digests;
  }

  const blake3Pairs = bindPairs(instance, k.pairs, SLICE, 'blake3Pairs');

  return { blake3, blake3Many, blake3Pairs };
}
