// Piscina worker: runs one shard of a packed batch on this thread's own WASM instance and
// writes its output into the shared output buffer. Failures of the task come back as values,
// so a rejected `run` on the host always means the thread itself died.
import { workerData } from 'node:worker_threads';
import { isBackendName, instantiate, setDefaultInstance } from '../wasm/index.js';
import { type ShardRequest, runShard, type ShardResult } from './shard.js';

const backend: unknown = (workerData as { backend?: unknown } | undefined)?.backend;
if (isBackendName(backend)) setDefaultInstance(instantiate(backend));

export default function work(request: ShardRequest): ShardResult {
  try {
    runShard(request);
    return { ok: true };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    return { ok: false, name: e.name, message: e.message };
  }
}
