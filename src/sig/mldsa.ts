import type { Input } from '../bytes/index.js';
import {
  ArgumentRangeError,
  requireArray,
  requireBoolean,
  requireByteLength,
  requireBytes,
  requireFunction,
  requireInput,
  requireObject,
  requireOptions,
} from '../check/index.js';
import { forEachBatch, type PqKernels, type WasmInstance } from '../wasm/index.js';
import { MalformedSecretKeyError } from './errors.js';

// ML-DSA (FIPS 204, pure mode) over the pq family's WASM: keys, hedged or deterministic signing
// with a context string, verification, and batch verification in one WASM call per batch.

export type MlDsaName = 'ML-DSA-44' | 'ML-DSA-65' | 'ML-DSA-87';

export interface MlDsaKeyPair {
  /** The encoded public key (1,312 / 1,952 / 2,592 bytes). */
  publicKey: Uint8Array;
  /** The encoded secret key (2,560 / 4,032 / 4,896 bytes). Keep it secret. */
  secretKey: Uint8Array;
}

export interface MlDsaSignOptions {
  /** FIPS 204's context string, 0-255 bytes (default empty); a verifier must pass the same. */
  context?: Uint8Array;
  /** `true`: the deterministic variant (rnd = 32 zero bytes). Default: hedged, 32 fresh random bytes. */
  deterministic?: boolean;
  /** Fills the 32 bytes of rnd for hedged signing (default: `crypto.getRandomValues`). */
  random?: (bytes: Uint8Array) => void;
}

export interface MlDsaVerifyOptions {
  /** The context string the signer used, 0-255 bytes (default empty). */
  context?: Uint8Array;
}

export interface MlDsaBatchItem {
  signature: Uint8Array;
  message: Input;
  publicKey: Uint8Array;
  /** The item's context string, 0-255 bytes (default empty). */
  context?: Uint8Array;
}

export interface MlDsaLengths {
  publicKey: number;
  secretKey: number;
  signature: number;
  /** Key generation's seed (xi). */
  seed: 32;
}

/** One ML-DSA parameter set, with the argument order and option style of `ed25519`. */
export interface MlDsaApi {
  readonly name: MlDsaName;
  readonly lengths: MlDsaLengths;
  /** A key pair from a 32-byte seed (xi of FIPS 204's ML-DSA.KeyGen_internal), or a random one. */
  generateKeyPair(seed?: Uint8Array): MlDsaKeyPair;
  sign(message: Input, secretKey: Uint8Array, options?: MlDsaSignOptions): Uint8Array;
  /** False for a wrong-length signature or key, a malformed hint encoding, or a bad signature. */
  verify(signature: Uint8Array, message: Input, publicKey: Uint8Array, options?: MlDsaVerifyOptions): boolean;
  /**
   * `verify` for each item, in one WASM call per batch (results per item: lattice signatures have
   * no combined check). Items sharing a public key expand its matrix A once.
   */
  verifyBatch(items: MlDsaBatchItem[]): boolean[];
}

const MLDSA_LEVELS = {
  'ML-DSA-44': { level: 44, publicKey: 1312, secretKey: 2560, signature: 2420 },
  'ML-DSA-65': { level: 65, publicKey: 1952, secretKey: 4032, signature: 3309 },
  'ML-DSA-87': { level: 87, publicKey: 2592, secretKey: 4896, signature: 4627 },
} as const;

/** The byte lengths of ML-DSA-`name`'s keys, signatures and seed. */
export function mldsaLengths(name: MlDsaName): MlDsaLengths {
  const { publicKey, secretKey, signature } = MLDSA_LEVELS[name];
  return { publicKey, secretKey, signature, seed: 32 };
}

/** Items per WASM call of verifyBatch, and their message bytes: bounds one call's scratch. */
const MAX_WASM_BATCH = 1024;
const MAX_WASM_BATCH_BYTES = 16 << 20;

const encoder = new TextEncoder();
const SIGN_KEYS = ['context', 'deterministic', 'random'];
const VERIFY_KEYS = ['context'];

function defaultRandom(bytes: Uint8Array): void {
  globalThis.crypto.getRandomValues(bytes);
}

