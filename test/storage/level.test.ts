import { MemoryLevel } from 'memory-level';
import { describe, expect, it } from 'vitest';
import {
  type LevelDatabase,
  LevelStorage,
  StorageClosedError,
  type StorageOp,
  StorageQueueFullError,
  StorageReadError,
  StorageWriteError,
} from '../../src/storage/index.js';
import { expectMessage } from '../_support/refusals.js';
import { collect, storageContract } from './contract.js';

const enc = new TextEncoder();
const dec = new TextDecoder();
const put = (key: string, value: string) => ({ type: 'put' as const, key, value: enc.encode(value) });
const text = (value: Uint8Array | undefined) => (value === undefined ? undefined : dec.decode(value));

const settle = () => new Promise((r) => setImmediate(r));

/**
 * A memory-level database whose batches wait at a gate the test opens: a disk whose fsync takes
 * as long as the test says, so what queues behind a batch in flight is decided, not raced.
 */
class GatedLevel implements LevelDatabase {
  readonly db = new MemoryLevel<string, Uint8Array>();
  /** The ops of every batch, as it arrived. */
  readonly batches: StorageOp[][] = [];
  private readonly waiting: (() => void)[] = [];

  batch(ops: StorageOp[], options: Parameters<LevelDatabase['batch']>[1]): Promise<void> {
    this.batches.push(ops.map((op) => ({ ...op })));
    return new Promise<void>((resolve) => this.waiting.push(resolve)).then(() => this.db.batch(ops, options));
  }
  get(key: string, options: Parameters<LevelDatabase['get']>[1]) {
    return this.db.get(key, options);
  }
  iterator(options: Parameters<LevelDatabase['iterator']>[0]) {
    return this.db.iterator(options);
  }
  close() {
    return this.db.close();
  }
  /** How many batches wait at the gate. */
  get inFlight(): number {
    return this.waiting.length;
  }
  /** Lets the oldest batch through (waiting for one to arrive) and waits until its writes have settled. */
  async release(): Promise<void> {
    for (let i = 0; i < 10 && this.waiting.length === 0; i++) await settle();
    expect(this.waiting.length, 'a batch at the gate').toBeGreaterThan(0);
    this.waiting.shift()?.();
    for (let i = 0; i < 10; i++) await settle();
  }
}

const keysOf = (ops: StorageOp[]) => ops.map((op) => `${op.type}:${op.key}${op.type === 'put' ? `=${dec.decode(op.value)}` : ''}`);

