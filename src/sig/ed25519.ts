import { type Input, requireArray, requireBytes, toBytes } from '../bytes/index.js';
import type { WasmInstance } from '../wasm/index.js';

export interface Ed25519KeyPair {
  /** The 32-byte RFC 8032 secret key (seed). Keep it secret. */
  secretKey: Uint8Array;
  /** The 32-byte encoded public key A. */
  publicKey: Uint8Array;
}

export interface VerifyOptions {
  /**
   * `false` (default): ZIP-215 rule — cofactored equation [8](S·B − R − k·A) = 0, non-canonical
   * encodings of A and R accepted, S ≥ L rejected; single and batch verification always agree.
   * `true`: RFC 8032 cofactorless S·B = R + k·A with canonical A and R and small-order A or R rejected.
   */
  strict?: boolean;
}

export interface BatchItem {
  signature: Uint8Array;
  message: Input;
  publicKey: Uint8Array;
}

export interface VerifyBatchOptions {
  /**
   * Fills its argument with random bytes for the 128-bit combination coefficients; defaults to
   * `crypto.getRandomValues`. Only tests should replace it: predictable coefficients let a forger
   * craft a batch whose invalid items cancel.
   */
  random?: (bytes: Uint8Array) => void;
}

export interface Ed25519Api {
  /** A new key pair from 32 random bytes, or from `seed` (32 bytes) when given. */
  generateKeyPair(seed?: Uint8Array): Ed25519KeyPair;
  getPublicKey(secretKey: Uint8Array): Uint8Array;
  /** The deterministic 64-byte signature R ‖ S (byte-identical to node:crypto and libsodium). */
  sign(message: Input, secretKey: Uint8Array): Uint8Array;
  verify(signature: Uint8Array, message: Input, publicKey: Uint8Array, options?: VerifyOptions): boolean;
  /** `items.map(verify)` under the default rule, in one WASM call with one multi-scalar multiplication. */
  verifyBatch(items: BatchItem[], options?: VerifyBatchOptions): boolean[];
}

const STRICT = 1;
/** Items per WASM call of verifyBatch. */
const MAX_WASM_BATCH = 4096;

function secretKeyBytes(secretKey: unknown): Uint8Array {
  const sk = requireBytes(secretKey, 'secretKey');
  if (sk.length !== 32) throw new RangeError(`secretKey must be 32 bytes, got ${sk.length}`);
  return sk;
}

function defaultRandom(bytes: Uint8Array): void {
  // getRandomValues fills at most 65536 bytes per call.
  for (let i = 0; i < bytes.length; i += 65536) globalThis.crypto.getRandomValues(bytes.subarray(i, Math.min(bytes.length, i + 65536)));
}

