import { ArgumentRangeError, ArgumentTypeError, describe } from '../check/index.js';
import { checkPoolOptions, type PoolOptions, ShardedPool, type ShardRequest, type ShardResult } from '../shards/index.js';
import { compiledModule } from '../wasm/index.js';
import { webWorkerSource } from './generated/workerSource.js';
import { WebWorkers } from './webWorkers.js';

/** Cores to use when the browser does not say (`navigator.hardwareConcurrency` is missing in some privacy modes). */
const FALLBACK_THREADS = 4;

function cores(): number {
  const n = typeof navigator === 'object' ? navigator.hardwareConcurrency : undefined;
  return typeof n === 'number' && n >= 1 ? Math.min(n, 1024) : FALLBACK_THREADS;
}

/** SharedArrayBuffer can be posted to workers only in cross-origin-isolated pages (COOP + COEP headers). */
function canShareMemory(): boolean {
  return globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function';
}

function requireWorkerUrl(url: unknown): string | undefined {
  if (url === undefined) return undefined;
  if (typeof url !== 'string' && !(url instanceof URL)) throw new ArgumentTypeError('createPool', 'options.workerUrl', `must be a string or a URL, got ${describe(url)}`);
  if (String(url) === '') throw new ArgumentRangeError('createPool', 'options.workerUrl', 'must not be empty');
  return String(url);
}

/**
 * The browser's pool: module Web Workers running swarmguard's batch operations on their own
 * WASM instances, with the Node pool's API. Batches cross in SharedArrayBuffers in
 * cross-origin-isolated pages and as transferred ArrayBuffers elsewhere (`buffers`).
 */
export class Pool extends ShardedPool {
  private readonly set: WebWorkers;

  /** Prefer `createPool`, whose name the argument errors carry. */
  constructor(options?: PoolOptions) {
    const settings = checkPoolOptions(options, cores);
    const workerUrl = requireWorkerUrl(settings.workerUrl);
    super({ ...settings, buffers: canShareMemory() ? 'shared' : 'transfer' });
    // Compiled once here (UnsupportedBackendError here, not in every worker); workers get the
    // modules. In a page, `await init()` fetched them (every family: the pool runs the kernels of each).
    const modules = { hash: compiledModule('hash', this.backend), sig: compiledModule('sig', this.backend), pq: compiledModule('pq', this.backend) };
    // The default script is built into the package and started from a Blob URL: nothing to serve or configure.
    const url = workerUrl ?? URL.createObjectURL(new Blob([webWorkerSource], { type: 'text/javascript' }));
    this.set = new WebWorkers(this.threads, this.backend, modules, url, workerUrl === undefined);
  }

  protected send(request: ShardRequest, signal: AbortSignal | undefined): Promise<ShardResult> {
    return this.set.run(request, signal);
  }

  protected async stop(): Promise<void> {
    this.set.close();
  }

  /** The live Web Workers (diagnostics; tests stop one to check recovery). */
  get workers(): readonly Worker[] {
    return this.set.workers;
  }
}

/** Creates a Web Worker pool; see `Pool`. */
export function createPool(options?: PoolOptions): Pool {
  return new Pool(options);
}
