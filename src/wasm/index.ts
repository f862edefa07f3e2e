export { detectFeatures } from './detect.js';
export type { HashKernels, SigKernels } from './generated/kernels.js';
export { type BackendName, INSPECT, inspectAs, WasmInstance } from './instance.js';
export {
  BACKEND_NAMES,
  compiledModule,
  defaultOf,
  installBackend,
  installedBackend,
  instantiate,
  isBackendName,
  preferredBackend,
  setDefaultInstance,
} from './load.js';
export { forEachBatch, itemBytes, MAX_BATCH_ITEMS, packItems, putItems } from './batches.js';
