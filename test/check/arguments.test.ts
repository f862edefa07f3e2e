import { describe, expect, it } from 'vitest';
import {
  isDetached,
  requireArray,
  requireByteLength,
  requireBytes,
  requireBytesList,
  requireInput,
  requireInputs,
  requireInteger,
  requireNumber,
  requireObject,
  requireOneOf,
  requireOptions,
  requireSignal,
} from '../../src/check/index.js';
import { detached, expectMessage } from '../_support/refusals.js';

describe('argument checks', () => {
  it('name the function and the argument, with the TypeError/RangeError split and stable codes', () => {
    expectMessage(() => requireBytes('ab', 'ed25519.sign', 'secretKey'), 'type', 'ed25519.sign: secretKey must be a Uint8Array, got a string');
    expectMessage(() => requireByteLength(new Uint8Array(31), 'blake3', 'options.key', 32), 'range', 'blake3: options.key must be 32 bytes, got 31');
    expectMessage(() => requireInteger(1.5, 'f', 'n', 0, 10), 'range', 'f: n must be an integer in [0, 10], got 1.5');
    expectMessage(() => requireInteger(Number.NaN, 'f', 'n', 0), 'range', 'f: n must be a safe integer >= 0, got NaN');
    expectMessage(() => requireInteger(2 ** 53, 'blake3', 'options.length', 0), 'range', 'blake3: options.length must be a safe integer >= 0, got 9007199254740992');
    expectMessage(() => requireInteger('3', 'f', 'n', 0), 'type', 'f: n must be an integer, got a string');
    expectMessage(() => requireInteger(0, 'MerkleTree.leafHash', 'index', 0, -1), 'range', 'MerkleTree.leafHash: index has no valid value here (the range [0, -1] is empty), got 0');
    expectMessage(() => requireNumber(0, 'f', 'rate', 0, 1, '(]'), 'range', 'f: rate must be a finite number in (0, 1], got 0');
    expectMessage(() => requireNumber(Infinity, 'f', 'ms', 0), 'range', 'f: ms must be a finite number >= 0, got Infinity');
    expectMessage(() => requireNumber(NaN, 'f', 'x'), 'range', 'f: x must be a finite number, got NaN');
    expectMessage(() => requireNumber(null, 'f', 'ms'), 'type', 'f: ms must be a number, got null');
    expectMessage(() => requireObject([] as unknown, 'f', 'items[0]'), 'type', 'f: items[0] must be an object, got an array');
    expectMessage(() => requireOptions(5 as never, 'createPool'), 'type', 'createPool: options must be an object, got a number (5)');
    expectMessage(() => requireArray(new Set(), 'f', 'items'), 'type', 'f: items must be an array, got Set');
    expectMessage(() => requireOneOf('fast', 'f', 'mode', ['a', 'b']), 'range', "f: mode must be one of 'a', 'b', got 'fast'");
    expectMessage(() => requireOneOf(1, 'f', 'mode', ['a']), 'type', "f: mode must be one of 'a', got a number (1)");
    expectMessage(() => requireSignal({}, 'f'), 'type', 'f: signal must be an AbortSignal, got Object');
  });

  it('refuse holes in a list by index and detached buffers everywhere', () => {
    expectMessage(() => requireInputs(new Array(3), 'blake3Many', 'messages'), 'type', 'blake3Many: messages[0] must be a Uint8Array or a string, got undefined');
    expectMessage(() => requireBytes(detached(), 'f', 'key'), 'type', 'f: key is a view of a detached ArrayBuffer');
    expectMessage(() => requireInput(detached(), 'blake3', 'input'), 'type', 'blake3: input is a view of a detached ArrayBuffer');
    expectMessage(() => requireInputs([new Uint8Array(1), detached()], 'f', 'messages'), 'type', 'f: messages[1] is a view of a detached ArrayBuffer');
    expectMessage(() => requireBytesList([new Uint8Array(1), 'ab'], 'verifyInclusion', 'path'), 'type', 'verifyInclusion: path[1] must be a Uint8Array, got a string');
    expectMessage(() => requireBytesList(new Array(2), 'f', 'roots'), 'type', 'f: roots[0] must be a Uint8Array, got undefined');
    expectMessage(() => requireBytesList([detached()], 'f', 'roots'), 'type', 'f: roots[0] is a view of a detached ArrayBuffer');
    expect(isDetached(new ArrayBuffer(0))).toBe(false);
    expect(isDetached(detached().buffer)).toBe(true);
  });

  it('pass good values through, copying a list only when an item needs encoding', () => {
    const bytes = [new Uint8Array([1]), new Uint8Array([2])];
    expect(requireInputs(bytes, 'f', 'm')).toBe(bytes);
    const mixed = requireInputs([bytes[0], 'a'], 'f', 'm');
    expect(mixed[1]).toEqual(new Uint8Array([97]));
    expect(requireBytesList(bytes, 'f', 'm')).toBe(bytes);
    expect(requireBytesList([new Uint8Array(0)], 'f', 'm')).toHaveLength(1);
    expect(requireInput(new Uint8Array(0), 'f', 'm')).toEqual(new Uint8Array(0));
    expect(requireOptions(undefined, 'f')).toEqual({});
    expect(requireInteger(2 ** 53 - 1, 'f', 'n', 0)).toBe(2 ** 53 - 1);
    expect(requireNumber(1, 'f', 'rate', 0, 1, '(]')).toBe(1);
  });
});
