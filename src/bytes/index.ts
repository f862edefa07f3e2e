import * as check from '../check/index.js';

export type { Input } from '../check/index.js';

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

/** `a` followed by `b`, in a new array (a signing domain and its message, two key halves). */
export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
