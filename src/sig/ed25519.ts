import type { Input } from '../bytes/index.js';
import {
  isBytes,
  requireArray,
  requireBoolean,
  requireByteLength,
  requireBytes,
  requireFunction,
  requireInput,
  requireObject,
  requireOptions,
} from '../check/index.js';
import { forEachBatch, putItems, type SigKernels, type WasmInstance } from '../wasm/index.js';

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
  /**
   * `items.map(verify)` under the default rule, with one multi-scalar multiplication per WASM
   * call (up to 4,096 items and 16 MiB of messages each; a longer message is verified alone,
   * streamed as `verify` streams it).
   */
  verifyBatch(items: BatchItem[], options?: VerifyBatchOptions): boolean[];
}

const STRICT = 1;
/** Items per WASM call of verifyBatch: past a few thousand the multi-scalar multiplication gains little. */
const MAX_WASM_BATCH = 4096;
/** Message bytes per WASM call of verifyBatch (a longer message is verified alone, streamed): bounds the scratch with the ~7 KiB per item. */
const MAX_WASM_BATCH_BYTES = 16 << 20;
/**
 * Messages longer than this are fed to SHA-512 in slices of this size by sign and verify, so a
 * long message costs this much WASM memory, not its own length (which stayed allocated: linear
 * memory never shrinks). Below it one kernel call does all, as before.
 */
export const ED25519_SLICE_BYTES = 1 << 20;

const encoder = new TextEncoder();

function defaultRandom(bytes: Uint8Array): void {
  // getRandomValues fills at most 65536 bytes per call.
  for (let i = 0; i < bytes.length; i += 65536) globalThis.crypto.getRandomValues(bytes.subarray(i, Math.min(bytes.length, i + 65536)));
}

/**
 * Item `i` of a batch checked for `where`. The common case (non-empty bytes, or a string
 * message) is recognised without building the item's argument paths, which only a refusal needs.
 */
function requireBatchItem(item: unknown, i: number, where: string): BatchItem {
  if (item !== null && typeof item === 'object') {
    const { signature, message, publicKey } = item as BatchItem;
    if (
      isBytes(signature) && signature.length !== 0 &&
      isBytes(publicKey) && publicKey.length !== 0 &&
      (typeof message === 'string' || (isBytes(message) && message.length !== 0))
    ) return item as BatchItem;
  }
  const checked = requireObject<BatchItem>(item, where, `items[${i}]`);
  requireBytes(checked.signature, where, `items[${i}].signature`);
  requireInput(checked.message, where, `items[${i}].message`);
  requireBytes(checked.publicKey, where, `items[${i}].publicKey`);
  return checked;
}

