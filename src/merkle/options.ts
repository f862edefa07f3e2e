import { requireOneOf, requireOptions } from '../check/index.js';
import { BACKEND_NAMES, type BackendName, defaultInstance, instantiate, type WasmInstance } from '../wasm/index.js';
import { MERKLE_HASHES, type MerkleHash, type MerkleKernels, merkleKernels } from './kernels.js';

export interface MerkleOptions {
  /** `'sha256'` (default, RFC 9162) or `'blake3'` (the same structure and prefixes with BLAKE3-256). */
  hash?: MerkleHash;
  /** Run on this backend instead of the package default (tests and benchmarks compare both). */
  backend?: BackendName;
}

/** The options of the Merkle function `where`, checked. */
export function requireMerkleOptions(options: MerkleOptions | undefined, where: string): MerkleOptions {
  const { hash, backend } = requireOptions(options, where, 'options', ['hash', 'backend']);
  return {
    hash: hash === undefined ? undefined : requireOneOf(hash, where, 'options.hash', MERKLE_HASHES),
    backend: backend === undefined ? undefined : requireOneOf(backend, where, 'options.backend', BACKEND_NAMES),
  };
}

/** One shared instance per explicitly requested backend, for the free functions. */
const shared: Partial<Record<BackendName, WasmInstance>> = {};

/** Kernels for the free function `where`: on the default instance unless its options name a backend. */
export function sharedKernels(options: MerkleOptions | undefined, where: string): MerkleKernels {
  const { hash = 'sha256', backend } = requireMerkleOptions(options, where);
  const wasm = backend === undefined ? defaultInstance() : (shared[backend] ??= instantiate(backend));
  return merkleKernels(wasm, hash);
}
