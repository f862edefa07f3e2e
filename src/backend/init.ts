import { requireArray, requireOneOf, requireOptions } from '../check/index.js';
import { BACKEND_NAMES, FAMILIES, type BackendName, detectFeatures, installBackend, installedBackend, preferredBackend } from '../wasm/index.js';

export interface Features {
  simd: boolean;
  relaxedSimd: boolean;
  /** The backend behind the package-level functions. */
  backend: BackendName;
  threads: boolean;
}

export interface InitOptions {
  /** Overrides the automatic choice (and `SWARMGUARD_BACKEND`). */
  backend?: BackendName;
  /**
   * Kernel families to load besides those the program's modules use: `['pq']` where ML-DSA is
   * needed only on some networks (the 'ed25519+mldsa65' consensus scheme reads it on demand).
   */
  families?: readonly ('hash' | 'sig' | 'pq')[];
}

/**
 * Compiles and installs the default backend asynchronously: the WASM of each kernel family the
 * program uses (in a browser bundle, fetched then). Needed on a browser main thread before the
 * first call; elsewhere optional, and useful to force a backend.
 */
export async function init(options?: InitOptions): Promise<Features> {
  const { backend, families } = requireOptions(options, 'init', 'options', ['backend', 'families']);
  const extra = families === undefined ? [] : requireArray(families, 'init', 'options.families').map((f, i) => requireOneOf(f, 'init', `options.families[${i}]`, FAMILIES));
  await installBackend(backend === undefined ? preferredBackend() : requireOneOf(backend, 'init', 'options.backend', BACKEND_NAMES), extra);
  return features();
}

/** What this host supports and which backend is in use. */
export function features(): Features {
  const host = detectFeatures();
  return { simd: host.simd, relaxedSimd: host.relaxedSimd, backend: installedBackend() ?? preferredBackend(), threads: host.threads };
}
