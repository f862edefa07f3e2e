export { detectFeatures } from './detect.js';
export type { Kernels } from './generated/kernels.js';
export { type BackendName, INSPECT, inspectAs, WasmInstance } from './instance.js';
export {
  BACKEND_NAMES,
  type CompiledModule,
  compiledModule,
  defaultInstance,
  hasDefaultInstance,
  instantiate,
  instantiateAsync,
  instantiateCompiled,
  isBackendName,
  preferredBackend,
  setDefaultInstance,
} from './load.js';
export { forEachBatch, itemBytes, MAX_BATCH_ITEMS, packItems, putItems } from './batches.js';