export function bindEd25519(instance: WasmInstance): Ed25519Api {
  const {
    ed25519PublicKey: publicKeyKernel,
    ed25519Sign: signKernel,
    ed25519Verify: verifyKernel,
    ed25519VerifyBatch: batchKernel,
    ed25519BatchWorkSize: workSize,
  } = instance.kernels;

  function getPublicKey(secretKey: Uint8Array): Uint8Array {
    const sk = secretKeyBytes(secretKey);
    return instance.scoped(() => {
      const out = instance.alloc(32);
      const seed = instance.put(sk);
      publicKeyKernel(out, seed);
      instance.u8.fill(0, seed, seed + 32);
      return instance.read(out, 32);
    });
  }

  function generateKeyPair(seed?: Uint8Array): Ed25519KeyPair {
    let secretKey: Uint8Array;
    if (seed === undefined) {
      secretKey = new Uint8Array(32);
      defaultRandom(secretKey);
    } else {
      const s = requireBytes(seed, 'seed');
      if (s.length !== 32) throw new RangeError(`seed must be 32 bytes, got ${s.length}`);
      secretKey = s.slice();
    }
    return { secretKey, publicKey: getPublicKey(secretKey) };
  }

  function sign(message: Input, secretKey: Uint8Array): Uint8Array {
    const msg = toBytes(message, 'message');
    const sk = secretKeyBytes(secretKey);
    return instance.scoped(() => {
      const out = instance.alloc(64);
      const seed = instance.put(sk);
      const buf = instance.alloc(64 + msg.length);
      const u8 = instance.u8;
      u8.set(msg, buf + 64);
      signKernel(out, seed, buf, msg.length);
      u8.fill(0, seed, seed + 32);
      u8.fill(0, buf, buf + 64);
      return instance.read(out, 64);
    });
  }

  function verify(signature: Uint8Array, message: Input, publicKey: Uint8Array, options: VerifyOptions = {}): boolean {
    const sig = requireBytes(signature, 'signature');
    const msg = toBytes(message, 'message');
    const pk = requireBytes(publicKey, 'publicKey');
    if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
    if (options.strict !== undefined && typeof options.strict !== 'boolean') throw new TypeError('options.strict must be a boolean');
    if (sig.length !== 64 || pk.length !== 32) return false;
    return instance.scoped(() => {
      const s = instance.alloc(32);
      const buf = instance.alloc(64 + msg.length);
      const u8 = instance.u8;
      u8.set(sig.subarray(32), s);
      u8.set(sig.subarray(0, 32), buf);
      u8.set(pk, buf + 32);
      u8.set(msg, buf + 64);
      return verifyKernel(s, buf, msg.length, options.strict === true ? STRICT : 0) === 1;
    });
  }

  function verifyBatch(items: BatchItem[], options: VerifyBatchOptions = {}): boolean[] {
    const list = requireArray(items, 'items') as BatchItem[];
    if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
    const random = options.random ?? defaultRandom;
    if (typeof random !== 'function') throw new TypeError('options.random must be a function');
    const result: boolean[] = new Array<boolean>(list.length).fill(false);
    // Items with wrong lengths are invalid and never reach WASM; `slot` maps the rest.
    const sigs: Uint8Array[] = [];
    const msgs: Uint8Array[] = [];
    const pks: Uint8Array[] = [];
    const slot: number[] = [];
    list.forEach((item, i) => {
      if (item === null || typeof item !== 'object') throw new TypeError(`items[${i}] must be an object`);
      const sig = requireBytes(item.signature, `items[${i}].signature`);
      const msg = toBytes(item.message, `items[${i}].message`);
      const pk = requireBytes(item.publicKey, `items[${i}].publicKey`);
      if (sig.length !== 64 || pk.length !== 32) return;
      sigs.push(sig);
      msgs.push(msg);
      pks.push(pk);
      slot.push(i);
    });
    const coeffs = new Uint8Array(16 * slot.length);
    if (slot.length > 0) random(coeffs);
    // Chunks bound the WASM workspace (~7 KiB per item); past a few thousand items the
    // multi-scalar multiplication gains little from a larger batch.
    for (let from = 0; from < slot.length; from += MAX_WASM_BATCH) {
      const to = Math.min(slot.length, from + MAX_WASM_BATCH);
      runBatch(sigs.slice(from, to), pks.slice(from, to), msgs.slice(from, to), coeffs.subarray(16 * from, 16 * to)).forEach((ok, k) => {
        result[slot[from + k]] = ok;
      });
    }
    return result;
  }

  /** One WASM call over n packed items. */
  function runBatch(sigs: Uint8Array[], pks: Uint8Array[], msgs: Uint8Array[], coeffs: Uint8Array): boolean[] {
    const n = sigs.length;
    let msgBytes = 0;
    for (const m of msgs) msgBytes += m.length;
    return instance.scoped(() => {
      const sigPtr = instance.alloc(64 * n);
      const pkPtr = instance.alloc(32 * n);
      const msgPtr = instance.alloc(msgBytes);
      const tablePtr = instance.alloc(8 * n, 8);
      const coeffPtr = instance.alloc(16 * n);
      const outPtr = instance.alloc(n);
      const workPtr = instance.alloc(workSize(n), 16);
      const u8 = instance.u8;
      const table = new Uint32Array(u8.buffer, tablePtr, 2 * n);
      let off = 0;
      for (let k = 0; k < n; k++) {
        u8.set(sigs[k], sigPtr + 64 * k);
        u8.set(pks[k], pkPtr + 32 * k);
        u8.set(msgs[k], msgPtr + off);
        table[2 * k] = off;
        table[2 * k + 1] = msgs[k].length;
        off += msgs[k].length;
      }
      u8.set(coeffs, coeffPtr);
      batchKernel(n, sigPtr, pkPtr, msgPtr, tablePtr, coeffPtr, outPtr, workPtr);
      const out = instance.u8;
      return Array.from({ length: n }, (_, k) => out[outPtr + k] === 1);
    });
  }

  return { generateKeyPair, getPublicKey, sign, verify, verifyBatch };
}

/**
 * One batch item as a single byte string, signature (64) ‖ publicKey (32) ‖ message, the form in
 * which the worker pool ships batches. Items whose signature or key has the wrong length pack to
 * an empty string, which `verifyPacked` reports invalid.
 */
export function packBatchItem(item: BatchItem, index: number): Uint8Array {
  if (item === null || typeof item !== 'object') throw new TypeError(`items[${index}] must be an object`);
  const sig = requireBytes(item.signature, `items[${index}].signature`);
  const msg = toBytes(item.message, `items[${index}].message`);
  const pk = requireBytes(item.publicKey, `items[${index}].publicKey`);
  if (sig.length !== 64 || pk.length !== 32) return new Uint8Array(0);
  const out = new Uint8Array(96 + msg.length);
  out.set(sig, 0);
  out.set(pk, 64);
  out.set(msg, 96);
  return out;
}

/** `verifyBatch` over items packed by `packBatchItem` (views, no copies). */
export function verifyPacked(api: Ed25519Api, packed: readonly Uint8Array[]): boolean[] {
  return api.verifyBatch(
    packed.map((p) =>
      p.length < 96 ? { signature: p, message: p, publicKey: p } : { signature: p.subarray(0, 64), publicKey: p.subarray(64, 96), message: p.subarray(96) },
    ),
  );
}
