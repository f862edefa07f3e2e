import { type BackendName, defaultInstance, instantiate, isBackendName, type WasmInstance } from '../wasm/index.js';
import { type MerkleHash, type MerkleKernels, merkleKernels } from './kernels.js';

export interface MerkleOptions {
  /** `'sha256'` (default, RFC 9162) or `'blake3'` (the same structure and prefixes with BLAKE3-256). */
  hash?: MerkleHash;
  /** Run on this backend instead of the package default (tests and benchmarks compare both). */
  backend?: BackendName;
}

export function isMerkleHash(value: unknown): value is MerkleHash {
  return value === 'sha256' || value === 'blake3';
}

export function requireOptions(options: unknown): MerkleOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  const { hash, backend } = options as MerkleOptions;
  if (hash !== undefined && !isMerkleHash(hash)) {
    throw new TypeError(`options.hash must be 'sha256' or 'blake3', got ${JSON.stringify(hash)}`);
  }
  if (backend !== undefined && !isBackendName(backend)) {
    throw new TypeError(`options.backend must be 'scalar' or 'simd', got ${JSON.stringify(backend)}`);
  }
  return { hash, backend };
}

/** One shared instance per explicitly requested backend, for the free functions. */
const shared: Partial<Record<BackendName, WasmInstance>> = {};

/** Kernels for the free functions: on the default instance unless a backend is named. */
export function sharedKernels(options: unknown): MerkleKernels {
  const { hash = 'sha256', backend } = requireOptions(options);
  const wasm = backend === undefined ? defaultInstance() : (shared[backend] ??= instantiate(backend));
  return merkleKernels(wasm, hash);
}
