import { describe, expect, it } from 'vitest';
import { equalBytes } from '../../src/bytes/index.js';
import { bytesToHex, hexToBytes } from '../../src/index.js';
import { detached, expectRefusal } from '../_support/refusals.js';
import { Rng, testSeed } from '../_support/seed.js';

describe('hex', () => {
  it('round-trips random bytes, upper and lower case', () => {
    const rng = new Rng(testSeed('hex round trip'));
    for (let i = 0; i < 50; i++) {
      const bytes = rng.bytes(rng.int(40));
      const hex = bytesToHex(bytes);
      expect(hex).toBe(Buffer.from(bytes).toString('hex'));
      expect(hexToBytes(hex)).toEqual(bytes);
      expect(hexToBytes(hex.toUpperCase())).toEqual(bytes);
    }
  });

  it('refuses wrong types (TypeError), odd lengths and non-hex digits (RangeError), naming the function and the argument', () => {
    expectRefusal(() => hexToBytes('abc'), 'range', 'hexToBytes', 'hex', 'must have an even number of digits, got 3');
    expectRefusal(() => hexToBytes('0z'), 'range', 'hexToBytes', 'hex', 'must hold only hex digits, got "z" at 1');
    expectRefusal(() => hexToBytes(12 as never), 'type', 'hexToBytes', 'hex', 'must be a string, got a number (12)');
    expectRefusal(() => bytesToHex('00' as never), 'type', 'bytesToHex', 'bytes', 'must be a Uint8Array, got a string');
    expectRefusal(() => bytesToHex(detached()), 'type', 'bytesToHex', 'bytes', 'detached');
    expect(bytesToHex(new Uint8Array(0))).toBe('');
    expect(hexToBytes('')).toEqual(new Uint8Array(0));
  });
});

describe('equalBytes', () => {
  it('compares contents and lengths', () => {
    expect(equalBytes(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true);
    expect(equalBytes(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false);
    expect(equalBytes(new Uint8Array([1]), new Uint8Array([1, 0]))).toBe(false);
  });
});
