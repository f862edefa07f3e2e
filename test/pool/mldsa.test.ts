import { afterAll, describe, expect, it } from 'vitest';
import { ArgumentRangeError, ArgumentTypeError } from '../../src/check/index.js';
import { mldsa44, mldsa65, mldsa87 } from '../../src/index.js';
import { createPool, TaskAbortedError } from '../../src/pool/index.js';
import type { MlDsaApi, MlDsaBatchItem } from '../../src/sig/index.js';
import { caught, detached, expectRejection, holes } from '../_support/refusals.js';
import { Rng, testSeed } from '../_support/seed.js';

/**
 * `count` items under `keys` key pairs, drawn in random order so a key's items are scattered:
 * valid ones, with and without a context, and every way to be invalid — a flipped bit in the
 * signature or key, another message or context, a signature or key a byte short or long.
 */
function randomItems(api: MlDsaApi, rng: Rng, count: number, keys: number): MlDsaBatchItem[] {
  const pairs = Array.from({ length: keys }, () => api.generateKeyPair(rng.bytes(32)));
  return Array.from({ length: count }, () => {
    const { publicKey, secretKey } = pairs[rng.int(keys)];
    const message = rng.bytes(rng.int(300));
    const context = rng.int(3) === 0 ? rng.bytes(rng.int(256)) : undefined;
    const signature = api.sign(message, secretKey, { context, deterministic: rng.int(2) === 0 });
    const item: MlDsaBatchItem = { signature, message, publicKey, context };
    switch (rng.int(12)) {
      case 0:
        signature[rng.int(signature.length)] ^= 1 << rng.int(8);
        break;
      case 1: {
        const key = publicKey.slice();
        key[rng.int(key.length)] ^= 1 << rng.int(8);
        return { ...item, publicKey: key };
      }
      case 2:
        return { ...item, message: rng.int(2) === 0 ? 'another message' : rng.bytes(8) };
      case 3:
        return { ...item, context: context === undefined ? new Uint8Array([1]) : undefined };
      case 4:
        return { ...item, signature: rng.int(2) === 0 ? signature.subarray(1) : new Uint8Array([...signature, 0]) };
      case 5:
        return { ...item, publicKey: rng.int(2) === 0 ? publicKey.subarray(0, publicKey.length - 1) : new Uint8Array([...publicKey, 0]) };
    }
    return item;
  });
}

const singly = (api: MlDsaApi, items: MlDsaBatchItem[]) => items.map((i) => api.verify(i.signature, i.message, i.publicKey, { context: i.context }));

