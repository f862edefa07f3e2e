const encoder = new TextEncoder();

/** Anything the hashing and signing APIs accept as a message: bytes, or a string taken as UTF-8. */
export type Input = Uint8Array | string;

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
  requireBytes(bytes, 'bytes');
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += bytes[i].toString(16).padStart(2, '0');
  return s;
}

export function hexToBytes(hex: string): Uint8Array {
  if (typeof hex !== 'string' || hex.length % 2 !== 0 || /[^0-9a-fA-F]/.test(hex)) {
    throw new TypeError('hex must be a string of an even number of hex digits');
  }
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
