import { ArgumentRangeError, ArgumentTypeError, describe } from '../check/index.js';

/** Amounts are unsigned 64-bit integers on the wire; sums over many of them are bigints. */
const U64_MAX = 2n ** 64n - 1n;

/** An amount from 0 (or `min`) to 2^64 − 1, given as a bigint or a safe integer. */
export function requireAmount(value: unknown, where: string, argument: string, min = 0n): bigint {
  let v: bigint;
  if (typeof value === 'bigint') v = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) v = BigInt(value);
  else if (typeof value === 'number') throw new ArgumentRangeError(where, argument, `must be an integer, got ${value}`);
  else throw new ArgumentTypeError(where, argument, `must be a bigint or an integer, got ${describe(value)}`);
  if (v < min || v > U64_MAX) throw new ArgumentRangeError(where, argument, `must be from ${min} to 2^64 − 1, got ${v}`);
  return v;
}
