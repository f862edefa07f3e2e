// Piscina worker: runs one shard of a packed batch on this thread's own WASM instance and
// writes its output into the shared output buffer (src/shards/shard.ts).
import { workerData } from 'node:worker_threads';
import { runShard } from '../shards/index.js';
import { FAMILIES, isBackendName, instantiate, setDefaultInstance } from '../wasm/index.js';

const backend: unknown = (workerData as { backend?: unknown } | undefined)?.backend;
if (isBackendName(backend)) for (const family of FAMILIES) setDefaultInstance(family, instantiate(family, backend));

export default runShard;
