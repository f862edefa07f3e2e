import { expect } from 'vitest';
import { CorruptStateError, decodeDurable } from '../../src/consensus/index.js';

/** Decodes `records`, expects a `CorruptStateError` whose message starts with the key it names, and returns it. */
export function corruptionOf(records: Iterable<readonly [string, Uint8Array]>): CorruptStateError {
  try {
    decodeDurable(records);
  } catch (err) {
    expect(err).toBeInstanceOf(CorruptStateError);
    const e = err as CorruptStateError;
    expect(e.code).toBe('ERR_CORRUPT_STATE');
    expect(e.message.startsWith(`${e.key}: `)).toBe(true);
    return e;
  }
  throw new Error('expected CorruptStateError');
}
