import type { ShardRequest, ShardResult } from '../shards/index.js';
import type { BackendName, CompiledModule, Family } from '../wasm/index.js';

// What the page and a pool worker say to each other. One shard at a time per worker, so
// answers need no ids.

/** Page → worker: first `start` (the page's compiled module of each family; the Web Lock to hold while alive, if locks exist), then shards. */
export type HostMessage = { kind: 'start'; backend: BackendName; modules: Record<Family, CompiledModule>; lock: string | null } | { kind: 'shard'; request: ShardRequest };

/** Worker → page: `ready` once it can run shards (holding its lock), then one `done` per shard. */
export type WorkerMessage = { kind: 'ready' } | { kind: 'done'; result: ShardResult };
