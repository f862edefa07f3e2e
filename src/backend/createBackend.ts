import { requireOneOf } from '../check/index.js';
import { bindHash, type HashApi } from '../hash/index.js';
import { bindSig, type SigApi } from '../sig/index.js';
import { BACKEND_NAMES, type BackendName, inspectAs, instantiate } from '../wasm/index.js';

/** An independent WASM instance of one backend with the same functions as the package. */
export interface Backend extends HashApi, SigApi {
  readonly name: BackendName;
}

/**
 * Creates a backend with its own WASM instances (one per kernel family) and memory, for tests and
 * side-by-side benchmarks. Throws `UnsupportedBackendError` for `simd` on a host without SIMD.
 */
export function createBackend(name: BackendName): Backend {
  requireOneOf(name, 'createBackend', 'name', BACKEND_NAMES);
  const hash = instantiate('hash', name);
  const sig = instantiate('sig', name);
  const backend: Backend = { name, ...bindHash(hash), ...bindSig(sig) };
  // Not enumerable: spreading or listing a backend gives its functions only.
  inspectAs(backend, () => `Backend { name: '${name}', memory: ${hash.u8.length + sig.u8.length} bytes }`);
  return backend;
}
