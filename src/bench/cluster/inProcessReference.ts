import { Worker } from 'node:worker_threads';
import { type InProcessOptions, type Row, signedBlocks } from '../consensus/inProcess.js';
import { median } from '../harness.js';

// The in-process n = 4 figures of `bench consensus` (the same rows, the same code: every replica
// in one thread, real signatures, no network, no disk), measured in the same command so the
// cluster's figure can be set beside them on the same machine at the same moment.

export interface Reference {
  mode: string;
  /** Median of the runs' committed tx/s. */
  txPerSec: number;
  runs: number[];
}

function isolated(options: InProcessOptions): Promise<Row> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('../consensus/run.js', import.meta.url), { workerData: options });
    worker.once('message', (row: Row) => void worker.terminate().then(() => resolve(row)));
    worker.once('error', reject);
  });
}

/**
 * Two rows of `bench consensus` at n = 4, fast path on, `runs` fresh workers each: WASM
 * `verifyBatch` in the step (blocks of 1,000), and a 2-thread verifier pool (blocks of 500).
 */
export async function inProcessReference(runs: number, quick: boolean, progress: (line: string) => void): Promise<Reference[]> {
  const blocks = quick ? 3 : 20;
  const batches = signedBlocks(blocks + 1);
  const halves = batches.flatMap((b) => [b.slice(0, b.length / 2), b.slice(b.length / 2)]);
  const rows: Reference[] = [];
  for (const pool of [false, true]) {
    const options: InProcessOptions = pool
      ? { n: 4, fastPath: true, verifier: 'wasm batch', poolThreads: 2, blocks: 2 * blocks, batches: halves.slice(0, 2 * blocks + 1) }
      : { n: 4, fastPath: true, verifier: 'wasm batch', blocks, batches };
    const measured: number[] = [];
    let mode = '';
    for (let r = 0; r < runs; r++) {
      const row = await isolated(options);
      mode = row.mode;
      measured.push(row.txPerSec);
      progress(`  ${row.mode} n=4: ${Math.round(row.txPerSec)} tx/s`);
    }
    rows.push({ mode, txPerSec: median(measured), runs: measured.map(Math.round) });
  }
  return rows;
}