export function bindEd25519(instance: WasmInstance<SigKernels>): Ed25519Api {
  const {
    ed25519PublicKey: publicKeyKernel,
    ed25519Sign: signKernel,
    ed25519Verify: verifyKernel,
    ed25519VerifyBatch: batchKernel,
    ed25519BatchWorkSize: workSize,
    ed25519HashInit: hashInit,
    ed25519HashUpdate: hashUpdate,
    ed25519VerifyFinish: verifyFinishKernel,
    ed25519SignStart: signStartKernel,
    ed25519SignCommit: signCommitKernel,
    ed25519SignFinish: signFinishKernel,
  } = instance.kernels;
  const stateSize = instance.kernels.ed25519HashStateSize();

  /** Feeds `msg` into the SHA-512 state at `state` through the `ED25519_SLICE_BYTES` window at `window`. */
  function absorb(state: number, window: number, msg: Uint8Array): void {
    for (let at = 0; at < msg.length; at += ED25519_SLICE_BYTES) {
      const piece = msg.subarray(at, at + ED25519_SLICE_BYTES);
      instance.u8.set(piece, window);
      hashUpdate(state, window, piece.length);
    }
  }

  function publicKeyOf(sk: Uint8Array): Uint8Array {
    return instance.scoped(() => {
      const out = instance.alloc(32);
      const seed = instance.put(sk);
      publicKeyKernel(out, seed);
      instance.u8.fill(0, seed, seed + 32);
      return instance.read(out, 32);
    });
  }

  function getPublicKey(secretKey: Uint8Array): Uint8Array {
    return publicKeyOf(requireByteLength(secretKey, 'ed25519.getPublicKey', 'secretKey', 32));
  }

  function generateKeyPair(seed?: Uint8Array): Ed25519KeyPair {
    let secretKey: Uint8Array;
    if (seed === undefined) {
      secretKey = new Uint8Array(32);
      defaultRandom(secretKey);
    } else {
      secretKey = requireByteLength(seed, 'ed25519.generateKeyPair', 'seed', 32).slice();
    }
    return { secretKey, publicKey: publicKeyOf(secretKey) };
  }

  function sign(message: Input, secretKey: Uint8Array): Uint8Array {
    const msg = requireInput(message, 'ed25519.sign', 'message');
    const sk = requireByteLength(secretKey, 'ed25519.sign', 'secretKey', 32);
    if (msg.length > ED25519_SLICE_BYTES) return signStreamed(msg, sk);
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

  /** `sign` of a long message: its two SHA-512 passes streamed (the secret-derived scratch wiped after). */
  function signStreamed(msg: Uint8Array, sk: Uint8Array): Uint8Array {
    return instance.scoped(() => {
      const seed = instance.put(sk);
      const state = instance.alloc(stateSize);
      const r = instance.alloc(32);
      const ra = instance.alloc(64);
      const s = instance.alloc(32);
      const window = instance.alloc(ED25519_SLICE_BYTES);
      try {
        signStartKernel(state, seed);
        absorb(state, window, msg);
        signCommitKernel(state, seed, r, ra);
        absorb(state, window, msg);
        signFinishKernel(s, state, seed, r);
        const out = new Uint8Array(64);
        out.set(instance.u8.subarray(ra, ra + 32));
        out.set(instance.u8.subarray(s, s + 32), 32);
        return out;
      } finally {
        instance.u8.fill(0, seed, window + Math.min(msg.length, ED25519_SLICE_BYTES));
      }
    });
  }

  function verify(signature: Uint8Array, message: Input, publicKey: Uint8Array, options?: VerifyOptions): boolean {
    const sig = requireBytes(signature, 'ed25519.verify', 'signature');
    const msg = requireInput(message, 'ed25519.verify', 'message');
    const pk = requireBytes(publicKey, 'ed25519.verify', 'publicKey');
    const { strict } = requireOptions(options, 'ed25519.verify', 'options', ['strict']);
    if (strict !== undefined) requireBoolean(strict, 'ed25519.verify', 'options.strict');
    if (sig.length !== 64 || pk.length !== 32) return false;
    return verifyChecked(sig, msg, pk, strict === true ? STRICT : 0);
  }

  /** `verify` of checked arguments with a 64-byte signature and a 32-byte key. */
  function verifyChecked(sig: Uint8Array, msg: Uint8Array, pk: Uint8Array, flags: number): boolean {
    if (msg.length > ED25519_SLICE_BYTES) return verifyStreamed(sig, msg, pk, flags);
    return instance.scoped(() => {
      const s = instance.alloc(32);
      const buf = instance.alloc(64 + msg.length);
      const u8 = instance.u8;
      u8.set(sig.subarray(32), s);
      u8.set(sig.subarray(0, 32), buf);
      u8.set(pk, buf + 32);
      u8.set(msg, buf + 64);
      return verifyKernel(s, buf, msg.length, flags) === 1;
    });
  }

  /** `verifyChecked` of a long message: SHA-512(R ‖ A ‖ M) computed through the window. */
  function verifyStreamed(sig: Uint8Array, msg: Uint8Array, pk: Uint8Array, flags: number): boolean {
    return instance.scoped(() => {
      const s = instance.alloc(32);
      const ra = instance.alloc(64);
      const state = instance.alloc(stateSize);
      const window = instance.alloc(ED25519_SLICE_BYTES);
      const u8 = instance.u8;
      u8.set(sig.subarray(32), s);
      u8.set(sig.subarray(0, 32), ra);
      u8.set(pk, ra + 32);
      hashInit(state);
      hashUpdate(state, ra, 64);
      absorb(state, window, msg);
      return verifyFinishKernel(s, ra, state, flags) === 1;
    });
  }

  function verifyBatch(items: BatchItem[], options?: VerifyBatchOptions): boolean[] {
    const where = 'ed25519.verifyBatch';
    const list = requireArray(items, where, 'items');
    // Items with wrong lengths are invalid and never reach WASM; `slot` maps the rest.
    const sigs: Uint8Array[] = [];
    const msgs: Uint8Array[] = [];
    const pks: Uint8Array[] = [];
    const slot: number[] = [];
    for (let i = 0; i < list.length; i++) {
      const item = requireBatchItem(list[i], i, where);
      if (item.signature.length !== 64 || item.publicKey.length !== 32) continue;
      sigs.push(item.signature);
      msgs.push(typeof item.message === 'string' ? encoder.encode(item.message) : item.message);
      pks.push(item.publicKey);
      slot.push(i);
    }
    const { random: givenRandom } = requireOptions(options, where, 'options', ['random']);
    const random = givenRandom === undefined ? defaultRandom : requireFunction<(bytes: Uint8Array) => void>(givenRandom, where, 'options.random');
    const result: boolean[] = new Array<boolean>(list.length).fill(false);
    forEachBatch(msgs, 0, slot.length, MAX_WASM_BATCH_BYTES, MAX_WASM_BATCH, (from, to, bytes) => {
      // A message longer than a whole batch's bytes is verified alone, streamed: under the default
      // rule single and batch verification agree, and its memory stays bounded.
      if (bytes > MAX_WASM_BATCH_BYTES) {
        result[slot[from]] = verifyChecked(sigs[from], msgs[from], pks[from], 0);
        return;
      }
      const coeffs = new Uint8Array(16 * (to - from));
      random(coeffs);
      const valid = runBatch(sigs, pks, msgs, from, to, bytes, coeffs);
      for (let k = from; k < to; k++) result[slot[k]] = valid[k - from] === 1;
    });
    return result;
  }

  /** One WASM call over items [from, to) (`bytes` of messages in all); 1 per valid item. */
  function runBatch(sigs: Uint8Array[], pks: Uint8Array[], msgs: Uint8Array[], from: number, to: number, bytes: number, coeffs: Uint8Array): Uint8Array {
    const n = to - from;
    return instance.scoped(() => {
      const sigPtr = instance.alloc(64 * n);
      const pkPtr = instance.alloc(32 * n);
      const coeffPtr = instance.alloc(16 * n);
      const outPtr = instance.alloc(n);
      const { data, table } = putItems(instance, msgs, from, to, bytes);
      const workPtr = instance.alloc(workSize(n), 16);
      const u8 = instance.u8;
      for (let k = 0; k < n; k++) {
        u8.set(sigs[from + k], sigPtr + 64 * k);
        u8.set(pks[from + k], pkPtr + 32 * k);
      }
      u8.set(coeffs, coeffPtr);
      batchKernel(n, sigPtr, pkPtr, data, table, coeffPtr, outPtr, workPtr);
      return instance.read(outPtr, n);
    });
  }

  return { generateKeyPair, getPublicKey, sign, verify, verifyBatch };
}

const NOT_PACKED = new Uint8Array(0);

/**
 * Batch items as byte strings, signature (64) ‖ publicKey (32) ‖ message, views of one buffer:
 * the form in which the worker pool ships batches. Items whose signature or key has the wrong
 * length pack to an empty string, which `verifyPacked` reports invalid. Every item is checked
 * (argument errors name `where`) and the packed length handed to `requireSize` before the buffer
 * is allocated, so a batch past the pool's limit is refused before it is copied.
 */
export function packBatchItems(items: readonly unknown[], where: string, requireSize: (bytes: number) => void): Uint8Array[] {
  const checked = new Array<BatchItem | null>(items.length);
  const msgs = new Array<Uint8Array>(items.length);
  let total = 0;
  for (let i = 0; i < items.length; i++) {
    const item = requireBatchItem(items[i], i, where);
    if (item.signature.length !== 64 || item.publicKey.length !== 32) {
      checked[i] = null;
      continue;
    }
    checked[i] = item;
    msgs[i] = typeof item.message === 'string' ? encoder.encode(item.message) : item.message;
    total += 96 + msgs[i].length;
  }
  requireSize(total);
  const buffer = new Uint8Array(total);
  const packed = new Array<Uint8Array>(items.length);
  let at = 0;
  for (let i = 0; i < items.length; i++) {
    const item = checked[i];
    if (item === null) {
      packed[i] = NOT_PACKED;
      continue;
    }
    buffer.set(item.signature, at);
    buffer.set(item.publicKey, at + 64);
    buffer.set(msgs[i], at + 96);
    packed[i] = buffer.subarray(at, at + 96 + msgs[i].length);
    at += 96 + msgs[i].length;
  }
  return packed;
}

/** `verifyBatch` over items packed by `packBatchItems` (views, no copies). */
export function verifyPacked(api: Ed25519Api, packed: readonly Uint8Array[]): boolean[] {
  return api.verifyBatch(
    packed.map((p) =>
      p.length < 96 ? { signature: p, message: p, publicKey: p } : { signature: p.subarray(0, 64), publicKey: p.subarray(64, 96), message: p.subarray(96) },
    ),
  );
}
