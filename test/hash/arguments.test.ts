import { describe, expect, it } from 'vitest';
import { blake3, blake3Many, createBackend, sha256, sha256Many } from '../../src/index.js';
import { detached, expectRefusal, expectRefusals, holes, type Refusal } from '../_support/refusals.js';

const bytes = new Uint8Array(8);
const KEY = new Uint8Array(32);

for (const name of ['scalar', 'simd'] as const) {
  describe(`hash argument errors (${name})`, () => {
    const api = createBackend(name);

    it('blake3 and its hasher name the function and the argument', () => {
      const hasher = api.blake3.create();
      const rows: Refusal[] = [
        ['number input', () => api.blake3(123 as never), 'type', 'blake3', 'input', 'must be a Uint8Array or a string, got a number (123)'],
        ['null input', () => api.blake3(null as never), 'type', 'blake3', 'input', 'got null'],
        ['array input', () => api.blake3([1, 2] as never), 'type', 'blake3', 'input', 'got an array'],
        ['detached input', () => api.blake3(detached()), 'type', 'blake3', 'input', 'detached'],
        ['options 5', () => api.blake3('x', 5 as never), 'type', 'blake3', 'options'],
        ['options null', () => api.blake3('x', null as never), 'type', 'blake3', 'options'],
        ['string key', () => api.blake3('x', { key: 'k'.repeat(32) as never }), 'type', 'blake3', 'options.key'],
        ['31-byte key', () => api.blake3('x', { key: new Uint8Array(31) }), 'range', 'blake3', 'options.key', 'must be 32 bytes, got 31'],
        ['33-byte key', () => api.blake3('x', { key: new Uint8Array(33) }), 'range', 'blake3', 'options.key', 'got 33'],
        ['detached key', () => api.blake3('x', { key: detached() }), 'type', 'blake3', 'options.key', 'detached'],
        ['key and context', () => api.blake3('x', { key: KEY, context: 'c' }), 'type', 'blake3', 'options', 'both key and context'],
        ['number context', () => api.blake3('x', { context: 5 as never }), 'type', 'blake3', 'options.context'],
        ['negative length', () => api.blake3('x', { length: -1 }), 'range', 'blake3', 'options.length'],
        ['fractional length', () => api.blake3('x', { length: 1.5 }), 'range', 'blake3', 'options.length', 'got 1.5'],
        ['NaN length', () => api.blake3('x', { length: Number.NaN }), 'range', 'blake3', 'options.length'],
        ['string length', () => api.blake3('x', { length: '32' as never }), 'type', 'blake3', 'options.length'],
        ['length 2^32', () => api.blake3('x', { length: 2 ** 32 }), 'range', 'blake3', 'options.length', 'in [0, 4294967295], got 4294967296'],
        ['length 2^53', () => api.blake3('x', { length: 2 ** 53 }), 'range', 'blake3', 'options.length', 'got 9007199254740992'],
        ['create: 1-byte key', () => api.blake3.create({ key: new Uint8Array(1) }), 'range', 'blake3.create', 'options.key'],
        ['create: options 5', () => api.blake3.create(5 as never), 'type', 'blake3.create', 'options'],
        ['update: object', () => hasher.update({} as never), 'type', 'blake3.create().update', 'input'],
        ['update: detached', () => hasher.update(detached()), 'type', 'blake3.create().update', 'input'],
        ['digest: -2', () => hasher.digest(-2), 'range', 'blake3.create().digest', 'length'],
        ['digest: 1.5', () => hasher.digest(1.5), 'range', 'blake3.create().digest', 'length'],
        ['digest: 2^32', () => hasher.digest(2 ** 32), 'range', 'blake3.create().digest', 'length', '4294967295'],
        ['digest: string', () => hasher.digest('8' as never), 'type', 'blake3.create().digest', 'length'],
      ];
      expectRefusals(rows);
    });

    it('blake3Many, blake3Pairs, sha256Many and sha256Pairs refuse lists, holes and detached items by index', () => {
      const rows: Refusal[] = [];
      for (const fn of ['blake3Many', 'sha256Many'] as const) {
        const many = api[fn] as (messages: unknown) => unknown;
        rows.push(
          [`${fn} string`, () => many('abc'), 'type', fn, 'messages', 'must be an array, got a string'],
          [`${fn} Set`, () => many(new Set()), 'type', fn, 'messages', 'got Set'],
          [`${fn} bad item`, () => many([bytes, 5]), 'type', fn, 'messages[1]', 'got a number (5)'],
          [`${fn} holes`, () => many(holes(3)), 'type', fn, 'messages[0]', 'got undefined'],
          [`${fn} hole after items`, () => many([bytes, 'x', , bytes]), 'type', fn, 'messages[2]'],
          [`${fn} detached item`, () => many([bytes, detached()]), 'type', fn, 'messages[1]', 'detached'],
        );
      }
      rows.push(
        ['blake3Many short key', () => api.blake3Many([], { key: new Uint8Array(3) }), 'range', 'blake3Many', 'options.key', 'got 3'],
        ['blake3Many length 2^32', () => api.blake3Many([bytes], { length: 2 ** 32 }), 'range', 'blake3Many', 'options.length'],
        ['blake3Many options 5', () => api.blake3Many([bytes], 5 as never), 'type', 'blake3Many', 'options'],
      );
      for (const fn of ['blake3Pairs', 'sha256Pairs'] as const) {
        const pairs = api[fn];
        rows.push(
          [`${fn} string`, () => pairs('x'.repeat(64) as never), 'type', fn, 'pairs'],
          [`${fn} 65 bytes`, () => pairs(new Uint8Array(65)), 'range', fn, 'pairs', 'must be a multiple of 64 bytes long, got 65'],
          [`${fn} detached`, () => pairs(detached(64)), 'type', fn, 'pairs', 'detached'],
          [`${fn} options 3`, () => pairs(new Uint8Array(64), 3 as never), 'type', fn, 'options'],
          [`${fn} prefix 256`, () => pairs(new Uint8Array(64), { prefix: 256 }), 'range', fn, 'options.prefix', 'in [0, 255], got 256'],
          [`${fn} prefix 1.5`, () => pairs(new Uint8Array(64), { prefix: 1.5 }), 'range', fn, 'options.prefix'],
          [`${fn} prefix '1'`, () => pairs(new Uint8Array(64), { prefix: '1' as never }), 'type', fn, 'options.prefix'],
        );
      }
      expectRefusals(rows);
    });

    it('sha256, sha512 and their hashers name the algorithm', () => {
      const rows: Refusal[] = [];
      for (const alg of ['sha256', 'sha512'] as const) {
        for (const bad of [5, null, undefined, {}, [1]]) {
          rows.push([`${alg} ${String(bad)}`, () => api[alg](bad as never), 'type', alg, 'input']);
          rows.push([`${alg} update ${String(bad)}`, () => api[alg].create().update(bad as never), 'type', `${alg}.create().update`, 'input']);
        }
        rows.push([`${alg} detached`, () => api[alg](detached()), 'type', alg, 'input', 'detached']);
        rows.push([`${alg} update detached`, () => api[alg].create().update(detached()), 'type', `${alg}.create().update`, 'input', 'detached']);
      }
      expectRefusals(rows);
    });
  });
}

describe('hash argument errors on the default backend', () => {
  it('are the same as on a bound backend', () => {
    expectRefusal(() => blake3('x', { length: 1.5 }), 'range', 'blake3', 'options.length');
    expectRefusal(() => blake3Many(holes(2)), 'type', 'blake3Many', 'messages[0]');
    expectRefusal(() => sha256(detached()), 'type', 'sha256', 'input');
    expectRefusal(() => sha256Many([new Uint8Array(1), 7 as never]), 'type', 'sha256Many', 'messages[1]');
  });

  it('empty but live inputs are hashed, not refused', () => {
    expect(sha256(new Uint8Array(0))).toHaveLength(32);
    expect(blake3Many([new Uint8Array(0), '']).map((d) => d.length)).toEqual([32, 32]);
    expect(createBackend('scalar').sha256Pairs(new Uint8Array(0))).toHaveLength(0);
  });
});
