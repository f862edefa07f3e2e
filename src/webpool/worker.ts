// The browser pool's worker (a module Web Worker). scripts/buildWebWorker.mjs bundles it, less
// the WASM builds (the page posts its compiled modules instead), into `webWorkerSource`, the
// script the pool starts from a Blob URL or the page serves at `workerUrl`.
import { runShard } from '../shards/index.js';
import { FAMILIES, instantiateCompiled, setDefaultInstance } from '../wasm/index.js';
import type { HostMessage, WorkerMessage } from './messages.js';

interface WorkerScope {
  onmessage: ((event: MessageEvent<HostMessage>) => void) | null;
  postMessage(message: WorkerMessage, transfer?: Transferable[]): void;
  navigator: { locks: LockManager };
}
const scope = globalThis as unknown as WorkerScope;

scope.onmessage = ({ data }) => {
  if (data.kind === 'shard') {
    const result = runShard(data.request);
    const back = result.ok && result.output && result.spent ? [result.output, result.spent.data as ArrayBuffer, result.spent.table as ArrayBuffer] : [];
    scope.postMessage({ kind: 'done', result }, back);
    return;
  }
  for (const family of FAMILIES) setDefaultInstance(family, instantiateCompiled(family, data.backend, data.modules[family]));
  if (data.lock === null) return scope.postMessage({ kind: 'ready' });
  // Held until this worker ends, however it ends (self.close(), terminate(), the browser
  // stopping it), none of which sends the page an event: the page waits on the same lock.
  void scope.navigator.locks.request(data.lock, () => {
    scope.postMessage({ kind: 'ready' });
    return new Promise<never>(() => {});
  });
};
