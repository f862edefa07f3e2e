export { detectFeatures, type HostFeatures } from './detect.js';
export { type BackendName, type Kernel, WasmInstance } from './instance.js';
export {
  compiledModule,
  defaultInstance,
  hasDefaultInstance,
  instantiate,
  instantiateAsync,
  isBackendName,
  preferredBackend,
  setDefaultInstance,
} from './load.js';
