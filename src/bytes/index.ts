// `check.` marks the checks of src/check/; the older helpers below stay until their last users move.
import * as check from '../check/index.js';

export type { Input } from '../check/index.js';

const encoder = new TextEncoder();

/** Returns `value` as bytes (strings as UTF-8); throws `TypeError` naming `argName` otherwise. */
export function toBytes(value: unknown, argName: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return encoder.encode(value);
  throw new TypeError(`${argName} must be a Uint8Array or a string, got ${describe(value)}`);
}

/** Like `toBytes` but strings are refused: for keys, signatures and other binary-only fields. */
export function requireBytes(value: unknown, argName: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  throw new TypeError(`${argName} must be a Uint8Array, got ${describe(value)}`);
}

/** Throws `TypeError` unless `value` is an array, naming `argName`. */
export function requireArray(value: unknown, argName: string): unknown[] {
  if (Array.isArray(value)) return value;
  throw new TypeError(`${argName} must be an array, got ${describe(value)}`);
}

/** Throws `TypeError`/`RangeError` unless `value` is a safe integer in [min, max]. */
export function requireInteger(value: unknown, argName: string, min: number, max: number = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${argName} must be an integer, got ${typeof value === 'number' ? value : describe(value)}`);
  }
  if (max < min) throw new RangeError(`${argName} ${value} is out of range: no ${argName} is valid here (empty range)`);
  if (value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new RangeError(`${argName} must be ${range}, got ${value}`);
  }
  return value;
}

export function bytesToHex(bytes: Uint8Array): string {
  check.requireBytes(bytes, 'bytesToHex', 'bytes');
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += bytes[i].toString(16).padStart(2, '0');
  return s;
}

export function hexToBytes(hex: string): Uint8Array {
  check.requireString(hex, 'hexToBytes', 'hex');
  if (hex.length % 2 !== 0) throw new check.ArgumentRangeError('hexToBytes', 'hex', `must have an even number of digits, got ${hex.length}`);
  const bad = hex.search(/[^0-9a-fA-F]/);
  if (bad >= 0) throw new check.ArgumentRangeError('hexToBytes', 'hex', `must hold only hex digits, got ${JSON.stringify(hex[bad])} at ${bad}`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Constant-time comparison of two byte arrays of equal length (length itself is not secret). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'an object';
  return typeof value;
}
