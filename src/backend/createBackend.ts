import { requireOneOf } from '../check/index.js';
import { bindHash, type HashApi } from '../hash/index.js';
import { bindSig, type SigApi } from '../sig/index.js';
import { BACKEND_NAMES, type BackendName, instantiate } from '../wasm/index.js';

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
  return { name, ...bindHash(instance), ...bindSig(instance) };
}
