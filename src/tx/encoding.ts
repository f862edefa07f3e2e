import { ArgumentRangeError, requireBoolean, requireByteLength, requireBytes, requireInteger, requireOptions, requireString } from '../check/index.js';
import { MalformedTransactionError, TransactionTooLargeError, WrongChainError } from './errors.js';

// Version 1 of a signed transaction, little-endian:
//   version u8 = 1 | chainId length u8 | chainId (UTF-8) | sender 32 | nonce u64 | payload length u32 | payload | signature 64
// The signature covers TX_CONTEXT followed by everything between the version byte and the
// signature: a context no other swarmguard message starts with, then the chain id, so a
// signature is valid for one message type on one chain only.

export const TX_VERSION = 1;
const CONTEXT_TEXT = 'swarmguard/tx/v1\0';
/** What signing prepends; private, so that writing into the exported copy cannot change it. */
const CONTEXT = new TextEncoder().encode(CONTEXT_TEXT);
/** The domain-separation prefix of every transaction signature (17 bytes; a copy, for reference). */
export const TX_CONTEXT = new TextEncoder().encode(CONTEXT_TEXT);
/** The payload ceiling when none is configured. */
export const DEFAULT_MAX_PAYLOAD = 64 * 1024;
export const MAX_CHAIN_ID_BYTES = 64;
const SENDER = 32;
const SIGNATURE = 64;
/** Fixed bytes around the chain id and payload: version, chain id length, sender, nonce, payload length, signature. */
const FIXED = 1 + 1 + SENDER + 8 + 4 + SIGNATURE;

/** Bytes of a signed transaction on a chain id of `chainIdBytes` UTF-8 bytes with a payload of `payloadBytes`. */
export function transactionLength(chainIdBytes: number, payloadBytes: number): number {
  return FIXED + chainIdBytes + payloadBytes;
}

const encoder = new TextEncoder();
// `ignoreBOM: true` keeps a leading U+FEFF in the chain id: stripped, the bytes EF BB BF 'main'
// would read as 'main', and a signature made for another chain id would pass as this chain's.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
/** With the `u` flag a surrogate pair is one code point, so this matches lone surrogates only. */
const LONE_SURROGATE = /\p{Cs}/u;

/** A client-signed transaction as decoded: what the application executes. */
export interface Transaction {
  /** The chain (network) it is valid on: 1 to 64 bytes of UTF-8. */
  chainId: string;
  /** The signer's raw 32-byte Ed25519 public key: the account. */
  sender: Uint8Array;
  /** Per sender, executed in strictly increasing order, each at most once; the first is 1. */
  nonce: number;
  payload: Uint8Array;
  /** Ed25519 over `transactionSigningBytes`. */
  signature: Uint8Array;
  /** The whole signed encoding (what travels, and the Merkle leaf of its block). */
  bytes: Uint8Array;
}

/** The fields a client signs. */
export interface TransactionFields {
  chainId: string;
  nonce: number;
  payload: Uint8Array;
}

export interface DecodeTransactionOptions {
  /** Refuse a transaction of any other chain (`WrongChainError`). */
  chainId?: string;
  /** Largest payload accepted, in bytes (default 64 KiB). */
  maxPayload?: number;
  /** Verify the signature (default true); a caller verifying many at once passes false and uses `verifyTransactions`. */
  verify?: boolean;
}

/** Checks `fields` for `where`, reading each once (a getter cannot answer differently later). */
export function requireFields(fields: TransactionFields, where: string, maxPayload: number): { chain: Uint8Array; nonce: number; payload: Uint8Array } {
  const chain = requireChainId(fields.chainId, where, 'fields.chainId');
  const nonce = requireInteger(fields.nonce, where, 'fields.nonce', 1);
  const payload = requireBytes(fields.payload, where, 'fields.payload');
  if (payload.length > maxPayload) throw new ArgumentRangeError(where, 'fields.payload', `must be at most ${maxPayload} bytes, got ${payload.length}`);
  return { chain, nonce, payload };
}

/**
 * A chain id's UTF-8 bytes, 1 to 64 of them. A lone surrogate is refused: UTF-8 cannot hold it
 * (it would be written as U+FFFD), so the chain id signed would not be the one given.
 */
export function requireChainId(value: unknown, where: string, argument: string): Uint8Array {
  const text = requireString(value, where, argument);
  if (LONE_SURROGATE.test(text)) throw new ArgumentRangeError(where, argument, 'must be well-formed Unicode, got a lone surrogate');
  const bytes = encoder.encode(text);
  if (bytes.length === 0 || bytes.length > MAX_CHAIN_ID_BYTES) {
    throw new ArgumentRangeError(where, argument, `must be 1 to ${MAX_CHAIN_ID_BYTES} bytes of UTF-8, got ${bytes.length}`);
  }
  return bytes;
}

export function requireMaxPayload(value: unknown, where: string, argument: string): number {
  return value === undefined ? DEFAULT_MAX_PAYLOAD : requireInteger(value, where, argument, 0, 2 ** 32 - 1 - FIXED - MAX_CHAIN_ID_BYTES);
}

