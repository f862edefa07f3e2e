import { describe, expect, it } from 'vitest';
import { equalBytes, requireArray, requireBytes, requireInteger, toBytes } from '../../src/bytes/index.js';
import { bytesToHex, hexToBytes } from '../../src/index.js';
import { detached, expectRefusal } from '../refusals.js';
import { Rng, testSeed } from '../seed.js';

describe('argument helpers', () => {
  it('toBytes takes bytes as they are and strings as UTF-8', () => {
    const b = new Uint8Array([1, 2]);
    expect(toBytes(b, 'input')).toBe(b);
    expect(toBytes('é', 'input')).toEqual(new Uint8Array([0xc3, 0xa9]));
  });

  it('TypeErrors name the argument and what was given', () => {
    expect(() => toBytes(5, 'input')).toThrow(new TypeError('input must be a Uint8Array or a string, got number'));
    expect(() => requireBytes('ab', 'key')).toThrow(new TypeError('key must be a Uint8Array, got string'));
    expect(() => requireBytes([1], 'key')).toThrow(/key must be a Uint8Array, got an array/);
    expect(() => requireArray(new Uint8Array(1), 'messages')).toThrow(/messages must be an array, got Uint8Array/);
    expect(() => requireInteger(1.5, 'length', 0)).toThrow(new TypeError('length must be an integer, got 1.5'));
    expect(() => requireInteger('2', 'length', 0)).toThrow(new TypeError('length must be an integer, got string'));
    expect(() => requireInteger(-1, 'length', 0)).toThrow(new RangeError('length must be >= 0, got -1'));
    expect(() => requireInteger(300, 'options.prefix', 0, 255)).toThrow(new RangeError('options.prefix must be in [0, 255], got 300'));
    expect(requireInteger(7, 'length', 0, 7)).toBe(7);
    // An empty tree has no valid index: the message must not read "in [0, -1]".
    expect(() => requireInteger(0, 'index', 0, -1)).toThrow(new RangeError('index 0 is out of range: no index is valid here (empty range)'));
  });
});

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
