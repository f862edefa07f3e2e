import { requireOneOf } from '../check/index.js';
import { bindHash, type HashApi } from '../hash/index.js';
import { bindSig, mldsaOn, type PqApi, type SigApi } from '../sig/index.js';
import { BACKEND_NAMES, type BackendName, inspectAs, instantiate, type PqKernels, type WasmInstance } from '../wasm/index.js';

/** An independent WASM instance of one backend with the same functions as the package. */
export interface Backend extends HashApi, SigApi, PqApi {
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
  // ML-DSA's instance is made on first use: a page that fetched only the hash and sig families
  // (its code uses no ML-DSA) can still create backends.
  let pq: WasmInstance<PqKernels> | undefined;
  const pqInstance = () => (pq ??= instantiate('pq', name));
  const ml: PqApi = { mldsa44: mldsaOn('ML-DSA-44', pqInstance), mldsa65: mldsaOn('ML-DSA-65', pqInstance), mldsa87: mldsaOn('ML-DSA-87', pqInstance) };
  const backend: Backend = { name, ...bindHash(hash), ...bindSig(sig), ...ml };
  // Not enumerable: spreading or listing a backend gives its functions only.
  inspectAs(backend, () => `Backend { name: '${name}', memory: ${hash.u8.length + sig.u8.length + (pq?.u8.length ?? 0)} bytes }`);
  return backend;
}
