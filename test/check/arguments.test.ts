import { describe, expect, it } from 'vitest';
import {
  ArgumentRangeError,
  ArgumentTypeError,
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

function detached(): Uint8Array {
  const view = new Uint8Array(8);
  structuredClone(view.buffer, { transfer: [view.buffer] });
  return view;
}

function refuses(fn: () => unknown, kind: typeof ArgumentTypeError | typeof ArgumentRangeError, message: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(kind);
  expect(caught).toBeInstanceOf(kind === ArgumentTypeError ? TypeError : RangeError);
  expect((caught as ArgumentTypeError).code).toBe(kind === ArgumentTypeError ? 'ERR_INVALID_ARG_TYPE' : 'ERR_OUT_OF_RANGE');
  expect((caught as Error).message).toBe(message);
}

describe('argument checks', () => {
  it('name the function and the argument, with the TypeError/RangeError split and stable codes', () => {
    refuses(() => requireBytes('ab', 'ed25519.sign', 'secretKey'), ArgumentTypeError, 'ed25519.sign: secretKey must be a Uint8Array, got a string');
    refuses(() => requireByteLength(new Uint8Array(31), 'blake3', 'options.key', 32), ArgumentRangeError, 'blake3: options.key must be 32 bytes, got 31');
    refuses(() => requireInteger(1.5, 'f', 'n', 0, 10), ArgumentRangeError, 'f: n must be an integer in [0, 10], got 1.5');
    refuses(() => requireInteger(Number.NaN, 'f', 'n', 0), ArgumentRangeError, 'f: n must be a safe integer >= 0, got NaN');
    refuses(() => requireInteger(2 ** 53, 'blake3', 'options.length', 0), ArgumentRangeError, 'blake3: options.length must be a safe integer >= 0, got 9007199254740992');
    refuses(() => requireInteger('3', 'f', 'n', 0), ArgumentTypeError, 'f: n must be an integer, got a string');
    refuses(() => requireInteger(0, 'MerkleTree.leafHash', 'index', 0, -1), ArgumentRangeError, 'MerkleTree.leafHash: index has no valid value here (the range [0, -1] is empty), got 0');
    refuses(() => requireNumber(0, 'f', 'rate', 0, 1, '(]'), ArgumentRangeError, 'f: rate must be a finite number in (0, 1], got 0');
    refuses(() => requireNumber(Infinity, 'f', 'ms', 0), ArgumentRangeError, 'f: ms must be a finite number >= 0, got Infinity');
    refuses(() => requireNumber(NaN, 'f', 'x'), ArgumentRangeError, 'f: x must be a finite number, got NaN');
    refuses(() => requireNumber(null, 'f', 'ms'), ArgumentTypeError, 'f: ms must be a number, got null');
    refuses(() => requireObject([] as unknown, 'f', 'items[0]'), ArgumentTypeError, 'f: items[0] must be an object, got an array');
    refuses(() => requireOptions(5 as never, 'createPool'), ArgumentTypeError, 'createPool: options must be an object, got a number (5)');
    refuses(() => requireArray(new Set(), 'f', 'items'), ArgumentTypeError, 'f: items must be an array, got Set');
    refuses(() => requireOneOf('fast', 'f', 'mode', ['a', 'b']), ArgumentRangeError, "f: mode must be one of 'a', 'b', got 'fast'");
    refuses(() => requireOneOf(1, 'f', 'mode', ['a']), ArgumentTypeError, "f: mode must be one of 'a', got a number (1)");
    refuses(() => requireSignal({}, 'f'), ArgumentTypeError, 'f: signal must be an AbortSignal, got Object');
  });

  it('refuse holes in a list by index and detached buffers everywhere', () => {
    refuses(() => requireInputs(new Array(3), 'blake3Many', 'messages'), ArgumentTypeError, 'blake3Many: messages[0] must be a Uint8Array or a string, got undefined');
    refuses(() => requireBytes(detached(), 'f', 'key'), ArgumentTypeError, 'f: key is a view of a detached ArrayBuffer');
    refuses(() => requireInput(detached(), 'blake3', 'input'), ArgumentTypeError, 'blake3: input is a view of a detached ArrayBuffer');
    refuses(() => requireInputs([new Uint8Array(1), detached()], 'f', 'messages'), ArgumentTypeError, 'f: messages[1] is a view of a detached ArrayBuffer');
    refuses(() => requireBytesList([new Uint8Array(1), 'ab'], 'verifyInclusion', 'path'), ArgumentTypeError, 'verifyInclusion: path[1] must be a Uint8Array, got a string');
    refuses(() => requireBytesList(new Array(2), 'f', 'roots'), ArgumentTypeError, 'f: roots[0] must be a Uint8Array, got undefined');
    refuses(() => requireBytesList([detached()], 'f', 'roots'), ArgumentTypeError, 'f: roots[0] is a view of a detached ArrayBuffer');
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
