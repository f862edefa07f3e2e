import { Worker } from 'node:worker_threads';
import { type InProcessOptions, type Row, signedBlocks } from '../consensus/inProcess.js';
import { median } from '../harness.js';

// The in-process n = 4 figures of `bench consensus` (the same rows, the same code: every replica
// in one thread, real signatures, no network, no disk), measured in the same command so the
// cluster's figure can be set beside them on the same machine at the same moment.

/** Blocks of 1,000 each row commits per round. */
const BLOCKS = 20;

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
 * Two rows of `bench consensus` at n = 4, fast path on, each in a fresh worker: WASM
 * `verifyBatch` in the step (blocks of 1,000), and a 2-thread verifier pool (blocks of 500).
 * `round()` measures both once; the bench calls it after each cluster run, so the two figures
 * share whatever else the machine was doing at the time.
 */
export class InProcessReference {
  private readonly options: InProcessOptions[];
  private readonly measured: { mode: string; runs: number[] }[] = [
    { mode: '', runs: [] },
    { mode: '', runs: [] },
  ];

  constructor() {
    const blocks = BLOCKS;
    const batches = signedBlocks(blocks + 1);
    const halves = batches.flatMap((b) => [b.slice(0, b.length / 2), b.slice(b.length / 2)]);
    this.options = [
      { n: 4, fastPath: true, verifier: 'wasm batch', blocks, batches },
      { n: 4, fastPath: true, verifier: 'wasm batch', poolThreads: 2, blocks: 2 * blocks, batches: halves.slice(0, 2 * blocks + 1) },
    ];
  }

  async round(progress: (line: string) => void): Promise<void> {
    for (let i = 0; i < this.options.length; i++) {
      const row = await isolated(this.options[i]);
      this.measured[i].mode = row.mode;
      this.measured[i].runs.push(row.txPerSec);
      progress(`  ${row.mode} n=4: ${Math.round(row.txPerSec)} tx/s`);
    }
  }

  /** Each row's median over the rounds so far. */
  results(): Reference[] {
    return this.measured.map((m) => ({ mode: m.mode, txPerSec: median(m.runs), runs: m.runs.map(Math.round) }));
  }
}