function requireContext(value: unknown, where: string, argument: string): Uint8Array {
  if (value === undefined) return EMPTY;
  const context = requireBytes(value, where, argument);
  if (context.length > 255) throw new ArgumentRangeError(where, argument, `must be at most 255 bytes (FIPS 204), got ${context.length}`);
  return context;
}
const EMPTY = new Uint8Array(0);

/** M' = 0 || |ctx| || ctx || M (FIPS 204, algorithms 2-3), written at `at` in `u8`; returns its length. */
function writeMessage(u8: Uint8Array, at: number, context: Uint8Array, message: Uint8Array): number {
  u8[at] = 0;
  u8[at + 1] = context.length;
  u8.set(context, at + 2);
  u8.set(message, at + 2 + context.length);
  return 2 + context.length + message.length;
}

function requireBatchItem(item: unknown, i: number, where: string): MlDsaBatchItem {
  const checked = requireObject<MlDsaBatchItem>(item, where, `items[${i}]`);
  requireBytes(checked.signature, where, `items[${i}].signature`);
  requireInput(checked.message, where, `items[${i}].message`);
  requireBytes(checked.publicKey, where, `items[${i}].publicKey`);
  requireContext(checked.context, where, `items[${i}].context`);
  return checked;
}

/**
 * A short fingerprint of a public key (its 32-byte seed rho as text): equal keys sort and group
 * together (the kernel compares whole keys before reusing an expansion).
 */
export function publicKeyOrder(pk: Uint8Array): string {
  return String.fromCharCode(...pk.subarray(0, 32));
}

