// The pool race of `bench browser`: the Web Worker pool (one worker per core the page reports)
// against the same batch run inline on the page's thread, both on the SIMD backend. The bench
// page is cross-origin isolated, so batches cross in SharedArrayBuffers; docs/pool.md has the
// transfer-mode figures of an ordinary page beside these.
import { type Backend, init } from '../../backend/index.js';
import { merkleRoot } from '../../merkle/index.js';
import { createPool } from '../../webpool/index.js';

/** One row of the page's table (page.ts's PageRow). */
interface PoolRow {
  group: string;
  subject: string;
  rate: number;
  unit: 'MB/s' | 'sig/s';
}

/** `rate` of page.ts: items per second of `step` (median of the rounds), where one call handles `items`. */
type Rate = (step: () => unknown, items: number) => Promise<number>;

/** Workers need their own warm-up: each WASM instance is optimized by V8 only after enough calls there. */
const WARM_MS = 500;

async function warm(step: () => Promise<unknown>): Promise<void> {
  const until = performance.now() + WARM_MS;
  while (performance.now() < until) await step();
}

export async function poolRows(simd: Backend, quick: boolean, rate: Rate): Promise<PoolRow[]> {
  await init({ backend: 'simd' }); // merkleRoot inline runs on the default backend
  const pool = createPool({ backend: 'simd' });
  const workers = `swarmguard pool (${pool.threads} workers, ${pool.buffers} buffers)`;
  const inline = 'swarmguard simd inline';
  const rows: PoolRow[] = [];
  const race = async (group: string, unit: PoolRow['unit'], items: number, onPage: () => unknown, onPool: () => Promise<unknown>) => {
    rows.push({ group, subject: inline, rate: await rate(onPage, items), unit });
    await warm(onPool);
    rows.push({ group, subject: workers, rate: await rate(onPool, items), unit });
  };
  try {
    const signers = Array.from({ length: 1024 }, () => simd.ed25519.generateKeyPair());
    const items = signers.map(({ secretKey, publicKey }, i) => {
      const message = crypto.getRandomValues(new Uint8Array(64));
      message[0] = i;
      return { signature: simd.ed25519.sign(message, secretKey), message, publicKey };
    });
    await race('pool: verifyBatch(1,024), distinct keys', 'sig/s', items.length, () => simd.ed25519.verifyBatch(items), () => pool.verifyBatch(items));
    const count = quick ? 256 : 1024;
    const messages = Array.from({ length: count }, () => crypto.getRandomValues(new Uint8Array(16 * 1024)));
    const mb = (count * 16 * 1024) / 1e6;
    await race(`pool: sha256Many(${count} × 16 KiB)`, 'MB/s', mb, () => simd.sha256Many(messages), () => pool.sha256Many(messages));
    await race(`pool: blake3Many(${count} × 16 KiB)`, 'MB/s', mb, () => simd.blake3Many(messages), () => pool.blake3Many(messages));
    for (const log2 of quick ? [16] : [16, 18, 20]) {
      const leaves = Array.from({ length: 2 ** log2 }, (_, i) => {
        const leaf = new Uint8Array(32);
        new DataView(leaf.buffer).setUint32(0, i);
        return leaf;
      });
      const leafMb = (leaves.length * 32) / 1e6;
      await race(`pool: merkleRoot(2^${log2} leaves of 32 B)`, 'MB/s', leafMb, () => merkleRoot(leaves), () => pool.merkleRoot(leaves));
    }
  } finally {
    await pool.close();
  }
  return rows;
}
