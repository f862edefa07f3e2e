import type { PackedBatch } from './packedBatch.js';
import { type PoolOperationName, type PoolOperationParams, operations } from './operations.js';

/** What the host sends per shard: operation name, the shared batch, the item range and where its output goes. */
export interface ShardRequest {
  operation: PoolOperationName;
  params: PoolOperationParams;
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
  operations[r.operation].run(r.batch, r.from, r.to, out, r.params);
}
