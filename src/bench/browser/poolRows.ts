// The pool race of `bench browser`: the Web Worker pool (one worker per core the page reports)
// against the same batch run inline on the page's thread, both on the SIMD backend. The two
// alternate round by round (A/B), so load from other processes drifting during the run weighs on
// both alike; each is the median of the rounds. The bench runs this in its cross-origin-isolated
// page (shared buffers) and again in one that is not (transferred buffers).
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

/** What the race takes of the page's settings (page.ts's PageConfig). */
interface RaceConfig {
  runs: number;
  minMs: number;
  quick: boolean;
}

type Step = () => unknown;

/** Warm-up of the pool: each worker's WASM instance is optimized by V8 only after enough calls there. */
const WARM_MS = 500;

/** Calls of `step` in one round of at least `minMs` (the doubling warms it up too). */
async function calibrate(step: Step, minMs: number): Promise<number> {
  for (let n = 1; ; n *= 2) {
    const t = performance.now();
    for (let i = 0; i < n; i++) await step();
    if (performance.now() - t >= minMs || n >= 1 << 20) return n;
  }
}

async function round(step: Step, calls: number, items: number): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < calls; i++) await step();
  return (calls * items * 1000) / (performance.now() - t);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

export async function poolRows(simd: Backend, config: RaceConfig): Promise<PoolRow[]> {
  await init({ backend: 'simd' }); // merkleRoot inline runs on the default backend
  const pool = createPool({ backend: 'simd' });
  const workers = `swarmguard pool (${pool.threads} workers, ${pool.buffers} buffers)`;
  const rows: PoolRow[] = [];
  const race = async (group: string, unit: PoolRow['unit'], items: number, onPage: Step, onPool: Step) => {
    await calibrate(onPool, WARM_MS);
    const calls = [await calibrate(onPage, config.minMs), await calibrate(onPool, config.minMs)];
    const rates: [number[], number[]] = [[], []];
    for (let r = 0; r < config.runs; r++) {
      rates[0].push(await round(onPage, calls[0], items));
      rates[1].push(await round(onPool, calls[1], items));
    }
    rows.push({ group, subject: 'swarmguard simd inline', rate: median(rates[0]), unit }, { group, subject: workers, rate: median(rates[1]), unit });
  };
  try {
    const signers = Array.from({ length: 1024 }, () => simd.ed25519.generateKeyPair());
    const items = signers.map(({ secretKey, publicKey }, i) => {
      const message = crypto.getRandomValues(new Uint8Array(64));
      message[0] = i;
      return { signature: simd.ed25519.sign(message, secretKey), message, publicKey };
    });
    await race('pool: verifyBatch(1,024), distinct keys', 'sig/s', items.length, () => simd.ed25519.verifyBatch(items), () => pool.verifyBatch(items));
    const count = config.quick ? 256 : 1024;
    const messages = Array.from({ length: count }, () => crypto.getRandomValues(new Uint8Array(16 * 1024)));
    const mb = (count * 16 * 1024) / 1e6;
    await race(`pool: sha256Many(${count} × 16 KiB)`, 'MB/s', mb, () => simd.sha256Many(messages), () => pool.sha256Many(messages));
    await race(`pool: blake3Many(${count} × 16 KiB)`, 'MB/s', mb, () => simd.blake3Many(messages), () => pool.blake3Many(messages));
    for (const log2 of config.quick ? [16] : [16, 18, 20]) {
      const leaves = Array.from({ length: 2 ** log2 }, (_, i) => {
        const leaf = new Uint8Array(32);
        new DataView(leaf.buffer).setUint32(0, i);
        return leaf;
      });
      await race(`pool: merkleRoot(2^${log2} leaves of 32 B)`, 'MB/s', (leaves.length * 32) / 1e6, () => merkleRoot(leaves), () => pool.merkleRoot(leaves));
    }
  } finally {
    await pool.close();
  }
  return rows;
}
