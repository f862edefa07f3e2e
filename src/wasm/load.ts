import { ArgumentRangeError, ArgumentTypeError, requireOneOf } from '../check/index.js';
import { NotInitializedError, UnsupportedBackendError } from '../errors/index.js';
import { canLoad, wasmBytes } from './builds.js';
import { detectFeatures } from './detect.js';
import { embeddedWasm } from './embedded.js';
import { type BackendName, WasmInstance } from './instance.js';

const modules: Partial<Record<BackendName, WebAssembly.Module>> = {};
const compiling: Partial<Record<BackendName, Promise<WebAssembly.Module>>> = {};

/** The backends there are; an option naming another is refused with this list. */
export const BACKEND_NAMES: readonly BackendName[] = ['scalar', 'simd'];

export function isBackendName(value: unknown): value is BackendName {
  return value === 'scalar' || value === 'simd';
}

/** Refuses an unknown backend (named as the argument `backend` of `where`) and simd on a host without it. */
function checkSupported(backend: BackendName, where: string): void {
  requireOneOf(backend, where, 'backend', BACKEND_NAMES);
  if (backend === 'simd' && !detectFeatures().simd) {
    throw new UnsupportedBackendError('the simd backend needs WebAssembly 128-bit SIMD, which this host does not support; use the scalar backend');
  }
}

const imports = {
  env: {
    abort(): never {
      throw new Error('swarmguard WASM kernel aborted');
    },
  },
};

/**
 * The compiled module for `backend`, compiled synchronously on first use and cached. Where builds
 * are fetched (browser bundles), only once `init()` has fetched this one.
 */
export function compiledModule(backend: BackendName): WebAssembly.Module {
  checkSupported(backend, 'compiledModule');
  const cached = modules[backend];
  if (cached !== undefined) return cached;
  const bytes = embeddedWasm(backend);
  if (bytes === undefined) {
    throw new NotInitializedError(
      `swarmguard's ${backend} WASM is fetched on demand in a browser bundle and is not loaded yet; call \`await init()\` first (\`await init({ backend: '${backend}' })\` for this backend)`,
    );
  }
  return (modules[backend] = new WebAssembly.Module(bytes as BufferSource));
}

/** Fetches (where not embedded) and compiles `backend` without blocking; cached like `compiledModule`. */
function loadModule(backend: BackendName): Promise<WebAssembly.Module> {
  checkSupported(backend, 'loadModule');
  const cached = modules[backend];
  if (cached !== undefined) return Promise.resolve(cached);
  const pending = (compiling[backend] ??= wasmBytes(backend)
    .then((bytes) => WebAssembly.compile(bytes as BufferSource))
    .then((module) => (modules[backend] = module))
    .finally(() => delete compiling[backend]));
  return pending;
}

/** Instantiates a new, independent instance of `backend` synchronously (Node, workers, or once loaded). */
export function instantiate(backend: BackendName): WasmInstance {
  checkSupported(backend, 'instantiate');
  return new WasmInstance(backend, new WebAssembly.Instance(compiledModule(backend), imports));
}

/** Instantiates `backend` asynchronously: what a browser main thread must use. */
export async function instantiateAsync(backend: BackendName): Promise<WasmInstance> {
  checkSupported(backend, 'instantiateAsync');
  return new WasmInstance(backend, await WebAssembly.instantiate(await loadModule(backend), imports));
}

/**
 * The backend chosen at load: `SWARMGUARD_BACKEND` if set, else simd where supported (and
 * loadable: a browser fetches it deflated, so it needs DecompressionStream).
 */
export function preferredBackend(): BackendName {
  const env = typeof process === 'object' ? process.env?.SWARMGUARD_BACKEND : undefined;
  if (env !== undefined && env !== '') return requireOneOf(env, 'environment', 'SWARMGUARD_BACKEND', BACKEND_NAMES);
  return detectFeatures().simd && canLoad('simd') ? 'simd' : 'scalar';
}

let current: WasmInstance | undefined;

/**
 * The instance behind the package-level functions. Created on first use with a synchronous
 * compile where the builds are embedded (Node); in a browser bundle, `await init()` must come first.
 */
export function defaultInstance(): WasmInstance {
  if (current) return current;
  try {
    current = instantiate(preferredBackend());
  } catch (err) {
    if (err instanceof ArgumentTypeError || err instanceof ArgumentRangeError || err instanceof UnsupportedBackendError || err instanceof NotInitializedError) throw err;
    throw new NotInitializedError('swarmguard could not compile its WASM synchronously here; call `await init()` first', { cause: err });
  }
  return current;
}

export function setDefaultInstance(instance: WasmInstance): void {
  current = instance;
}

export function hasDefaultInstance(): boolean {
  return current !== undefined;
}