/** The unsigned encoding with room for the signature at the end (filled by the caller). */
export function encodeUnsigned(chain: Uint8Array, sender: Uint8Array, nonce: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(FIXED + chain.length + payload.length);
  const view = new DataView(out.buffer);
  out[0] = TX_VERSION;
  out[1] = chain.length;
  out.set(chain, 2);
  let at = 2 + chain.length;
  out.set(sender, at);
  at += SENDER;
  view.setUint32(at, nonce >>> 0, true);
  view.setUint32(at + 4, Math.floor(nonce / 2 ** 32), true);
  view.setUint32(at + 8, payload.length, true);
  out.set(payload, at + 12);
  return out;
}

/** The bytes the sender signs: `TX_CONTEXT` then the encoding between its version byte and its signature. */
export function signingBytes(encoded: Uint8Array): Uint8Array {
  const body = encoded.subarray(1, encoded.length - SIGNATURE);
  const out = new Uint8Array(CONTEXT.length + body.length);
  out.set(CONTEXT);
  out.set(body, CONTEXT.length);
  return out;
}

/** What `ed25519.verifyBatch` checks for one transaction, read from its bytes alone. */
export interface SignatureItem {
  publicKey: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
}

/**
 * The sender, signing bytes and signature of `bytes`, or undefined when they are not laid out as
 * a version-1 transaction. Read from the bytes rather than from a decoded object's fields, so
 * what verifies is exactly what travels and what the id names.
 */
export function signatureItem(bytes: Uint8Array): SignatureItem | undefined {
  if (bytes.length < FIXED + 1 || bytes[0] !== TX_VERSION) return undefined;
  const chainLength = bytes[1];
  if (chainLength === 0 || chainLength > MAX_CHAIN_ID_BYTES || bytes.length < FIXED + chainLength) return undefined;
  const at = 2 + chainLength;
  return { publicKey: bytes.subarray(at, at + SENDER), message: signingBytes(bytes), signature: bytes.subarray(bytes.length - SIGNATURE) };
}

/**
 * Parses a signed transaction without verifying its signature. Throws
 * `MalformedTransactionError`, `TransactionTooLargeError` or `WrongChainError`; never anything
 * else for any bytes. The returned views share `bytes`.
 */
export function parseTransaction(bytes: Uint8Array, maxPayload: number, chainId?: string): Transaction {
  if (bytes.length < FIXED + 1) throw new MalformedTransactionError(`${bytes.length} bytes is shorter than any transaction`);
  if (bytes[0] !== TX_VERSION) throw new MalformedTransactionError(`unknown version ${bytes[0]}`);
  const chainLength = bytes[1];
  if (chainLength === 0 || chainLength > MAX_CHAIN_ID_BYTES) throw new MalformedTransactionError(`chain id length ${chainLength} is not 1 to ${MAX_CHAIN_ID_BYTES}`);
  if (bytes.length < FIXED + chainLength) throw new MalformedTransactionError('truncated');
  let at = 2 + chainLength;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const nonceAt = at + SENDER;
  const lo = view.getUint32(nonceAt, true);
  const hi = view.getUint32(nonceAt + 4, true);
  if (hi >= 2 ** 21) throw new MalformedTransactionError('nonce above 2^53 - 1');
  const nonce = hi * 2 ** 32 + lo;
  if (nonce === 0) throw new MalformedTransactionError('nonce 0 (the first nonce is 1)');
  const payloadLength = view.getUint32(nonceAt + 8, true);
  if (payloadLength > maxPayload) throw new TransactionTooLargeError(`payload of ${payloadLength} bytes is above the maximum of ${maxPayload}`);
  if (bytes.length !== FIXED + chainLength + payloadLength) {
    throw new MalformedTransactionError(`payload length ${payloadLength} does not match ${bytes.length} bytes`);
  }
  let chain: string;
  try {
    chain = decoder.decode(bytes.subarray(2, at));
  } catch {
    throw new MalformedTransactionError('chain id is not UTF-8');
  }
  if (chainId !== undefined && chain !== chainId) throw new WrongChainError(`chain ${JSON.stringify(chain)}, expected ${JSON.stringify(chainId)}`);
  const sender = bytes.subarray(at, at + SENDER);
  at = nonceAt + 12;
  return { chainId: chain, sender, nonce, payload: bytes.subarray(at, at + payloadLength), signature: bytes.subarray(at + payloadLength), bytes };
}

/** `decodeTransaction`'s options, checked. */
export function requireDecodeOptions(options: DecodeTransactionOptions | undefined, where: string): { chainId?: string; maxPayload: number; verify: boolean } {
  const o = requireOptions(options, where, 'options', ['chainId', 'maxPayload', 'verify']);
  if (o.chainId !== undefined) requireChainId(o.chainId, where, 'options.chainId');
  const verify = o.verify === undefined ? true : requireBoolean(o.verify, where, 'options.verify');
  return { chainId: o.chainId, maxPayload: requireMaxPayload(o.maxPayload, where, 'options.maxPayload'), verify };
}

/** A sender: a raw 32-byte Ed25519 public key. */
export function requireSender(value: unknown, where: string, argument: string): Uint8Array {
  return requireByteLength(value, where, argument, SENDER);
}
