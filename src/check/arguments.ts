import { ArgumentRangeError, ArgumentTypeError } from './errors.js';

// Every check takes the value, the function that received it (`where`) and the argument's path
// (`argument`), so each message names both. Messages are built only when a check fails: the
// strings passed in are literals, so a passing check costs a few comparisons and no allocation.

/** Anything the hashing and signing APIs accept as a message: bytes, or a string taken as UTF-8. */
export type Input = Uint8Array | string;

const encoder = new TextEncoder();
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** A short, stable description of a refused value for the `got …` part of a message. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'number':
      return `a number (${value})`;
    case 'bigint':
      return `a bigint (${value}n)`;
    case 'string':
      return 'a string';
    case 'object':
      return (value as object).constructor?.name ?? 'an object';
    default:
      return typeof value;
  }
}

/** `describe`, but naming an object that only poses as a Uint8Array (a Proxy of one) as such. */
function describeNotBytes(value: unknown): string {
  return value instanceof Uint8Array ? 'an object posing as a Uint8Array (a Proxy?), not a typed array' : describe(value);
}

/**
 * A buffer whose memory was transferred away (postMessage, `ArrayBuffer.transfer`). Its views
 * read as empty, so hashing one would silently hash nothing; every byte check refuses it.
 */
export function isDetached(buffer: ArrayBufferLike): boolean {
  const flag = (buffer as { detached?: boolean }).detached;
  if (typeof flag === 'boolean') return flag;
  if (buffer.byteLength !== 0) return false;
  try {
    new Uint8Array(buffer);
    return false;
  } catch {
    return true;
  }
}

/**
 * A real `Uint8Array` (or subclass, such as Node's Buffer). `instanceof` alone also passes a
 * `Proxy` of one, whose element reads run the handler's code in the middle of a copy into WASM:
 * a handler that calls swarmguard there can grow (and so move) the linear memory being copied
 * into. `ArrayBuffer.isView` is false for a Proxy (it reads an internal slot, not properties)
 * and works in every runtime; together the two cost about one comparison on the hot paths.
 */
export function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array && ArrayBuffer.isView(value);
}

/** Bytes only (keys, signatures, proofs): a live `Uint8Array`. */
export function requireBytes(value: unknown, where: string, argument: string): Uint8Array {
  if (!isBytes(value)) throw new ArgumentTypeError(where, argument, `must be a Uint8Array, got ${describeNotBytes(value)}`);
  if (value.length === 0 && isDetached(value.buffer)) throw new ArgumentTypeError(where, argument, 'is a view of a detached ArrayBuffer');
  return value;
}

/** Bytes of exactly `length` bytes. */
export function requireByteLength(value: unknown, where: string, argument: string, length: number): Uint8Array {
  const bytes = requireBytes(value, where, argument);
  if (bytes.length !== length) throw new ArgumentRangeError(where, argument, `must be ${length} bytes, got ${bytes.length}`);
  return bytes;
}

/** A message: bytes as they are, a string as UTF-8. */
export function requireInput(value: unknown, where: string, argument: string): Uint8Array {
  if (isBytes(value)) return value.length === 0 ? requireBytes(value, where, argument) : value;
  if (typeof value === 'string') return encoder.encode(value);
  throw new ArgumentTypeError(where, argument, `must be a Uint8Array or a string, got ${describeNotBytes(value)}`);
}

/**
 * A list of messages as bytes: the array itself when every item already is a non-empty
 * `Uint8Array` (no copy), else a copy with strings encoded. A hole is refused by its index.
 */
export function requireInputs(value: unknown, where: string, argument: string): Uint8Array[] {
  const items = requireArray(value, where, argument);
  let list = items as Uint8Array[];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (isBytes(item) && item.length !== 0) continue;
    if (list === items) list = items.slice() as Uint8Array[];
    // Strings skip `requireInput` so that the item's path is built only for a refusal.
    list[i] = typeof item === 'string' ? encoder.encode(item) : requireInput(item, where, `${argument}[${i}]`);
  }
  return list;
}

/** A list of bytes only (proof hashes, subtree roots), not copied. A hole is refused by its index. */
export function requireBytesList(value: unknown, where: string, argument: string): Uint8Array[] {
  const items = requireArray(value, where, argument);
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!isBytes(item) || item.length === 0) requireBytes(item, where, `${argument}[${i}]`);
  }
  return items as Uint8Array[];
}

/** An array (items are checked by the caller, by index: a hole reads as `undefined`). */
export function requireArray(value: unknown, where: string, argument: string): unknown[] {
  if (!Array.isArray(value)) throw new ArgumentTypeError(where, argument, `must be an array, got ${describe(value)}`);
  return value;
}

/** A non-null object (not a function, not an array). */
export function requireObject<T extends object = Record<string, unknown>>(value: unknown, where: string, argument: string): T {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ArgumentTypeError(where, argument, `must be an object, got ${describe(value)}`);
  return value as T;
}

const NO_OPTIONS = Object.freeze({});

/** An optional options object: `undefined` reads as `{}`. */
export function requireOptions<T extends object>(value: T | undefined, where: string, argument = 'options', known?: readonly string[]): Partial<T> {
  if (value === undefined) return NO_OPTIONS as Partial<T>;
  const options = requireObject<T>(value, where, argument);
  // An unknown key is refused rather than ignored: `blake3(x, { dkLen: 64 })` must not quietly give 32 bytes.
  if (known !== undefined) for (const key in options) if (!known.includes(key)) throw unknownOption(key, where, argument, known);
  return options;
}