describe('pool.mldsaVerifyBatch', () => {
  const pool = createPool({ threads: 2, inlineBelow: 0 });
  afterAll(() => pool.close());

  it('splits a batch over the workers and returns exactly mldsa65.verifyBatch: valid, mutated, wrong-length items, keys repeated out of order', async () => {
    const rng = new Rng(testSeed('pool.mldsaVerifyBatch ML-DSA-65'));
    const items = randomItems(mldsa65, rng, 160, 5);
    const before = pool.stats.shards;
    const result = await pool.mldsaVerifyBatch(items, { algorithm: 'ML-DSA-65' });
    expect(pool.stats.shards - before).toBeGreaterThan(1);
    expect(result).toEqual(mldsa65.verifyBatch(items));
    expect(result).toEqual(singly(mldsa65, items));
    expect(result.filter((ok) => ok).length).toBeGreaterThan(40);
    expect(result.filter((ok) => !ok).length).toBeGreaterThan(20);
  });

  it('ML-DSA-44 and ML-DSA-87, and items under distinct keys', async () => {
    const rng = new Rng(testSeed('pool.mldsaVerifyBatch 44 and 87'));
    for (const [algorithm, api] of [['ML-DSA-44', mldsa44], ['ML-DSA-87', mldsa87]] as const) {
      const items = [...randomItems(api, rng, 30, 2), ...randomItems(api, rng, 12, 12)];
      expect(await pool.mldsaVerifyBatch(items, { algorithm }), algorithm).toEqual(api.verifyBatch(items));
    }
  });

  it('an item of another parameter set is false, as inline; empty batches and strings', async () => {
    const pair = mldsa44.generateKeyPair(new Uint8Array(32).fill(4));
    const item = { signature: mldsa44.sign('text', pair.secretKey), message: 'text', publicKey: pair.publicKey };
    expect(await pool.mldsaVerifyBatch([item], { algorithm: 'ML-DSA-44' })).toEqual([true]);
    expect(await pool.mldsaVerifyBatch([item, item], { algorithm: 'ML-DSA-65' })).toEqual([false, false]);
    expect(await pool.mldsaVerifyBatch([], { algorithm: 'ML-DSA-87' })).toEqual([]);
  });

  it('runs one item inline and two on a worker', async () => {
    const small = createPool({ threads: 2 });
    try {
      const pair = mldsa65.generateKeyPair(new Uint8Array(32).fill(5));
      const item = { signature: mldsa65.sign('m', pair.secretKey), message: 'm', publicKey: pair.publicKey };
      expect(await small.mldsaVerifyBatch([item], { algorithm: 'ML-DSA-65' })).toEqual([true]);
      expect(small.stats).toEqual({ inlineBatches: 1, shards: 0 });
      expect(await small.mldsaVerifyBatch([item, item], { algorithm: 'ML-DSA-65' })).toEqual([true, true]);
      expect(small.stats).toEqual({ inlineBatches: 1, shards: 1 });
    } finally {
      await small.close();
    }
  });

  it('Pool.run verifies packed bytes that are not items as false, without throwing', async () => {
    const junk = [new Uint8Array(5), new Uint8Array(3309 + 1952 + 1).fill(255), new Uint8Array(6000)];
    expect(Array.from(await pool.run('mldsaVerifyBatch', junk, { algorithm: 'ML-DSA-65' }))).toEqual([0, 0, 0]);
  });

  it('an AbortSignal cancels a queued batch with TaskAbortedError; an aborted one rejects at once', async () => {
    const one = createPool({ threads: 1, inlineBelow: 0 });
    try {
      const items = randomItems(mldsa65, new Rng(testSeed('pool.mldsaVerifyBatch abort')), 40, 40);
      const running = one.mldsaVerifyBatch(items, { algorithm: 'ML-DSA-65' });
      const controller = new AbortController();
      const queued = one.mldsaVerifyBatch(items, { algorithm: 'ML-DSA-65', signal: controller.signal });
      controller.abort();
      await expect(queued).rejects.toBeInstanceOf(TaskAbortedError);
      expect(await running).toEqual(mldsa65.verifyBatch(items));
      await expect(one.mldsaVerifyBatch(items, { algorithm: 'ML-DSA-65', signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError', code: 'ERR_TASK_ABORTED' });
    } finally {
      await one.close();
    }
  });
});

describe('pool.mldsaVerifyBatch argument errors', () => {
  const pool = createPool({ threads: 1, inlineBelow: 0 });
  afterAll(() => pool.close());
  const pair = mldsa65.generateKeyPair(new Uint8Array(32).fill(6));
  const item = { signature: mldsa65.sign('m', pair.secretKey), message: 'm', publicKey: pair.publicKey };
  const options = { algorithm: 'ML-DSA-65' } as const;

  it('the items are refused with the errors of mldsa65.verifyBatch (class, code, message), before any work', async () => {
    const batches: [string, unknown][] = [
      ['holes', holes(3)],
      ['a string', 'x'],
      ['a null item', [item, null]],
      ['a missing signature', [item, { message: 'm', publicKey: item.publicKey }]],
      ['a numeric message', [item, { ...item, message: 5 }]],
      ['a detached message', [{ ...item, message: detached() }]],
      ['a key as an array', [{ ...item, publicKey: [...item.publicKey] }]],
      ['a context of 256 bytes', [item, item, { ...item, context: new Uint8Array(256) }]],
      ['a context as a string', [{ ...item, context: 'ctx' }]],
    ];
    const before = { ...pool.stats };
    for (const [label, items] of batches) {
      const expected = await caught(() => mldsa65.verifyBatch(items as never));
      const got = await caught(() => pool.mldsaVerifyBatch(items as never, options));
      expect(expected, label).toBeInstanceOf(expected instanceof ArgumentRangeError ? ArgumentRangeError : ArgumentTypeError);
      expect(got, label).toBeInstanceOf((expected as Error).constructor);
      expect([(got as ArgumentTypeError).code, (got as Error).message], label).toEqual([(expected as ArgumentTypeError).code, (expected as Error).message]);
    }
    await expectRejection(() => pool.mldsaVerifyBatch([item, { ...item, context: new Uint8Array(300) }], options), 'range', 'mldsa65.verifyBatch', 'items[1].context', 'at most 255 bytes (FIPS 204), got 300');
    expect(pool.stats).toEqual(before);
  });

  it('the parameter set is a required option, named as FIPS 204 names it; the signal is checked', async () => {
    const choices = "must be one of 'ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87'";
    await expectRejection(() => pool.mldsaVerifyBatch([item], undefined as never), 'type', 'mldsaVerifyBatch', 'options.algorithm', `${choices}, got undefined`);
    await expectRejection(() => pool.mldsaVerifyBatch([item], {} as never), 'type', 'mldsaVerifyBatch', 'options.algorithm', `${choices}, got undefined`);
    await expectRejection(() => pool.mldsaVerifyBatch([item], { algorithm: 'ML-DSA-66' } as never), 'range', 'mldsaVerifyBatch', 'options.algorithm', `${choices}, got 'ML-DSA-66'`);
    await expectRejection(() => pool.mldsaVerifyBatch([item], { algorithm: 'mldsa65' } as never), 'range', 'mldsaVerifyBatch', 'options.algorithm');
    await expectRejection(() => pool.mldsaVerifyBatch([item], { algorithm: 65 } as never), 'type', 'mldsaVerifyBatch', 'options.algorithm', 'got a number (65)');
    await expectRejection(() => pool.mldsaVerifyBatch([item], 'ML-DSA-65' as never), 'type', 'mldsaVerifyBatch', 'options', 'must be an object');
    await expectRejection(() => pool.mldsaVerifyBatch([item], { ...options, context: new Uint8Array(1) } as never), 'type', 'mldsaVerifyBatch', 'options.context', 'is not an option');
    await expectRejection(() => pool.mldsaVerifyBatch([item], { ...options, signal: 'x' as never }), 'type', 'mldsaVerifyBatch', 'options.signal', 'must be an AbortSignal');
    await expectRejection(() => pool.run('mldsaVerifyBatch', [new Uint8Array(1)]), 'type', 'Pool.run', 'options.algorithm', `${choices}, got undefined`);
  });
});
