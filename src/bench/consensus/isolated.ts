import { Worker } from 'node:worker_threads';
import type { InProcessOptions, Row } from './inProcess.js';

/** `inProcess` in a fresh worker thread (see consensus/run.ts). */
export function isolated(options: InProcessOptions): Promise<Row> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./run.js', import.meta.url), { workerData: options });
    worker.once('message', (row: Row) => void worker.terminate().then(() => resolve(row)));
    worker.once('error', reject);
  });
}

/** Runs `once` `count` times and returns the run of median throughput, with every run's tx/s. */
export async function medianRun(count: number, once: () => Promise<Row>): Promise<Row> {
  const rows: Row[] = [];
  for (let i = 0; i < count; i++) rows.push(await once());
  const sorted = [...rows].sort((a, b) => a.txPerSec - b.txPerSec);
  return { ...sorted[Math.floor((count - 1) / 2)], runs: rows.map((r) => Math.round(r.txPerSec)) };
}
