import { ArgumentRangeError, requireArray, requireBytes, requireInput, requireObject } from '../check/index.js';
import { type MlDsaApi, type MlDsaBatchItem, mldsaLengths, type MlDsaName, publicKeyOrder } from './mldsa.js';
import { mldsa44, mldsa65, mldsa87 } from './pq.js';

// ML-DSA `verifyBatch` items as the worker pool carries them: one byte string per item,
// signature ‖ public key ‖ |context| (1 byte) ‖ context ‖ message, back to back in the pool's
// batch buffer. A worker hands a shard to `verifyBatch` as views of that buffer (no copies), and
// `verifyBatch` copies each item into WASM once.

/** The parameter sets, in FIPS 204's spelling (`mldsa65.name`). */
export const MLDSA_NAMES: readonly MlDsaName[] = ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87'];

const APIS: Record<MlDsaName, MlDsaApi> = { 'ML-DSA-44': mldsa44, 'ML-DSA-65': mldsa65, 'ML-DSA-87': mldsa87 };

/** The inline function whose argument errors the pool repeats: `mldsa65.verifyBatch`. */
function mldsaBatchWhere(name: MlDsaName): string {
  return `mldsa${name.slice(7)}.verifyBatch`;
}

interface PackedMlDsaBatch {
  /** The packed items of right-length signatures and keys, equal public keys adjacent. */
  packed: Uint8Array[];
  /** `packed[k]` is item `index[k]` of the caller's list. */
  index: number[];
  /** Items in the caller's list (the others, of a wrong length, are invalid without any work). */
  count: number;
}

/**
 * Checks `items` as `ML-DSA-name.verifyBatch` does (the same errors, naming it), and packs the
 * items whose signature and key have the right lengths. Items are grouped by public key (in the
 * order keys first appear): the pool cuts a batch into shards of consecutive items, so a key
 * signing many items is expanded once per shard it falls in rather than once per item's shard.
 */
export function packMlDsaBatch(items: unknown, name: MlDsaName, requireSize: (bytes: number) => void): PackedMlDsaBatch {
  const where = mldsaBatchWhere(name);
  const { publicKey: pkLen, signature: sigLen } = mldsaLengths(name);
  const list = requireArray(items, where, 'items');
  const groups = new Map<string, number[]>();
  const checked = new Array<CheckedItem>(list.length);
  for (let i = 0; i < list.length; i++) {
    const item = (checked[i] = requireItem(list[i], i, where));
    if (item.signature.length !== sigLen || item.publicKey.length !== pkLen) continue;
    const key = publicKeyOrder(item.publicKey);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [i]);
    else group.push(i);
  }
  const index: number[] = [];
  let bytes = 0;
  for (const group of groups.values()) {
    for (const i of group) {
      index.push(i);
      bytes += packedLength(checked[i]);
    }
  }
  // Checked before the copy is made: a batch past the pool's limit is refused, not half allocated.
  requireSize(bytes);
  // One buffer for every item, each packed item a view of it: one allocation per batch, not per item.
  const buffer = new Uint8Array(bytes);
  const packed = new Array<Uint8Array>(index.length);
  let at = 0;
  for (let k = 0; k < index.length; k++) {
    const end = packItem(checked[index[k]], buffer, at);
    packed[k] = buffer.subarray(at, end);
    at = end;
  }
  return { packed, index, count: list.length };
}

const EMPTY = new Uint8Array(0);

/** An item as `verifyBatch` reads it: message as bytes, context present. */
interface CheckedItem {
  signature: Uint8Array;
  publicKey: Uint8Array;
  context: Uint8Array;
  message: Uint8Array;
}

/** The checks of `verifyBatch`, in its order, with its messages. */
function requireItem(item: unknown, i: number, where: string): CheckedItem {
  const given = requireObject<MlDsaBatchItem>(item, where, `items[${i}]`);
  const signature = requireBytes(given.signature, where, `items[${i}].signature`);
  const message = requireInput(given.message, where, `items[${i}].message`);
  const publicKey = requireBytes(given.publicKey, where, `items[${i}].publicKey`);
  const context = given.context === undefined ? EMPTY : requireBytes(given.context, where, `items[${i}].context`);
  if (context.length > 255) throw new ArgumentRangeError(where, `items[${i}].context`, `must be at most 255 bytes (FIPS 204), got ${context.length}`);
  return { signature, publicKey, context, message };
}

function packedLength({ signature, publicKey, context, message }: CheckedItem): number {
  return signature.length + publicKey.length + 1 + context.length + message.length;
}

/** Writes the packed item into `out` at `at`; returns where it ends. */
function packItem({ signature, publicKey, context, message }: CheckedItem, out: Uint8Array, at: number): number {
  out.set(signature, at);
  out.set(publicKey, at + signature.length);
  const ctxAt = at + signature.length + publicKey.length;
  out[ctxAt] = context.length;
  out.set(context, ctxAt + 1);
  out.set(message, ctxAt + 1 + context.length);
  return ctxAt + 1 + context.length + message.length;
}

/** An item `verifyBatch` reports invalid without work: what a malformed packed item becomes. */
const INVALID: MlDsaBatchItem = { signature: EMPTY, publicKey: EMPTY, message: EMPTY };

/**
 * `ML-DSA-name.verifyBatch` on the default backend over items packed by `packMlDsaBatch` (views,
 * no copies). Bytes that are not such an item (`pool.run` takes any) verify as false.
 */
export function verifyMlDsaPacked(name: MlDsaName, packed: readonly Uint8Array[]): boolean[] {
  const { publicKey: pkLen, signature: sigLen } = mldsaLengths(name);
  const head = sigLen + pkLen;
  return APIS[name].verifyBatch(
    packed.map((p) => {
      if (p.length <= head || head + 1 + p[head] > p.length) return INVALID;
      const messageAt = head + 1 + p[head];
      return { signature: p.subarray(0, sigLen), publicKey: p.subarray(sigLen, head), context: p.subarray(head + 1, messageAt), message: p.subarray(messageAt) };
    }),
  );
}
