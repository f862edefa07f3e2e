import { describe, expect, it } from 'vitest';
import { MemoryStorage, StorageClosedError } from '../../src/storage/index.js';
import { expectMessage, type Kind } from '../_support/refusals.js';
import { storageContract } from './contract.js';

const enc = new TextEncoder();
const dec = new TextDecoder();
const text = (value: Uint8Array | undefined) => (value === undefined ? undefined : dec.decode(value));

async function collect(storage: MemoryStorage, range?: { gte?: string; lt?: string }): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for await (const [key, value] of storage.entries(range)) out.push([key, dec.decode(value)]);
  return out;
}

describe('MemoryStorage', () => {
  describe('the Storage contract', () => storageContract('MemoryStorage', async () => new MemoryStorage()));

  it('applies a write atomically and in order, and reads entries in key order within a range', async () => {
    const s = new MemoryStorage();
    await s.write([
      { type: 'put', key: 'b', value: enc.encode('1') },
      { type: 'put', key: 'a', value: enc.encode('2') },
      { type: 'put', key: 'c', value: enc.encode('3') },
      { type: 'del', key: 'b' },
      { type: 'put', key: 'a', value: enc.encode('4') },
    ]);
    expect(text(await s.get('a'))).toBe('4');
    expect(await s.get('b')).toBeUndefined();
    expect(await collect(s)).toEqual([
      ['a', '4'],
      ['c', '3'],
    ]);
    await s.write([{ type: 'put', key: 'entry/0002', value: enc.encode('x') }, { type: 'put', key: 'entry/0010', value: enc.encode('y') }]);
    expect(await collect(s, { gte: 'entry/', lt: 'entry0' })).toEqual([
      ['entry/0002', 'x'],
      ['entry/0010', 'y'],
    ]);
    expect(s.records({ lt: 'b' }).map(([k]) => k)).toEqual(['a']);
  });

  it('stores copies: the caller may reuse its buffers, and what it reads cannot change the store', async () => {
    const s = new MemoryStorage();
    const value = enc.encode('abc');
    await s.write([{ type: 'put', key: 'k', value }]);
    value[0] = 0;
    const read = (await s.get('k')) as Uint8Array;
    read[1] = 0;
    expect(text(s.peek('k'))).toBe('abc');
  });

  it("with durability 'manual' makes writes durable only on flush, oldest first, and a crash loses the rest", async () => {
    const s = new MemoryStorage({ durability: 'manual' });
    const settled: string[] = [];
    void s.write([{ type: 'put', key: 'k', value: enc.encode('1') }]).then(() => settled.push('first'));
    void s.write([{ type: 'put', key: 'k', value: enc.encode('2') }]).then(() => settled.push('second'));
    void s.write([{ type: 'del', key: 'k' }]).then(() => settled.push('third'));
    expect(s.pendingWrites).toBe(3);
    expect(s.peek('k')).toBeUndefined();
    s.flush(1);
    expect(text(s.peek('k'))).toBe('1');
    s.flush(1);
    expect(text(s.peek('k'))).toBe('2');
    await Promise.resolve();
    expect(settled).toEqual(['first', 'second']);
    expect(s.crash()).toBe(1);
    expect(s.pendingWrites).toBe(0);
    expect(text(s.peek('k'))).toBe('2');
    await Promise.resolve();
    expect(settled).toEqual(['first', 'second']);
  });

  it('flipBit corrupts the stored record without changing bytes read before', () => {
    const s = new MemoryStorage();
    void s.write([{ type: 'put', key: 'k', value: new Uint8Array([0, 0]) }]);
    const before = s.peek('k') as Uint8Array;
    s.flipBit('k', 9);
    expect([...(s.peek('k') as Uint8Array)]).toEqual([0, 2]);
    expect([...before]).toEqual([0, 0]);
  });

  it('close makes pending writes durable (closed calls are refused as in every Storage: contract.ts)', async () => {
    const s = new MemoryStorage({ durability: 'manual' });
    const first = s.write([{ type: 'put', key: 'k', value: enc.encode('v') }]);
    await s.close();
    await first;
    expect(text(s.peek('k'))).toBe('v');
    await expect(s.get('k')).rejects.toBeInstanceOf(StorageClosedError);
  });

  it('refuses bad arguments naming the function and the argument', () => {
    const s = new MemoryStorage();
    void s.write([{ type: 'put', key: 'k', value: new Uint8Array(1) }]);
    const T = 'type';
    const R = 'range';
    const cases: [() => unknown, Kind, string][] = [
      [() => new MemoryStorage({ durability: 'later' as never }), R, "MemoryStorage: options.durability must be one of 'immediate', 'manual', got 'later'"],
      [() => s.write(null as never), T, 'MemoryStorage.write: ops must be an array, got null'],
      [() => s.write([{ type: 'put', key: 'k', value: new Uint8Array(1) }, 3 as never]), T, 'MemoryStorage.write: ops[1] must be an object, got a number (3)'],
      [() => s.write([{ type: 'set', key: 'k' } as never]), R, "MemoryStorage.write: ops[0].type must be one of 'put', 'del', got 'set'"],
      [() => s.write([{ type: 'del', key: 7 } as never]), T, 'MemoryStorage.write: ops[0].key must be a string, got a number (7)'],
      [() => s.write([{ type: 'put', key: 'k', value: [1] } as never]), T, 'MemoryStorage.write: ops[0].value must be a Uint8Array, got an array'],
      [() => s.flush(-1), R, 'MemoryStorage.flush: count must be a safe integer >= 0, got -1'],
      [() => s.records({ gte: 1 } as never), T, 'MemoryStorage.records: range.gte must be a string, got a number (1)'],
      [() => s.peek(undefined as never), T, 'MemoryStorage.peek: key must be a string, got undefined'],
      [() => s.flipBit('nope', 0), R, "MemoryStorage.flipBit: key names no stored record, got 'nope'"],
      [() => s.flipBit('k', 8), R, 'MemoryStorage.flipBit: bit must be an integer in [0, 7], got 8'],
    ];
    for (const [call, kind, message] of cases) expectMessage(call, kind, message);
  });

  it('accepts an empty value (and a write of no ops)', async () => {
    const s = new MemoryStorage();
    await s.write([]);
    await s.write([{ type: 'put', key: 'e', value: new Uint8Array(0) }]);
    expect((await s.get('e'))?.length).toBe(0);
  });
});