/** ML-DSA-`name` running on `instance` (a pq family instance). */
export function bindMlDsa(instance: WasmInstance<PqKernels>, name: MlDsaName): MlDsaApi {
  const { level, publicKey: pkLen, secretKey: skLen, signature: sigLen } = MLDSA_LEVELS[name];
  const { mldsaKeygen, mldsaSign, mldsaVerify, mldsaVerifyBatch } = instance.kernels;
  const lower = name.toLowerCase().replace('-', '').replace('-', '');
  const at = (fn: string) => `${lower}.${fn}`;

  function generateKeyPair(seed?: Uint8Array): MlDsaKeyPair {
    const xi = seed === undefined ? new Uint8Array(32) : requireByteLength(seed, at('generateKeyPair'), 'seed', 32);
    if (seed === undefined) defaultRandom(xi);
    return instance.scoped(() => {
      const xiPtr = instance.put(xi);
      const pk = instance.alloc(pkLen);
      const sk = instance.alloc(skLen);
      mldsaKeygen(level, xiPtr, pk, sk);
      const pair = { publicKey: instance.read(pk, pkLen), secretKey: instance.read(sk, skLen) };
      instance.u8.fill(0, xiPtr, xiPtr + 32);
      instance.u8.fill(0, sk, sk + skLen);
      if (seed === undefined) xi.fill(0);
      return pair;
    });
  }

  function sign(message: Input, secretKey: Uint8Array, options?: MlDsaSignOptions): Uint8Array {
    const where = at('sign');
    const msg = requireInput(message, where, 'message');
    const sk = requireByteLength(secretKey, where, 'secretKey', skLen);
    const { context, deterministic, random } = requireOptions(options, where, 'options', SIGN_KEYS);
    const ctx = requireContext(context, where, 'options.context');
    if (deterministic !== undefined) requireBoolean(deterministic, where, 'options.deterministic');
    const fill = random === undefined ? defaultRandom : requireFunction<(bytes: Uint8Array) => void>(random, where, 'options.random');
    const rnd = new Uint8Array(32);
    if (deterministic !== true) fill(rnd);
    return instance.scoped(() => {
      const skPtr = instance.put(sk);
      const rndPtr = instance.put(rnd);
      const sig = instance.alloc(sigLen);
      const mPtr = instance.alloc(2 + ctx.length + msg.length);
      const mLen = writeMessage(instance.u8, mPtr, ctx, msg);
      const rc = mldsaSign(level, skPtr, mPtr, mLen, rndPtr, sig);
      instance.u8.fill(0, skPtr, skPtr + skLen);
      instance.u8.fill(0, rndPtr, rndPtr + 32);
      if (rc !== 1) throw new MalformedSecretKeyError(`${where}: secretKey is not an ${name} secret key (s1 or s2 holds a coefficient outside [-eta, eta])`);
      return instance.read(sig, sigLen);
    });
  }

  function verify(signature: Uint8Array, message: Input, publicKey: Uint8Array, options?: MlDsaVerifyOptions): boolean {
    const where = at('verify');
    const sig = requireBytes(signature, where, 'signature');
    const msg = requireInput(message, where, 'message');
    const pk = requireBytes(publicKey, where, 'publicKey');
    const { context } = requireOptions(options, where, 'options', VERIFY_KEYS);
    const ctx = requireContext(context, where, 'options.context');
    if (sig.length !== sigLen || pk.length !== pkLen) return false;
    return instance.scoped(() => {
      const pkPtr = instance.put(pk);
      const sigPtr = instance.put(sig);
      const mPtr = instance.alloc(2 + ctx.length + msg.length);
      const mLen = writeMessage(instance.u8, mPtr, ctx, msg);
      return mldsaVerify(level, pkPtr, mPtr, mLen, sigPtr) === 1;
    });
  }

  function verifyBatch(items: MlDsaBatchItem[]): boolean[] {
    const where = at('verifyBatch');
    const list = requireArray(items, where, 'items');
    const result = new Array<boolean>(list.length).fill(false);
    // Wrong lengths are invalid and never reach WASM; the rest sorted so equal keys are adjacent.
    const order: number[] = [];
    const checked: MlDsaBatchItem[] = new Array(list.length);
    for (let i = 0; i < list.length; i++) {
      const item = (checked[i] = requireBatchItem(list[i], i, where));
      if (item.signature.length === sigLen && item.publicKey.length === pkLen) order.push(i);
    }
    const keys = order.map((i) => publicKeyOrder(checked[i].publicKey));
    const sorted = order.map((_, k) => k).sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : a - b)).map((k) => order[k]);
    const msgs = sorted.map((i) => {
      const m = checked[i].message;
      return typeof m === 'string' ? encoder.encode(m) : m;
    });
    // Cut by bytes before adding an item, not after: a batch never holds more than the bound plus
    // the lone long message `verify` would take anyway.
    forEachBatch(msgs, 0, msgs.length, MAX_WASM_BATCH_BYTES, MAX_WASM_BATCH, (from, to) => {
      const valid = runBatch(checked, sorted, msgs, from, to);
      for (let k = from; k < to; k++) result[sorted[k]] = valid[k - from] === 1;
    });
    return result;
  }

  /** One WASM call over items sorted[from..to): a table row (pk, sig, M', |M'|) per item. */
  function runBatch(items: MlDsaBatchItem[], sorted: number[], msgs: Uint8Array[], from: number, to: number): Uint8Array {
    const n = to - from;
    return instance.scoped(() => {
      const table = instance.alloc(16 * n, 8);
      const out = instance.alloc(n);
      const rows: number[] = [];
      let lastKey: Uint8Array | null = null;
      let lastPtr = 0;
      for (let k = from; k < to; k++) {
        const item = items[sorted[k]];
        const msg = msgs[k];
        const ctx = item.context ?? EMPTY;
        // One copy of a key the previous item also used: the kernel sees the same pointer.
        const pkPtr = lastKey === item.publicKey ? lastPtr : instance.put(item.publicKey, 8);
        lastKey = item.publicKey;
        lastPtr = pkPtr;
        const sigPtr = instance.put(item.signature, 8);
        const mPtr = instance.alloc(2 + ctx.length + msg.length, 8);
        const mLen = writeMessage(instance.u8, mPtr, ctx, msg);
        rows.push(pkPtr, sigPtr, mPtr, mLen);
      }
      new Uint32Array(instance.u8.buffer, table, 4 * n).set(rows);
      mldsaVerifyBatch(level, n, table, out);
      return instance.read(out, n);
    });
  }

  return { name, lengths: mldsaLengths(name), generateKeyPair, sign, verify, verifyBatch };
}
