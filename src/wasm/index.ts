export { detectFeatures } from './detect.js';
export type { HashKernels, PqKernels, SigKernels } from './generated/kernels.js';
export { type BackendName, type Family, INSPECT, inspectAs, WasmInstance } from './instance.js';
export {
  BACKEND_NAMES,
  type CompiledModule,
  compiledModule,
  FAMILIES,
  defaultOf,
  onDemandOf,
  installBackend,
  loadDefaults,
  installedBackend,
  instantiate,
  instantiateCompiled,
  isBackendName,
  preferredBackend,
  setDefaultInstance,
} from './load.js';
export { forEachBatch, itemBytes, MAX_BATCH_ITEMS, packItems, putItems } from './batches.js';
