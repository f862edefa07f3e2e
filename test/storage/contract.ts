import { expect, it } from 'vitest';
import { type KeyRange, type Storage, StorageClosedError } from '../../src/storage/index.js';
import { expectMessage, type Kind } from '../_support/refusals.js';

// What every `Storage` promises (src/storage/storage.ts), as one suite each implementation runs:
// atomic ordered writes where a later op on a key wins, key-ordered ranges, writes resolving in
// the order they were made and durable when they do, copies in and out, and the closed state.

const enc = new TextEncoder();
const dec = new TextDecoder();
const put = (key: string, value: string) => ({ type: 'put' as const, key, value: enc.encode(value) });
const text = (value: Uint8Array | undefined) => (value === undefined ? undefined : dec.decode(value));

export async function collect(storage: Storage, range?: KeyRange): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for await (const [key, value] of storage.entries(range)) out.push([key, dec.decode(value)]);
  return out;
}

/**
 * Registers the contract's tests for the implementation `open` makes (a fresh, empty store each
 * call; the suite closes it). `name` is the class, as its error messages name it.
 */
export function storageContract(name: string, open: () => Promise<Storage>): void {
  const withStore = (run: (s: Storage) => Promise<void>) => async () => {
    const s = await open();
    try {
      await run(s);
    } finally {
      await s.close();
    }
  };

  it(
    'applies a write atomically and in order: a later op on the same key wins',
    withStore(async (s) => {
      await s.write([put('b', '1'), put('a', '2'), put('c', '3'), { type: 'del', key: 'b' }, put('a', '4'), { type: 'del', key: 'missing' }]);
      expect(text(await s.get('a'))).toBe('4');
      expect(await s.get('b')).toBeUndefined();
      expect(await collect(s)).toEqual([
        ['a', '4'],
        ['c', '3'],
      ]);
      await s.write([{ type: 'del', key: 'c' }, put('c', '5'), put('b', '6'), { type: 'del', key: 'b' }]);
      expect(await collect(s)).toEqual([
        ['a', '4'],
        ['c', '5'],
      ]);
    }),
  );

  it(
    'reads entries in key order within a range, either end open, across many keys',
    withStore(async (s) => {
      const keys = Array.from({ length: 700 }, (_, i) => `entry/${String(i).padStart(4, '0')}`);
      await s.write([...keys.map((k, i) => put(k, String(i))), put('entry0', 'after'), put('block/x', 'before')]);
      expect((await collect(s)).map(([k]) => k)).toEqual(['block/x', ...keys, 'entry0']);
      expect((await collect(s, { gte: 'entry/', lt: 'entry0' })).map(([k]) => k)).toEqual(keys);
      expect(await collect(s, { gte: 'entry/0698' })).toEqual([
        ['entry/0698', '698'],
        ['entry/0699', '699'],
        ['entry0', 'after'],
      ]);
      expect(await collect(s, { lt: 'entry/0001' })).toEqual([
        ['block/x', 'before'],
        ['entry/0000', '0'],
      ]);
      expect(await collect(s, { gte: 'z' })).toEqual([]);
      expect(await collect(s, { gte: 'b', lt: 'b' })).toEqual([]);
      let seen = 0;
      for await (const _ of s.entries({ gte: 'entry/' })) if (++seen === 3) break;
      expect(seen).toBe(3);
      expect(text(await s.get('entry/0500'))).toBe('500');
    }),
  );

  it(
    'resolves writes made together in the order they were made, each durable when it resolves',
    withStore(async (s) => {
      const resolved: number[] = [];
      const seenAtResolve: number[] = [];
      const reads: Promise<void>[] = [];
      const writes = Array.from({ length: 40 }, (_, i) =>
        s.write([put('latest', String(i)), put(`w/${String(i).padStart(2, '0')}`, 'x')]).then(() => {
          resolved.push(i);
          reads.push(s.get('latest').then((v) => void seenAtResolve.push(Number(text(v)) - i)));
        }),
      );
      await Promise.all(writes);
      await Promise.all(reads);
      expect(resolved).toEqual(Array.from({ length: 40 }, (_, i) => i));
      expect(seenAtResolve.every((ahead) => ahead >= 0)).toBe(true);
      expect(text(await s.get('latest'))).toBe('39');
      expect((await collect(s, { gte: 'w/', lt: 'w0' })).length).toBe(40);
    }),
  );

  it(
    'stores copies: the caller may reuse its buffers once write returns, and reads cannot change the store',
    withStore(async (s) => {
      const value = enc.encode('abc');
      const written = s.write([{ type: 'put', key: 'k', value }]);
      value[0] = 0;
      await written;
      const read = (await s.get('k')) as Uint8Array;
      expect(Object.getPrototypeOf(read)).toBe(Uint8Array.prototype);
      read[1] = 0;
      for await (const [, v] of s.entries()) v[2] = 0;
      expect(text(await s.get('k'))).toBe('abc');
    }),
  );

  it(
    'accepts an empty value, a write of no ops and a 1 MiB value',
    withStore(async (s) => {
      const big = new Uint8Array(1 << 20).map((_, i) => i * 7);
      await s.write([]);
      await s.write([{ type: 'put', key: 'e', value: new Uint8Array(0) }, { type: 'put', key: 'big', value: big }]);
      expect((await s.get('e'))?.length).toBe(0);
      const read = (await s.get('big')) as Uint8Array;
      expect(read.length === big.length && read.every((byte, i) => byte === big[i])).toBe(true);
    }),
  );

  it('lets writes made before close become durable, then refuses every call with StorageClosedError', async () => {
    const s = await open();
    const before = s.write([put('k', 'v')]);
    await s.close();
    await expect(before).resolves.toBeUndefined();
    await s.close();
    for (const call of [() => s.write([]), () => s.get('k'), () => collect(s)]) {
      const err = await call().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(StorageClosedError);
      expect((err as StorageClosedError).code).toBe('ERR_STORAGE_CLOSED');
      expect((err as Error).message).toMatch(new RegExp(`^${name}\\.(write|get|entries): the storage is closed$`));
    }
  });

  it(
    'refuses bad arguments naming the function and the argument',
    withStore(async (s) => {
      const T = 'type';
      const R = 'range';
      const cases: [() => unknown, Kind, string][] = [
        [() => s.write(null as never), T, `${name}.write: ops must be an array, got null`],
        [() => s.write([put('k', 'v'), 3 as never]), T, `${name}.write: ops[1] must be an object, got a number (3)`],
        [() => s.write([{ type: 'set', key: 'k' } as never]), R, `${name}.write: ops[0].type must be one of 'put', 'del', got 'set'`],
        [() => s.write([{ type: 'del', key: 7 } as never]), T, `${name}.write: ops[0].key must be a string, got a number (7)`],
        [() => s.write([{ type: 'put', key: 'k', value: [1] } as never]), T, `${name}.write: ops[0].value must be a Uint8Array, got an array`],
      ];
      for (const [call, kind, message] of cases) expectMessage(call, kind, message);
      const rejected: [() => Promise<unknown>, string][] = [
        [() => s.get(1 as never), `${name}.get: key must be a string, got a number (1)`],
        [() => collect(s, { gte: 1 } as never), `${name}.entries: range.gte must be a string, got a number (1)`],
        [() => collect(s, { lt: null } as never), `${name}.entries: range.lt must be a string, got null`],
        [() => collect(s, 'a' as never), `${name}.entries: range must be an object, got a string`],
      ];
      for (const [call, message] of rejected) {
        const err = await call().then(
          () => null,
          (e: unknown) => e,
        );
        expectMessage(() => {
          throw err;
        }, 'type', message);
      }
    }),
  );
}
