import { ArgumentTypeError, requireOneOf, requireOptions } from '../check/index.js';
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

/** Options of the proof verifiers: the hash comes from the proof, so only where it runs. */
export interface MerkleVerifyOptions {
  /** Run on this backend instead of the package default. */
  backend?: BackendName;
}

/** One shared instance per explicitly requested backend, for the free functions. */
const shared: Partial<Record<BackendName, WasmInstance>> = {};

function kernelsOn(backend: BackendName | undefined, hash: MerkleHash): MerkleKernels {
  const wasm = backend === undefined ? defaultInstance() : (shared[backend] ??= instantiate(backend));
  return merkleKernels(wasm, hash);
}

/** Kernels for the free function `where`: on the default instance unless its options name a backend. */
export function sharedKernels(options: MerkleOptions | undefined, where: string): MerkleKernels {
  const { hash = 'sha256', backend } = requireMerkleOptions(options, where);
  return kernelsOn(backend, hash);
}

/** Kernels for the verifier `where` of a proof made with `hash`. */
export function proofKernels(hash: MerkleHash, options: MerkleVerifyOptions | undefined, where: string): MerkleKernels {
  if (options !== null && typeof options === 'object' && 'hash' in options) {
    throw new ArgumentTypeError(where, 'options.hash', "is not an option: the proof carries its tree's hash (proof.hash)");
  }
  const { backend } = requireOptions(options, where, 'options', ['backend']);
  return kernelsOn(backend === undefined ? undefined : requireOneOf(backend, where, 'options.backend', BACKEND_NAMES), hash);
}
