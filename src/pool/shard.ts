import type { PackedBatch } from './batch.js';
import { type TaskName, type TaskParams, tasks } from './tasks.js';

/** What the host sends per shard: task name, the shared batch, the item range and where its output goes. */
export interface ShardRequest {
  task: TaskName;
  params: TaskParams;
  batch: PackedBatch;
  from: number;
  to: number;
  output: SharedArrayBuffer;
  outputOffset: number;
  outputLength: number;
}

export type ShardResult = { ok: true } | { ok: false; name: string; message: string };

export function runShard(r: ShardRequest): void {
  const out = new Uint8Array(r.output, r.outputOffset, r.outputLength);
  tasks[r.task].run(r.batch, r.from, r.to, out, r.params);
}
