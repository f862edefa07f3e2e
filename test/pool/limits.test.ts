import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createPool, MAX_POOL_BATCH_BYTES } from '../../src/pool/index.js';

// The largest batch MAX_POOL_BATCH_BYTES allows runs (the refusals past it: arguments.test.ts).
// `npm run test:extreme` (SWARMGUARD_EXTREME=1) runs it at 4,095 × 1 MiB, 1 MiB under the limit,
// which needs ~8 GiB of memory (the shared batch buffer is rounded up to 4 GiB); `npm test` at 40 × 1 MiB.

const EXTREME = process.env.SWARMGUARD_EXTREME === '1';
const MiB = 1 << 20;

describe(`a pool batch just under the byte limit${EXTREME ? '' : ' (reduced: SWARMGUARD_EXTREME=1 for 4 GiB)'}`, () => {
  const pool = createPool({ threads: 2, inlineBelow: 0 });
  afterAll(() => pool.close());

  it(`sha256Many of ${EXTREME ? '4,095' : '40'} views of one 1 MiB message`, async () => {
    const count = EXTREME ? Math.floor(MAX_POOL_BATCH_BYTES / MiB) : 40;
    const message = new Uint8Array(MiB).map((_, i) => (i * 13) & 255);
    const digests = await pool.sha256Many(new Array<Uint8Array>(count).fill(message));
    const want = createHash('sha256').update(message).digest('hex');
    expect(digests.length).toBe(count);
    expect(new Set(digests.map((d) => Buffer.from(d).toString('hex')))).toEqual(new Set([want]));
  });
});
