import { ArgumentRangeError, ArgumentTypeError, describe, isBytes, requireArray, requireByteLength, requireBytes, requireBytesList, requireObject, requireOptions } from '../check/index.js';
import { sha256, sha256Many } from '../hash/index.js';
import { ed25519 } from '../sig/index.js';
import { TransactionSignatureError } from './errors.js';
import {
  type DecodeTransactionOptions,
  encodeUnsigned,
  parseTransaction,
  requireDecodeOptions,
  requireFields,
  requireMaxPayload,
  requireSender,
  type SignatureItem,
  signatureItem,
  signingBytes,
  type Transaction,
  type TransactionFields,
} from './encoding.js';

/**
 * A 32-byte Ed25519 secret key, or a key pair whose public key then need not be derived again.
 * The pair's public key is trusted, not checked: one that is not the secret key's makes a
 * transaction every node refuses (`ERR_TX_BAD_SIGNATURE`).
 */
export type TransactionKey = Uint8Array | { secretKey: Uint8Array; publicKey: Uint8Array };

/** `verifyBatch` answers false for an item with a key or signature of the wrong length. */
const NOT_A_TRANSACTION: SignatureItem = { publicKey: new Uint8Array(0), message: new Uint8Array(0), signature: new Uint8Array(0) };

/**
 * Signs `fields` as the account of `key`: the sender is its public key. `options.maxPayload`
 * (default 64 KiB) bounds the payload as the receiving nodes do.
 */
export function signTransaction(fields: TransactionFields, key: TransactionKey, options?: { maxPayload?: number }): Transaction {
  const where = 'signTransaction';
  requireObject(fields, where, 'fields');
  const maxPayload = requireMaxPayload(requireOptions(options, where, 'options', ['maxPayload']).maxPayload, where, 'options.maxPayload');
  const { chain, nonce, payload } = requireFields(fields, where, maxPayload);
  let secretKey: Uint8Array;
  let sender: Uint8Array;
  if (key instanceof Uint8Array) {
    secretKey = requireByteLength(key, where, 'key', 32);
    sender = ed25519.getPublicKey(secretKey);
  } else if (key !== null && typeof key === 'object' && !Array.isArray(key)) {
    secretKey = requireByteLength(key.secretKey, where, 'key.secretKey', 32);
    sender = requireSender(key.publicKey, where, 'key.publicKey');
  } else {
    throw new ArgumentTypeError(where, 'key', `must be a 32-byte Uint8Array or { secretKey, publicKey }, got ${describe(key)}`);
  }
  const bytes = encodeUnsigned(chain, sender, nonce, payload);
  bytes.set(ed25519.sign(signingBytes(bytes), secretKey), bytes.length - 64);
  return parseTransaction(bytes, maxPayload);
}

/**
 * Decodes and (unless `verify: false`) verifies one transaction. Throws a `TransactionError`
 * with a stable `code` for any bytes that are not a valid transaction: malformed
 * (`ERR_TX_MALFORMED`), oversize (`ERR_TX_TOO_LARGE`), another chain (`ERR_TX_WRONG_CHAIN`),
 * bad signature (`ERR_TX_BAD_SIGNATURE`).
 */
export function decodeTransaction(bytes: Uint8Array, options?: DecodeTransactionOptions): Transaction {
  const where = 'decodeTransaction';
  const data = requireBytes(bytes, where, 'bytes');
  const { chainId, maxPayload, verify } = requireDecodeOptions(options, where);
  const tx = parseTransaction(data, maxPayload, chainId);
  if (verify && !verifyTransactions([tx])[0]) throw new TransactionSignatureError("signature does not verify under the sender's key");
  return tx;
}

/** The bytes `tx.signature` signs (domain-separated; see `TX_CONTEXT`). */
export function transactionSigningBytes(tx: Transaction): Uint8Array {
  const where = 'transactionSigningBytes';
  const bytes = requireBytes(requireObject<Transaction>(tx, where, 'tx').bytes, where, 'tx.bytes');
  const item = signatureItem(bytes);
  if (item === undefined) throw new ArgumentRangeError(where, 'tx.bytes', `must be laid out as a version-1 transaction, got ${bytes.length} bytes that are not`);
  return item.message;
}

/**
 * One boolean per transaction: does the signature in its `bytes` verify under the sender in its
 * `bytes`? All in one `ed25519.verifyBatch` (a failing batch is bisected to find the bad ones).
 * Bytes not laid out as a transaction answer false.
 */
export function verifyTransactions(txs: readonly Transaction[]): boolean[] {
  const where = 'verifyTransactions';
  const list = requireArray(txs, where, 'txs') as (Transaction | undefined)[];
  const items = new Array<SignatureItem>(list.length);
  for (let i = 0; i < list.length; i++) {
    const tx = list[i];
    const bytes = tx !== null && typeof tx === 'object' ? tx.bytes : undefined;
    // The paths of a refusal are built only when refusing.
    if (!isBytes(bytes) || bytes.length === 0) requireBytes(requireObject<Transaction>(tx, where, `txs[${i}]`).bytes, where, `txs[${i}].bytes`);
    items[i] = signatureItem(bytes as Uint8Array) ?? NOT_A_TRANSACTION;
  }
  return ed25519.verifyBatch(items);
}

/** A transaction's id: SHA-256 of its signed encoding. */
export function transactionId(bytes: Uint8Array): Uint8Array {
  return sha256(requireBytes(bytes, 'transactionId', 'bytes'));
}

/** `transactionId` of each encoding, in one WASM call. */
export function transactionIds(list: readonly Uint8Array[]): Uint8Array[] {
  return sha256Many(requireBytesList(list, 'transactionIds', 'list'));
}
