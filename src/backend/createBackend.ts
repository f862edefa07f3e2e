import { requireOneOf } from '../check/index.js';
import { bindHash, type HashApi } from '../hash/index.js';
import { bindSig, type SigApi } from '../sig/index.js';
import { BACKEND_NAMES, type BackendName, inspectAs, instantiate } from '../wasm/index.js';

/** An independent WASM instance of one backend with the same functions as the package. */
export interface Backend extends HashApi, SigApi {
  readonly name: BackendName;
}

/**
 * Creates a backend with its own WASM instance and memory, for tests and side-by-side
 * benchmarks. Throws `UnsupportedBackendError` for `simd` on a host without SIMD.
 */
export function createBackend(name: BackendName): Backend {
  const instance = instantiate(requireOneOf(name, 'createBackend', 'name', BACKEND_NAMES));
  const backend: Backend = { name, ...bindHash(instance), ...bindSig(instance) };
  // Not enumerable: spreading or listing a backend gives its functions only.
  inspectAs(backend, () => `Backend { name: '${name}', memory: ${instance.u8.length} bytes }`);
  return backend;
}