/**
 * The option names of `T` for `requireOptions`, from a record naming each of them: the compiler
 * refuses the record when a name is missing or not an option, so the list cannot drift from the type.
 */
export function optionKeys<T extends object>(keys: Record<keyof T & string, true>): readonly string[] {
  return Object.keys(keys);
}

/**
 * Option names other libraries use for ours, with what to know when the meaning differs: noble's
 * `dkLen` is our `length`, its ed25519 `zip215` our `strict` inverted; opossum's `resetTimeout`
 * and cockatiel's `halfOpenAfter` are a breaker's `openMs`.
 */
const ALIASES: Record<string, [ours: string, note?: string]> = {
  dkLen: ['length'],
  outputLength: ['length'],
  outLen: ['length'],
  zip215: ['strict', 'ZIP-215 is the default; strict: true is zip215: false'],
  resetTimeout: ['openMs'],
  halfOpenAfter: ['openMs'],
};

function unknownOption(key: string, where: string, argument: string, known: readonly string[]): ArgumentTypeError {
  const [alias, note] = Object.hasOwn(ALIASES, key) && known.includes(ALIASES[key][0]) ? ALIASES[key] : [];
  const guess = alias ?? known.find((k) => editDistance(k.toLowerCase(), key.toLowerCase()) <= 2);
  const hint = guess === undefined ? '' : `did you mean '${guess}'? ${note === undefined ? '' : `(${note}) `}`;
  const expected = known.length ? `one of ${known.map((k) => `'${k}'`).join(', ')}` : 'none';
  return new ArgumentTypeError(where, `${argument}.${key}`, `is not an option (${hint}expected ${expected})`);
}

/** Levenshtein distance of two short strings. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

/** A safe integer in [min, max]. A fractional, NaN or infinite number is a RangeError, a non-number a TypeError. */
export function requireInteger(value: unknown, where: string, argument: string, min: number, max = MAX_SAFE): number {
  if (typeof value !== 'number') throw new ArgumentTypeError(where, argument, `must be an integer, got ${describe(value)}`);
  if (Number.isInteger(value) && value >= min && value <= max) return value;
  // E.g. an index into an empty tree: say so rather than ask for a value in [0, -1].
  if (max < min) throw new ArgumentRangeError(where, argument, `has no valid value here (the range [${min}, ${max}] is empty), got ${value}`);
  const range = max === MAX_SAFE ? `a safe integer >= ${min}` : `an integer in [${min}, ${max}]`;
  throw new ArgumentRangeError(where, argument, `must be ${range}, got ${value}`);
}

/** Which ends of a number range are included. */
export type Bounds = '[]' | '(]' | '[)' | '()';

/** A finite number within [min, max] (ends included per `bounds`). */
export function requireNumber(value: unknown, where: string, argument: string, min = -Infinity, max = Infinity, bounds: Bounds = '[]'): number {
  if (typeof value !== 'number') throw new ArgumentTypeError(where, argument, `must be a number, got ${describe(value)}`);
  const aboveMin = bounds[0] === '[' ? value >= min : value > min;
  const belowMax = bounds[1] === ']' ? value <= max : value < max;
  if (Number.isFinite(value) && aboveMin && belowMax) return value;
  throw new ArgumentRangeError(where, argument, `must be a finite number${rangeText(min, max, bounds)}, got ${value}`);
}

function rangeText(min: number, max: number, bounds: Bounds): string {
  if (max === Infinity) return min === -Infinity ? '' : ` ${bounds[0] === '[' ? '>=' : '>'} ${min}`;
  if (min === -Infinity) return ` ${bounds[1] === ']' ? '<=' : '<'} ${max}`;
  return ` in ${bounds[0]}${min}, ${max}${bounds[1]}`;
}

export function requireString(value: unknown, where: string, argument: string): string {
  if (typeof value !== 'string') throw new ArgumentTypeError(where, argument, `must be a string, got ${describe(value)}`);
  return value;
}

export function requireBoolean(value: unknown, where: string, argument: string): boolean {
  if (typeof value !== 'boolean') throw new ArgumentTypeError(where, argument, `must be a boolean, got ${describe(value)}`);
  return value;
}

export function requireFunction<F extends (...args: never[]) => unknown>(value: unknown, where: string, argument: string): F {
  if (typeof value !== 'function') throw new ArgumentTypeError(where, argument, `must be a function, got ${describe(value)}`);
  return value as F;
}

/** One of a fixed set of names: a string outside it is a RangeError listing the set. */
export function requireOneOf<T extends string>(value: unknown, where: string, argument: string, allowed: readonly T[]): T {
  if (typeof value !== 'string') throw new ArgumentTypeError(where, argument, `must be one of ${list(allowed)}, got ${describe(value)}`);
  if (!(allowed as readonly string[]).includes(value)) throw new ArgumentRangeError(where, argument, `must be one of ${list(allowed)}, got '${value}'`);
  return value as T;
}

function list(names: readonly string[]): string {
  return names.map((n) => `'${n}'`).join(', ');
}

/** An optional AbortSignal (`undefined` and `null` read as none). */
export function requireSignal(value: unknown, where: string, argument = 'signal'): AbortSignal | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || typeof (value as AbortSignal).aborted !== 'boolean') {
    throw new ArgumentTypeError(where, argument, `must be an AbortSignal, got ${describe(value)}`);
  }
  return value as AbortSignal;
}
