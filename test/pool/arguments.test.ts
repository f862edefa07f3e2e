import { afterAll, describe, expect, it } from 'vitest';
import { ArgumentRangeError, ArgumentTypeError } from '../../src/check/index.js';
import { blake3Many, ed25519, merkleRoot, sha256Many } from '../../src/index.js';
import { createPool, MAX_POOL_BATCH_BYTES } from '../../src/pool/index.js';
import { caught, detached, expectRefusal, expectRejection, holes } from '../_support/refusals.js';

const b = new Uint8Array([1, 2, 3]);
const keys = ed25519.generateKeyPair(new Uint8Array(32).fill(3));
const item = { signature: ed25519.sign('m', keys.secretKey), message: 'm', publicKey: keys.publicKey };

describe('pool argument errors', () => {
  const pool = createPool({ threads: 1, inlineBelow: 0 });
  afterAll(() => pool.close());

  it('are the errors the inline functions throw (class, code, message), raised before any work', async () => {
    const pairs: [string, () => unknown, () => Promise<unknown>][] = [
      ['sha256Many holes', () => sha256Many(holes(3)), () => pool.sha256Many(holes(3))],
      ['sha256Many bad item', () => sha256Many([b, 5 as never]), () => pool.sha256Many([b, 5 as never])],
      ['sha256Many string', () => sha256Many('abc' as never), () => pool.sha256Many('abc' as never)],
      ['sha256Many detached', () => sha256Many([detached()]), () => pool.sha256Many([detached()])],
      ['blake3Many holes', () => blake3Many(holes(2)), () => pool.blake3Many(holes(2))],
      ['blake3Many short key', () => blake3Many([b], { key: new Uint8Array(31) }), () => pool.blake3Many([b], { key: new Uint8Array(31) })],
      ['blake3Many fractional length', () => blake3Many([b], { length: 1.5 }), () => pool.blake3Many([b], { length: 1.5 })],
      ['blake3Many length 2^53', () => blake3Many([b], { length: 2 ** 53 }), () => pool.blake3Many([b], { length: 2 ** 53 })],
      ['blake3Many key and context', () => blake3Many([b], { key: new Uint8Array(32), context: 'c' }), () => pool.blake3Many([b], { key: new Uint8Array(32), context: 'c' })],
      ['blake3Many options 5', () => blake3Many([b], 5 as never), () => pool.blake3Many([b], 5 as never)],
      ['merkleRoot holes', () => merkleRoot(holes(2)), () => pool.merkleRoot(holes(2))],
      ['merkleRoot md5', () => merkleRoot([b], { hash: 'md5' as never }), () => pool.merkleRoot([b], { hash: 'md5' as never })],
      ['merkleRoot detached', () => merkleRoot([b, detached()]), () => pool.merkleRoot([b, detached()])],
      ['verifyBatch holes', () => ed25519.verifyBatch(holes(3)), () => pool.verifyBatch(holes(3))],
      ['verifyBatch string', () => ed25519.verifyBatch('x' as never), () => pool.verifyBatch('x' as never)],
      ['verifyBatch null item', () => ed25519.verifyBatch([item, null as never]), () => pool.verifyBatch([item, null as never])],
      [
        'verifyBatch missing signature',
        () => ed25519.verifyBatch([item, item, { message: 'm', publicKey: keys.publicKey } as never]),
        () => pool.verifyBatch([item, item, { message: 'm', publicKey: keys.publicKey } as never]),
      ],
      ['verifyBatch detached message', () => ed25519.verifyBatch([{ ...item, message: detached() }]), () => pool.verifyBatch([{ ...item, message: detached() }])],
    ];
    const before = { ...pool.stats };
    for (const [label, inline, pooled] of pairs) {
      const expected = await caught(inline);
      const got = await caught(pooled);
      expect(expected, label).toBeInstanceOf(expected instanceof ArgumentRangeError ? ArgumentRangeError : ArgumentTypeError);
      expect(got, label).toBeInstanceOf((expected as Error).constructor);
      expect([(got as ArgumentTypeError).code, (got as Error).message], label).toEqual([(expected as ArgumentTypeError).code, (expected as Error).message]);
    }
    expect(pool.stats).toEqual(before);
  });

  it('the verifyBatch example of the issue names items[0] in both', async () => {
    expectRefusal(() => ed25519.verifyBatch(new Array(3)), 'type', 'ed25519.verifyBatch', 'items[0]', 'must be an object, got undefined');
    await expectRejection(() => pool.verifyBatch(new Array(3)), 'type', 'ed25519.verifyBatch', 'items[0]', 'must be an object, got undefined');
  });

  it('pool-only arguments: createPool options, run, signals, and the batch size limits', async () => {
    expectRefusal(() => createPool(5 as never), 'type', 'createPool', 'options');
    expectRefusal(() => createPool({ threads: 0 }), 'range', 'createPool', 'options.threads', 'in [1, 1024], got 0');
    expectRefusal(() => createPool({ threads: 1.5 }), 'range', 'createPool', 'options.threads');
    expectRefusal(() => createPool({ threads: 2 ** 53 }), 'range', 'createPool', 'options.threads');
    expectRefusal(() => createPool({ threads: '2' as never }), 'type', 'createPool', 'options.threads');
    expectRefusal(() => createPool({ backend: 'gpu' as never }), 'range', 'createPool', 'options.backend', "must be one of 'scalar', 'simd', got 'gpu'");
    expectRefusal(() => createPool({ inlineBelow: -1 }), 'range', 'createPool', 'options.inlineBelow');
    expectRefusal(() => createPool({ workerUrl: '/pool-worker.js' }), 'range', 'createPool', 'options.workerUrl', 'is for browsers');
    await expectRejection(() => pool.run('nope' as never, []), 'range', 'Pool.run', 'name', "must be one of 'sha256Many', 'blake3Many', 'merkleRoot', 'ed25519VerifyBatch', 'mldsaVerifyBatch', got 'nope'");
    await expectRejection(() => pool.run(5 as never, []), 'type', 'Pool.run', 'name');
    await expectRejection(() => pool.run('sha256Many', holes(2)), 'type', 'Pool.run', 'items[0]');
    await expectRejection(() => pool.run('sha256Many', [b], 5 as never), 'type', 'Pool.run', 'params');
    await expectRejection(() => pool.run('blake3Many', [b], { length: -1 }), 'range', 'Pool.run', 'options.length');
    await expectRejection(() => pool.run('merkleRoot', [b], { hash: 'md5' }), 'range', 'Pool.run', 'options.hash');
    await expectRejection(() => pool.sha256Many([b], { signal: 'x' as never }), 'type', 'sha256Many', 'options.signal', 'must be an AbortSignal');
    // Views of one buffer: the limits are checked before anything is packed or allocated.
    const gib = new Uint8Array(2 ** 30);
    await expectRejection(() => pool.sha256Many([gib, gib, gib, gib]), 'range', 'sha256Many', 'messages', `at most MAX_POOL_BATCH_BYTES = ${MAX_POOL_BATCH_BYTES} bytes in all, got ${2 ** 32}`);
    const many = new Array<Uint8Array>(5000).fill(b);
    await expectRejection(() => pool.blake3Many(many, { length: 2 ** 20 }), 'range', 'blake3Many', 'messages', `would produce ${5000 * 2 ** 20} bytes of output`);
  });

  it('refuse a signature batch past MAX_POOL_BATCH_BYTES once packed, before packing it', async () => {
    // Regression: the signature batches were packed (copied) before the limit was checked, and
    // mldsaVerifyBatch's one packing buffer failed past 4 GiB with V8's `Invalid typed array length`.
    // Four views of one 1 GiB buffer (never touched: no memory is used) pack to just over 4 GiB.
    const gib = new Uint8Array(2 ** 30);
    const before = process.memoryUsage().arrayBuffers;
    const ed = Array.from({ length: 4 }, () => ({ signature: new Uint8Array(64), message: gib, publicKey: new Uint8Array(32) }));
    await expectRejection(() => pool.verifyBatch(ed), 'range', 'ed25519.verifyBatch', 'items', `at most MAX_POOL_BATCH_BYTES = ${MAX_POOL_BATCH_BYTES} bytes in all, got ${4 * (2 ** 30 + 96)}`);
    const ml = Array.from({ length: 4 }, () => ({ signature: new Uint8Array(3309), message: gib, publicKey: new Uint8Array(1952) }));
    const packed = 4 * (2 ** 30 + 3309 + 1952 + 1);
    await expectRejection(() => pool.mldsaVerifyBatch(ml, { algorithm: 'ML-DSA-65' }), 'range', 'mldsaVerifyBatch', 'items', `got ${packed}`);
    // Nothing was copied: the packed copies would still count here (no collection ran since).
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(2 ** 30);
  });
});
