import { abortError, PoolWorkerMissingError, type ShardRequest, type ShardResult, WorkerCrashedError } from '../shards/index.js';
import type { BackendName, CompiledModule, Family } from '../wasm/index.js';
import type { HostMessage, WorkerMessage } from './messages.js';

// A fixed number of module Web Workers, each running one shard at a time from a queue. A worker
// that dies is replaced and the shard it was running fails with WorkerCrashedError. Deaths are
// seen through the `error` event (an uncaught error: the worker would live on, so it is stopped)
// and, where the Web Locks API exists (secure contexts), through a lock each worker holds while
// alive: self.close() and terminate() send no event at all.

interface Task {
  request: ShardRequest;
  resolve(result: ShardResult): void;
  reject(error: unknown): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  task: Task | null;
  gone: boolean;
  /** Cancels the page's wait on the worker's lock. */
  watch: AbortController | null;
}

function lockManager(): LockManager | undefined {
  return typeof navigator === 'object' ? navigator.locks : undefined;
}

/** A name no other pool, page or tab of this origin uses (Web Locks are shared by the origin). */
function uniqueName(): string {
  return typeof crypto === 'object' && typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
}

export class WebWorkers {
  private readonly slots = new Set<Slot>();
  private readonly queue: Task[] = [];
  private readonly prefix = `swarmguard-pool-${uniqueName()}`;
  private serial = 0;

  /** `url`: the worker script (`ownsUrl`: a Blob URL to revoke at close). */
  constructor(
    private readonly size: number,
    private readonly backend: BackendName,
    private readonly modules: Record<Family, CompiledModule>,
    private readonly url: string,
    private readonly ownsUrl: boolean,
  ) {
    this.fill();
  }

  /** The live workers (diagnostics; tests stop one to check recovery). */
  get workers(): Worker[] {
    return [...this.slots].map((s) => s.worker);
  }

  run(request: ShardRequest, signal: AbortSignal | undefined): Promise<ShardResult> {
    return new Promise<ShardResult>((resolve, reject) => {
      const onAbort = () => this.abort(task, signal as AbortSignal);
      const done = () => signal?.removeEventListener('abort', onAbort);
      const task: Task = {
        request,
        resolve: (result) => (done(), resolve(result)),
        reject: (error) => (done(), reject(error)),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(task);
      this.fill();
      this.pump();
    });
  }

  /** Ends every worker; the pool let every shard settle first. */
  close(): void {
    for (const slot of this.slots) this.retire(slot);
    if (this.ownsUrl) URL.revokeObjectURL(this.url);
  }

  /** Starts workers up to `size`: at creation, on demand after failed starts, and to replace the dead. */
  private fill(): void {
    for (let n = this.size - this.slots.size; n > 0; n--) this.spawn();
  }

  private spawn(): void {
    const name = `${this.prefix}-${this.serial++}`;
    let worker: Worker;
    try {
      worker = new Worker(this.url, { type: 'module', name });
    } catch (err) {
      return this.failedToStart(String(err));
    }
    const slot: Slot = { worker, ready: false, task: null, gone: false, watch: null };
    this.slots.add(slot);
    worker.onmessage = (event: MessageEvent<WorkerMessage>) => this.onMessage(slot, event.data, name);
    worker.onmessageerror = () => this.died(slot, 'a message from it could not be read');
    worker.onerror = (event) => {
      // Handled here: not reported again as the page's own uncaught error.
      event.preventDefault();
      if (slot.gone) return;
      if (slot.ready) this.died(slot, event.message ?? 'an uncaught error');
      else {
        this.retire(slot);
        this.failedToStart(event.message ?? 'the script did not load');
      }
    };
    const lock = lockManager() === undefined ? null : name;
    worker.postMessage({ kind: 'start', backend: this.backend, modules: this.modules, lock } satisfies HostMessage);
  }

  private onMessage(slot: Slot, message: WorkerMessage, name: string): void {
    if (slot.gone) return;
    if (message.kind === 'ready') {
      slot.ready = true;
      const locks = lockManager();
      if (locks !== undefined) {
        slot.watch = new AbortController();
        locks.request(name, { signal: slot.watch.signal }, () => this.died(slot, 'it ended (closed itself or was terminated)')).catch(() => {});
      }
    } else {
      const task = slot.task;
      slot.task = null;
      task?.resolve(message.result);
    }
    this.pump();
  }

  /** Gives queued shards to idle ready workers. */
  private pump(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (!slot.ready || slot.task !== null) continue;
      const task = this.queue.shift() as Task;
      const { request } = task;
      // Plain buffers move to the worker (the page's copies become detached); shared ones are read in place.
      const transfer = request.output === null ? [request.batch.data as ArrayBuffer, request.batch.table as ArrayBuffer] : [];
      slot.task = task;
      try {
        slot.worker.postMessage({ kind: 'shard', request } satisfies HostMessage, transfer);
      } catch (err) {
        slot.task = null;
        task.reject(err);
      }
    }
  }

  private abort(task: Task, signal: AbortSignal): void {
    const queued = this.queue.indexOf(task);
    if (queued >= 0) this.queue.splice(queued, 1);
    const running = [...this.slots].find((slot) => slot.task === task);
    if (running !== undefined) {
      // A running shard cannot be interrupted: its worker is stopped and replaced.
      running.task = null;
      this.retire(running);
      this.fill();
    }
    task.reject(abortError(signal));
  }

  private died(slot: Slot, reason: string): void {
    if (slot.gone) return;
    const task = slot.task;
    slot.task = null;
    this.retire(slot);
    task?.reject(new WorkerCrashedError(`a pool worker died while running ${task.request.operation}: ${reason}`));
    this.fill();
    this.pump();
  }

  /** A worker that never became ready: the script is missing, refused (CSP) or broken; waiting shards fail. */
  private failedToStart(reason: string): void {
    const error = new PoolWorkerMissingError(
      `the pool's Web Worker could not start (${this.ownsUrl ? "a blob: URL: a Content-Security-Policy must allow worker-src blob:, or pass workerUrl" : `workerUrl ${this.url}`}): ${reason}`,
    );
    for (const task of this.queue.splice(0)) task.reject(error);
  }

  private retire(slot: Slot): void {
    slot.gone = true;
    this.slots.delete(slot);
    slot.watch?.abort();
    slot.worker.terminate();
  }
}
