import { requireArray, requireBytes, requireObject } from '../check/index.js';
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
  signingBytes,
  type Transaction,
  type TransactionFields,
} from './encoding.js';

/** A secret key, or a key pair whose public key then need not be derived again. */
export type TransactionKey = Uint8Array | { secretKey: Uint8Array; publicKey: Uint8Array };

/**
 * Signs `fields` as the account of `key`: the sender is its public key. `options.maxPayload`
 * (default 64 KiB) bounds the payload as the receiving nodes do.
 */
export function signTransaction(fields: TransactionFields, key: TransactionKey, options?: { maxPayload?: number }): Transaction {
  const where = 'signTransaction';
  requireObject(fields, where, 'fields');
  const maxPayload = requireMaxPayload(options === undefined ? undefined : requireObject<{ maxPayload?: number }>(options, where, 'options').maxPayload, where, 'options.maxPayload');
  const chain = requireFields(fields, where, maxPayload);
  let secretKey: Uint8Array;
  let sender: Uint8Array;
  if (key instanceof Uint8Array) {
    secretKey = key;
    sender = ed25519.getPublicKey(key);
  } else {
    const pair = requireObject<{ secretKey: Uint8Array; publicKey: Uint8Array }>(key, where, 'key');
    secretKey = requireBytes(pair.secretKey, where, 'key.secretKey');
    sender = requireBytes(pair.publicKey, where, 'key.publicKey');
  }
  const bytes = encodeUnsigned(chain, sender, fields.nonce, fields.payload);
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
  return signingBytes(requireBytes(requireObject<Transaction>(tx, 'transactionSigningBytes', 'tx').bytes, 'transactionSigningBytes', 'tx.bytes'));
}

/**
 * One boolean per transaction: does its signature verify? All in one `ed25519.verifyBatch`
 * (a failing batch is bisected to find the bad ones).
 */
export function verifyTransactions(txs: readonly Transaction[]): boolean[] {
  const list = requireArray(txs, 'verifyTransactions', 'txs') as Transaction[];
  return ed25519.verifyBatch(list.map((tx) => ({ publicKey: tx.sender, message: signingBytes(tx.bytes), signature: tx.signature })));
}

/** A transaction's id: SHA-256 of its signed encoding. */
export function transactionId(bytes: Uint8Array): Uint8Array {
  return sha256(requireBytes(bytes, 'transactionId', 'bytes'));
}

/** `transactionId` of each encoding, in one WASM call. */
export function transactionIds(list: readonly Uint8Array[]): Uint8Array[] {
  return sha256Many(list as Uint8Array[]);
}
