import { type Input, requireArray, requireBytes, requireInteger, toBytes } from '../bytes/index.js';
import type { WasmInstance } from '../wasm/index.js';
import { bindPairs, type HashPairsOptions, packMessages } from './batch.js';

export interface Blake3Options {
  /** 32-byte key: keyed hash mode. */
  key?: Uint8Array;
  /** Context string: derive_key mode (the input is the key material). Exclusive with `key`. */
  context?: string;
  /** Output length in bytes (XOF), default 32. */
  length?: number;
}

export interface Blake3Hasher {
  update(input: Input): this;
  /** Output of `length` bytes (default: the hasher's length option, else 32); the hasher stays usable. */
  digest(length?: number): Uint8Array;
  /** Forgets all input (keeps the key, context and length). */
  reset(): this;
  /** An independent hasher with the same state. */
  clone(): Blake3Hasher;
}

export interface Blake3Function {
  (input: Input, options?: Blake3Options): Uint8Array;
  create(options?: Blake3Options): Blake3Hasher;
}

export interface Blake3Api {
  blake3: Blake3Function;
  /** Hashes many independent messages in one WASM call (per batch of up to 4 MiB). */
  blake3Many(messages: Input[], options?: Blake3Options): Uint8Array[];
  /** Hashes k consecutive 64-byte pairs of `pairs` (optionally prefixed by one byte each) into k·32 bytes. */
  blake3Pairs(pairs: Uint8Array, options?: HashPairsOptions): Uint8Array;
}

// Mode flags of the BLAKE3 specification.
const KEYED_HASH = 16;
const DERIVE_KEY_CONTEXT = 32;
const DERIVE_KEY_MATERIAL = 64;

/** Input and output pass through WASM scratch in slices of at most this many bytes (a multiple of 1024). */
const SLICE = 4 << 20;

/** Key words (null: the IV) and flags of one mode, with the default output length. */
interface Mode {
  key: Uint8Array | null;
  flags: number;
  length: number;
}

function requireLength(value: unknown, argName: string): number {
  return requireInteger(value, argName, 0);
}

function readOptions(options: unknown): { key?: Uint8Array; context?: string; length: number } {
  if (options === undefined) return { length: 32 };
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  const o = options as Blake3Options;
  const length = o.length === undefined ? 32 : requireLength(o.length, 'options.length');
  if (o.key !== undefined && o.context !== undefined) {
    throw new TypeError('options.key and options.context are exclusive: BLAKE3 is either keyed or in derive_key mode');
  }
  if (o.key !== undefined) {
    const key = requireBytes(o.key, 'options.key');
    if (key.length !== 32) throw new RangeError(`options.key must be 32 bytes, got ${key.length}`);
    return { key, length };
  }
  if (o.context !== undefined) {
    if (typeof o.context !== 'string') throw new TypeError('options.context must be a string');
    return { context: o.context, length };
  }
  return { length };
}

/** The messages as bytes; the array itself when every item already is a Uint8Array. */
function messageBytes(items: unknown[]): Uint8Array[] {
  let list = items as Uint8Array[];
  for (let i = 0; i < items.length; i++) {
    if (items[i] instanceof Uint8Array) continue;
    if (list === items) list = items.slice() as Uint8Array[];
    list[i] = toBytes(items[i], `messages[${i}]`);
  }
  return list;
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
  function finalizeInto(s: number, length: number): Uint8Array {
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

  function hashWith(bytes: Uint8Array, key: Uint8Array | null, flags: number, length: number): Uint8Array {
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

  function modeOf(options: unknown): Mode {
    if (options === undefined) return plain;
    const o = readOptions(options);
    if (o.key) return { key: o.key, flags: KEYED_HASH, length: o.length };
    if (o.context !== undefined) {
      const contextKey = hashWith(toBytes(o.context, 'options.context'), null, DERIVE_KEY_CONTEXT, 32);
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
    private readonly mode: Mode;
    private state: Uint8Array;
    private readonly initial: Uint8Array;

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

    update(input: Input): this {
      const bytes = toBytes(input, 'input');
      if (bytes.length > 0) {
        const s = this.acquire();
        instance.scoped(() => updateState(s, bytes));
      }
      return this;
    }

    digest(length?: number): Uint8Array {
      const n = length === undefined ? this.mode.length : requireLength(length, 'length');
      const s = this.acquire();
      return instance.scoped(() => finalizeInto(s, n));
    }

    reset(): this {
      if (residentSlot.owner === this) residentSlot.owner = null;
      this.state = this.initial.slice();
      return this;
    }

    clone(): Blake3Hasher {
      const state = residentSlot.owner === this ? instance.read(resident, k.stateUsed(resident)) : this.state.slice();
      return new Hasher(this.mode, state, this.initial);
    }
  }

  const blake3 = Object.assign(
    (input: Input, options?: Blake3Options): Uint8Array => {
      const bytes = toBytes(input, 'input');
      const mode = modeOf(options);
      return hashWith(bytes, mode.key, mode.flags, mode.length);
    },
    { create: (options?: Blake3Options): Blake3Hasher => new Hasher(modeOf(options)) },
  );

  /** Hashes messages[from, to) (together within the slice limits) in one kernel call into `out`. */
  function manyBatch(messages: Uint8Array[], from: number, to: number, bytes: number, mode: Mode, out: Uint8Array): void {
    instance.scoped(() => {
      const count = to - from;
      const keyPtr = putKey(mode.key);
      const { data, table } = packMessages(instance, messages, from, to, bytes);
      const outPtr = instance.alloc(count * mode.length);
      k.many(data, table, count, keyPtr, mode.flags, outPtr, mode.length);
      out.set(instance.u8.subarray(outPtr, outPtr + count * mode.length), from * mode.length);
    });
  }

  function blake3Many(messages: Input[], options?: Blake3Options): Uint8Array[] {
    const list = messageBytes(requireArray(messages, 'messages'));
    const mode = modeOf(options);
    const len = mode.length;
    const out = new Uint8Array(list.length * len);
    let from = 0;
    let bytes = 0;
    for (let i = 0; i <= list.length; i++) {
      const m = list[i];
      const fits = m !== undefined && bytes + m.length <= SLICE && (i - from + 1) * len <= SLICE;
      if (fits) {
        bytes += m.length;
        continue;
      }
      if (i > from) manyBatch(list, from, i, bytes, mode, out);
      from = i;
      bytes = 0;
      if (m !== undefined && (m.length > SLICE || len > SLICE)) {
        out.set(hashWith(m, mode.key, mode.flags, len), i * len);
        from = i + 1;
      } else if (m !== undefined) {
        bytes = m.length;
      }
    }
    const digests: Uint8Array[] = new Array(list.length);
    for (let i = 0; i < list.length; i++) digests[i] = new Uint8Array(out.buffer, i * len, len);
    return digests;
  }

  const blake3Pairs = bindPairs(instance, k.pairs, SLICE);

  return { blake3, blake3Many, blake3Pairs };
}
