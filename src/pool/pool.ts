import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { ArgumentRangeError } from '../check/index.js';
import {
  abortError,
  checkPoolOptions,
  PoolWorkerMissingError,
  type PoolOptions,
  ShardedPool,
  type ShardRequest,
  type ShardResult,
  WorkerCrashedError,
} from '../shards/index.js';
import { compiledModule, FAMILIES } from '../wasm/index.js';

/**
 * The compiled worker. Under vitest or a TypeScript loader this module runs from src/*.ts, but
 * worker threads need JavaScript: use the `tsc` output in dist/ (the test command builds it).
 */
function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return join(dirname(here), 'worker.js');
  const compiled = join(dirname(here), '..', '..', 'dist', 'src', 'pool', 'worker.js');
  if (!existsSync(compiled)) {
    throw new PoolWorkerMissingError(`the pool runs its workers from compiled JavaScript; ${compiled} is missing — run \`npx tsc -p tsconfig.json\` first`);
  }
  return compiled;
}

/**
 * A pool of worker threads (Piscina) running swarmguard's batch operations on their own WASM
 * instances. Batches cross threads packed in SharedArrayBuffers; tiny batches run inline. Idle
 * workers never keep the process alive; `close()` drains and stops them.
 */
export class Pool extends ShardedPool {
  private readonly piscina: Piscina<ShardRequest, ShardResult>;

  /** Prefer `createPool`, whose name the argument errors carry. */
  constructor(options?: PoolOptions) {
    const settings = checkPoolOptions(options, availableParallelism);
    if (settings.workerUrl !== undefined) {
      throw new ArgumentRangeError('createPool', 'options.workerUrl', 'is for browsers: worker threads start from the package\'s own dist/src/pool/worker.js');
    }
    super({ ...settings, buffers: 'shared' });
    // Fails here (UnsupportedBackendError) rather than in every worker's bootstrap.
    for (const family of FAMILIES) compiledModule(family, this.backend);
    this.piscina = new Piscina({
      filename: workerFile(),
      minThreads: this.threads,
      maxThreads: this.threads,
      workerData: { backend: this.backend },
    });
  }

  protected async send(request: ShardRequest, signal: AbortSignal | undefined): Promise<ShardResult> {
    try {
      return await this.piscina.run(request, { signal });
    } catch (err) {
      if (signal?.aborted) throw abortError(signal);
      throw new WorkerCrashedError(`a pool worker died while running ${request.operation}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }

  protected stop(): Promise<void> {
    return this.piscina.close();
  }

  /** The live worker threads (diagnostics; tests stop one to check recovery). */
  get workers(): readonly import('node:worker_threads').Worker[] {
    return this.piscina.threads;
  }
}

/** Creates a worker pool; see `Pool`. */
export function createPool(options?: PoolOptions): Pool {
  return new Pool(options);
}
