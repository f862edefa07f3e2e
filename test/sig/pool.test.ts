import { afterAll, describe, expect, it } from 'vitest';
import { ed25519 } from '../../src/index.js';
import { createPool } from '../../src/pool/index.js';
import { Rng, testSeed } from '../_support/seed.js';

describe('pool.verifyBatch', () => {
  const pool = createPool({ threads: 2 });
  afterAll(() => pool.close());

  it('splits a large batch across workers and returns exactly items.map(verify)', async () => {
    const rng = new Rng(testSeed('pool.verifyBatch'));
    const keys = Array.from({ length: 8 }, (_, i) => ed25519.generateKeyPair(new Uint8Array(32).fill(i + 40)));
    const items = Array.from({ length: 600 }, (_, i) => {
      const key = keys[i % keys.length];
      const message = rng.bytes(rng.int(64));
      const signature = ed25519.sign(message, key.secretKey);
      if (rng.int(10) === 0) signature[rng.int(64)] ^= 1 << rng.int(8);
      if (rng.int(50) === 0) return { signature: signature.subarray(0, 60), message, publicKey: key.publicKey };
      return { signature, message: rng.int(20) === 0 ? 'other' : message, publicKey: key.publicKey };
    });
    const before = pool.stats.shards;
    const result = await pool.verifyBatch(items);
    expect(pool.stats.shards - before).toBeGreaterThan(1);
    expect(result).toEqual(items.map((i) => ed25519.verify(i.signature, i.message, i.publicKey)));
    expect(result.filter((x) => !x).length).toBeGreaterThan(0);
  });

  it('runs tiny batches inline and checks its arguments', async () => {
    const { secretKey, publicKey } = ed25519.generateKeyPair(new Uint8Array(32).fill(9));
    expect(await pool.verifyBatch([{ signature: ed25519.sign('x', secretKey), message: 'x', publicKey }])).toEqual([true]);
    expect(await pool.verifyBatch([])).toEqual([]);
    await expect(pool.verifyBatch('nope' as never)).rejects.toThrow(TypeError);
    await expect(pool.verifyBatch([{ signature: 1, message: 'x', publicKey } as never])).rejects.toThrow(/items\[0\]\.signature/);
  });
});
