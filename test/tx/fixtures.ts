// A second, independent encoder for the tests: it writes version 1 byte by byte from the layout
// in docs/tx.md and signs with @noble/curves, so a field can be given any value — including ones
// signTransaction refuses — and still carry a valid signature. Then a refusal is the field's,
// not the signature's.
import { ed25519 as noble } from '@noble/curves/ed25519.js';
import { expect } from 'vitest';
import { hexToBytes } from '../../src/bytes/index.js';
import { TransactionError } from '../../src/tx/index.js';

/** RFC 8032 §7.1 TEST 1: a key pair anyone can check. */
export const SECRET = hexToBytes('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
export const PUBLIC = hexToBytes('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

export function concat(...parts: ArrayLike<number>[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A u64 as 8 little-endian bytes (a bigint, so values past 2^53 can be written). */
function u64le(value: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, value, true);
  return out;
}

export function u32le(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value, true);
  return out;
}

export interface HandFields {
  version?: number;
  /** The chain id's bytes as written (any bytes, any length up to 255). */
  chain?: Uint8Array;
  /** Defaults to `chain.length`. */
  chainLength?: number;
  sender?: Uint8Array;
  nonce?: bigint;
  payload?: Uint8Array;
  /** Defaults to `payload.length`. */
  payloadLength?: number;
  secretKey?: Uint8Array;
}

/** The context, then everything between the version byte and the signature. */
function handSigningBytes(body: Uint8Array): Uint8Array {
  return concat(utf8('swarmguard/tx/v1\0'), body);
}

/** A transaction encoded by hand and signed over its domain-separated body with @noble/curves. */
export function encodeByHand(fields: HandFields = {}): Uint8Array {
  const chain = fields.chain ?? utf8('main');
  const payload = fields.payload ?? utf8('hello');
  const body = concat(
    [fields.chainLength ?? chain.length],
    chain,
    fields.sender ?? PUBLIC,
    u64le(fields.nonce ?? 7n),
    u32le(fields.payloadLength ?? payload.length),
    payload,
  );
  return concat([fields.version ?? 1], body, noble.sign(handSigningBytes(body), fields.secretKey ?? SECRET));
}

export const TX_CODES = ['ERR_TX_MALFORMED', 'ERR_TX_TOO_LARGE', 'ERR_TX_WRONG_CHAIN', 'ERR_TX_BAD_SIGNATURE'];

/** Runs `call`, expects a `TransactionError` of class `cls` with `code` (and text `says`), returns it. */
export function expectTxError(call: () => unknown, cls: abstract new (...args: never[]) => TransactionError, code: string, says?: string, label = code): TransactionError {
  let caught: unknown;
  try {
    call();
  } catch (err) {
    caught = err;
  }
  expect(caught, `${label}: ${String(caught)}`).toBeInstanceOf(cls);
  expect(caught, label).toBeInstanceOf(TransactionError);
  const err = caught as TransactionError;
  expect(err.code, label).toBe(code);
  expect(err.name, label).toBe(cls.name);
  expect(err.message.startsWith('transaction: '), `${label}: ${err.message}`).toBe(true);
  if (says !== undefined) expect(err.message, label).toContain(says);
  return err;
}