describe('LevelStorage', () => {
  describe('the Storage contract over memory-level (its default encodings: every call names its own)', () =>
    storageContract('LevelStorage', async () => new LevelStorage(new MemoryLevel())));

  it('commits writes made together as one batch, and those made while it syncs as the next, merged: the last op on a key wins', async () => {
    const gated = new GatedLevel();
    const s = new LevelStorage(gated);
    const resolved: string[] = [];
    const first = [s.write([put('a', '1')]), s.write([put('b', '1'), put('a', '2')])].map((p, i) => p.then(() => resolved.push(`first ${i}`)));
    await settle();
    expect(gated.inFlight).toBe(1);
    expect(keysOf(gated.batches[0])).toEqual(['put:b=1', 'put:a=2']);
    const second = [
      s.write([put('x', '1'), put('hard', '1')]),
      s.write([{ type: 'del', key: 'x' }, put('y', '1')]),
      s.write([put('hard', '2')]),
      s.write([put('x', '3')]),
    ].map((p, i) => p.then(() => resolved.push(`second ${i}`)));
    await settle();
    expect(s.stats()).toMatchObject({ queuedWrites: 4, queuedBytes: 17, groups: 0 });
    expect(gated.batches.length).toBe(1);
    await gated.release();
    expect(resolved).toEqual(['first 0', 'first 1']);
    expect(gated.batches.length).toBe(2);
    expect(keysOf(gated.batches[1])).toEqual(['put:y=1', 'put:hard=2', 'put:x=3']);
    await gated.release();
    await Promise.all([...first, ...second]);
    expect(resolved).toEqual(['first 0', 'first 1', 'second 0', 'second 1', 'second 2', 'second 3']);
    expect(await collect(s)).toEqual([
      ['a', '2'],
      ['b', '1'],
      ['hard', '2'],
      ['x', '3'],
      ['y', '1'],
    ]);
    const stats = s.stats();
    expect(stats).toMatchObject({ writes: 6, ops: 9, groups: 2, opsWritten: 5, bytesWritten: 13, queuedWrites: 0, queuedBytes: 0, refused: 0, failed: false });
    expect(stats.writeSeconds.count).toBe(6);
    expect(stats.writeSeconds.counts.length).toBe(stats.writeSeconds.buckets.length + 1);
    expect(stats.writeSeconds.counts.at(-1)).toBe(6);
    expect(stats.writeSeconds.sum).toBeGreaterThanOrEqual(stats.lastWriteSeconds);
    await s.close();
  });

  it('commits many writes made in one turn as one group on a real database', async () => {
    const s = new LevelStorage(new MemoryLevel());
    await Promise.all(Array.from({ length: 100 }, (_, i) => s.write([put(`k${i}`, 'v')])));
    expect(s.stats()).toMatchObject({ writes: 100, groups: 1 });
    await s.close();
  });

  it('bounds the bytes queued behind the batch in flight, refusing what does not fit without breaking the log', async () => {
    const gated = new GatedLevel();
    const s = new LevelStorage(gated, { maxQueuedBytes: 10 });
    const inFlight = s.write([put('big', 'x'.repeat(100))]);
    await settle();
    const queued = s.write([put('a', '1234')]);
    const fits = s.write([put('b', '1234')]);
    const refusal = await s.write([put('c', '1')]).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(StorageQueueFullError);
    expect((refusal as StorageQueueFullError).code).toBe('ERR_STORAGE_QUEUE_FULL');
    expect((refusal as Error).message).toBe('LevelStorage.write: 2 bytes do not fit behind the 10 bytes already queued (maxQueuedBytes 10)');
    expect(s.stats()).toMatchObject({ refused: 1, queuedWrites: 2, queuedBytes: 10 });
    await gated.release();
    await gated.release();
    await Promise.all([inFlight, queued, fits]);
    const big = s.write([put('huge', 'y'.repeat(1000))]);
    await gated.release();
    await big;
    expect(text(await s.get('huge'))?.length).toBe(1000);
    expect(await s.get('c')).toBeUndefined();
    await s.close();
  });

  it('rejects a failed batch, every write queued behind it and every later write with StorageWriteError; reads go on', async () => {
    const gated = new GatedLevel();
    const s = new LevelStorage(gated);
    const before = s.write([put('before', '1')]);
    await gated.release();
    await before;
    gated.db.hooks.prewrite.add((op) => {
      if (op.key === 'bad') throw new Error('disk full');
    });
    const caught = (p: Promise<void>) => p.catch((e: unknown) => e);
    const failing = [caught(s.write([put('ok', '1')])), caught(s.write([put('bad', '1')]))];
    await settle();
    const queued = caught(s.write([put('queued', '1')]));
    expect(s.stats().queuedWrites).toBe(1);
    await gated.release();
    const errors = await Promise.all([...failing, queued]);
    const later = await caught(s.write([put('later', '1')]));
    for (const err of [...errors, later]) {
      expect(err).toBeInstanceOf(StorageWriteError);
      expect((err as StorageWriteError).code).toBe('ERR_STORAGE_WRITE');
      expect((err as Error).message).toMatch(/^LevelStorage\.write: a write failed, so this store takes no further writes: .*disk full/);
    }
    expect(s.stats()).toMatchObject({ writes: 1, groups: 1, failed: true, queuedWrites: 0 });
    expect(await collect(s)).toEqual([['before', '1']]);
    await s.close();
  });

  it('waits for the batch in flight and the writes queued behind it on close', async () => {
    const gated = new GatedLevel();
    const s = new LevelStorage(gated);
    const writes = [s.write([put('a', '1')])];
    await settle();
    writes.push(s.write([put('b', '1')]));
    let closed = false;
    const closing = s.close().then(() => (closed = true));
    await expect(s.write([put('c', '1')])).rejects.toBeInstanceOf(StorageClosedError);
    await settle();
    expect(closed).toBe(false);
    await gated.release();
    expect(closed).toBe(false);
    await gated.release();
    await closing;
    await Promise.all(writes);
    await gated.db.open();
    expect(await gated.db.keys().all()).toEqual(['a', 'b']);
  });

  it('ends an iteration the store closes under it with StorageClosedError, and a read the database fails with StorageReadError', async () => {
    const s = new LevelStorage(new MemoryLevel());
    await s.write(Array.from({ length: 600 }, (_, i) => put(`k${String(i).padStart(3, '0')}`, 'v')));
    const seen: string[] = [];
    const iteration = (async () => {
      for await (const [key] of s.entries()) {
        seen.push(key);
        if (seen.length === 1) await s.close();
      }
    })();
    await expect(iteration).rejects.toBeInstanceOf(StorageClosedError);
    expect(seen.length).toBe(256);

    const db = new MemoryLevel<string, Uint8Array>();
    const failing: LevelDatabase = {
      batch: (ops, options) => db.batch(ops, options),
      get: () => Promise.reject(Object.assign(new Error('Corruption: block checksum mismatch'), { code: 'LEVEL_CORRUPTION' })),
      iterator: (options) => db.iterator(options),
      close: () => db.close(),
    };
    const err = await new LevelStorage(failing).get('k').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageReadError);
    expect((err as StorageReadError).code).toBe('ERR_STORAGE_READ');
    expect((err as Error).message).toBe('LevelStorage.get: a read failed: Corruption: block checksum mismatch');
  });

  it('refuses bad constructor arguments naming the function and the argument', () => {
    expectMessage(() => new LevelStorage(null as never), 'type', 'LevelStorage: db must be an object, got null');
    expectMessage(() => new LevelStorage(new MemoryLevel(), { maxQueuedBytes: 0 }), 'range', 'LevelStorage: options.maxQueuedBytes must be a safe integer >= 1, got 0');
    expectMessage(() => new LevelStorage(new MemoryLevel(), { maxQueuedBytes: 1.5 }), 'range', 'LevelStorage: options.maxQueuedBytes must be a safe integer >= 1, got 1.5');
    expectMessage(() => new LevelStorage(new MemoryLevel(), { maxBytes: 1 } as never), 'type', "LevelStorage: options.maxBytes is not an option (expected one of 'maxQueuedBytes')");
  });
});
