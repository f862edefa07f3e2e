import type { PackedBatch } from './packedBatch.js';
import { type PoolOperationName, type PoolOperationParams, operations } from './operations.js';

/**
 * What the host sends per shard: operation name, the batch, the item range and where its output
 * goes — a slice of a shared output buffer, or (`output: null`) a buffer of its own that the
 * worker sends back.
 */
export interface ShardRequest {
  operation: PoolOperationName;
  params: PoolOperationParams;
  batch: PackedBatch;
  from: number;
  to: number;
  output: SharedArrayBuffer | null;
  outputOffset: number;
  outputLength: number;
}

/**
 * A shard's outcome. Without a shared output (`output: null` in the request), `output` is this
 * shard's output and `spent` the batch it was given, both to send back (transferred) for reuse.
 */
export type ShardResult = { ok: true; output?: ArrayBuffer; spent?: PackedBatch } | { ok: false; name: string; message: string };

/**
 * Runs one shard on this thread's default WASM instance. Failures of the task come back as
 * values, so a worker that fails to answer has itself died.
 */
export function runShard(r: ShardRequest): ShardResult {
  try {
    const out = r.output === null ? new Uint8Array(r.outputLength) : new Uint8Array(r.output, r.outputOffset, r.outputLength);
    operations[r.operation].run(r.batch, r.from, r.to, out, r.params);
    return r.output === null ? { ok: true, output: out.buffer as ArrayBuffer, spent: r.batch } : { ok: true };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    return { ok: false, name: e.name, message: e.message };
  }
}
