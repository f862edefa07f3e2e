import { ArgumentRangeError, ArgumentTypeError, requireOneOf } from '../check/index.js';
import { NotInitializedError, UnsupportedBackendError } from '../errors/index.js';
import { canLoad, wasmBytes } from './builds.js';
import { detectFeatures } from './detect.js';
import { embeddedWasm } from './embedded.js';
import { type BackendName, type Family, type FamilyKernels, WasmInstance } from './instance.js';

type Modules = Record<Family, Partial<Record<BackendName, WebAssembly.Module>>>;
const modules: Modules = { hash: {}, sig: {}, pq: {} };
const compiling: Record<Family, Partial<Record<BackendName, Promise<WebAssembly.Module>>>> = { hash: {}, sig: {}, pq: {} };

/** The kernel families, each a WASM module of its own per backend. */
export const FAMILIES: readonly Family[] = ['hash', 'sig', 'pq'];

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
 * The compiled module of `family` for `backend`, compiled synchronously on first use and cached.
 * Where builds are fetched (browser bundles), only once `init()` has fetched this one.
 */
export function compiledModule(family: Family, backend: BackendName): WebAssembly.Module {
  checkSupported(backend, 'compiledModule');
  const cached = modules[family][backend];
  if (cached !== undefined) return cached;
  const bytes = embeddedWasm(family, backend);
  if (bytes === undefined) {
    const call = used.has(family) ? 'init()' : `init({ families: ['${family}'] })`;
    throw new NotInitializedError(
      `swarmguard's ${backend} WASM (${family}) is fetched on demand in a browser bundle and is not loaded yet; call \`await ${call}\` first (with \`backend: '${backend}'\` among the options for this backend)`,
    );
  }
  return (modules[family][backend] = new WebAssembly.Module(bytes as BufferSource));
}

/** Fetches (where not embedded) and compiles `family`'s `backend` build without blocking; cached like `compiledModule`. */
function loadModule(family: Family, backend: BackendName): Promise<WebAssembly.Module> {
  const cached = modules[family][backend];
  if (cached !== undefined) return Promise.resolve(cached);
  return (compiling[family][backend] ??= wasmBytes(family, backend)
    .then((bytes) => WebAssembly.compile(bytes as BufferSource))
    .then((module) => (modules[family][backend] = module))
    .finally(() => delete compiling[family][backend]));
}

/** Instantiates a new, independent instance of `family` on `backend` synchronously (Node, workers, or once loaded). */
export function instantiate<F extends Family>(family: F, backend: BackendName): WasmInstance<FamilyKernels[F]> {
  checkSupported(backend, 'instantiate');
  return new WasmInstance<FamilyKernels[F]>(backend, new WebAssembly.Instance(compiledModule(family, backend), imports));
}

/** A compiled module, as `compiledModule` returns it; it can be posted to Web Workers. */
export type CompiledModule = WebAssembly.Module;

/**
 * Instantiates `family` on `backend` from a module compiled elsewhere (a browser pool's worker is
 * sent its page's): no fetch, no compile. Later `compiledModule(family, backend)` calls reuse it.
 */
export function instantiateCompiled<F extends Family>(family: F, backend: BackendName, module: CompiledModule): WasmInstance<FamilyKernels[F]> {
  checkSupported(backend, 'instantiateCompiled');
  modules[family][backend] ??= module;
  return new WasmInstance<FamilyKernels[F]>(backend, new WebAssembly.Instance(module, imports));
}

/** Instantiates `family` on `backend` asynchronously: what a browser main thread must use. */
async function instantiateAsync<F extends Family>(family: F, backend: BackendName): Promise<WasmInstance<FamilyKernels[F]>> {
  checkSupported(backend, 'instantiateAsync');
  return new WasmInstance<FamilyKernels[F]>(backend, await WebAssembly.instantiate(await loadModule(family, backend), imports));
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

/** The backend of the package-level functions, once chosen (by `init`, or by a first call). */
let installed: BackendName | undefined;
const current: { [F in Family]?: WasmInstance<FamilyKernels[F]> } = {};
/** The families whose default instance some module of this bundle reads (`defaultOf`). */
const used = new Set<Family>();

/**
 * The instance of `family` behind the package-level functions. Created on first use with a
 * synchronous compile where the builds are embedded (Node); in a browser bundle, `await init()`
 * must come first.
 */
function defaultInstance<F extends Family>(family: F): WasmInstance<FamilyKernels[F]> {
  const existing = current[family];
  if (existing) return existing;
  const backend = installed ?? preferredBackend();
  let instance: WasmInstance<FamilyKernels[F]>;
  try {
    instance = instantiate(family, backend);
  } catch (err) {
    if (err instanceof ArgumentTypeError || err instanceof ArgumentRangeError || err instanceof UnsupportedBackendError || err instanceof NotInitializedError) throw err;
    throw new NotInitializedError('swarmguard could not compile its WASM synchronously here; call `await init()` first', { cause: err });
  }
  setDefaultInstance(family, instance);
  return instance;
}

/**
 * The reader of `family`'s default instance, for a module whose functions run on it. Asking for it
 * (at the module's top level) is what tells `init()` to load the family: a bundle that leaves the
 * module out, because nothing of it is used, never fetches the family's WASM.
 */
export function defaultOf<F extends Family>(family: F): () => WasmInstance<FamilyKernels[F]> {
  used.add(family);
  return () => defaultInstance(family);
}

/**
 * The reader of `family`'s default instance for code that needs the family on some runs only: it
 * does not register the family, so `init()` fetches it only when asked (`installBackend`'s
 * `extra`). Where builds are embedded it compiles on first use like any other.
 */
export function onDemandOf<F extends Family>(family: F): () => WasmInstance<FamilyKernels[F]> {
  return () => defaultInstance(family);
}

/**
 * Makes `backend` the package's: fetches (where not embedded) and compiles, without blocking, the
 * build of every family this program uses and of the `extra` ones (read on demand), then installs
 * them as the defaults together. A family first used later gets `backend` too (synchronously, so
 * in a browser once fetched).
 */
export async function installBackend(backend: BackendName, extra: readonly Family[] = []): Promise<void> {
  checkSupported(backend, 'installBackend');
  await installDefaults(wanted(extra), backend, true);
  installed = backend;
}

/**
 * Loads, without blocking, the default instance of each family this program uses (and of `extra`)
 * that has none yet, on the package's backend: what a library's own entry point awaits, so that it
 * never replaces a backend the application chose with `init`.
 */
export async function loadDefaults(extra: readonly Family[] = []): Promise<void> {
  await installDefaults(wanted(extra).filter((family) => current[family] === undefined), installed ?? preferredBackend(), false);
}

/** The families this program uses, and `extra`. */
function wanted(extra: readonly Family[]): Family[] {
  return [...new Set([...used, ...extra])];
}

/**
 * Compiles `families` on `backend` without blocking, then installs them as the defaults together;
 * with `replace` false, a family that got a default meanwhile (a synchronous first use) keeps it.
 */
async function installDefaults(families: Family[], backend: BackendName, replace: boolean): Promise<void> {
  const instances = await Promise.all(families.map((family) => instantiateAsync(family, backend)));
  families.forEach((family, i) => {
    if (replace || current[family] === undefined) setDefaultInstance(family, instances[i]);
  });
}

/** Makes `instance` the default of `family`, and its backend the package's. */
export function setDefaultInstance<F extends Family>(family: F, instance: WasmInstance<FamilyKernels[F]>): void {
  (current as Record<F, WasmInstance<FamilyKernels[F]>>)[family] = instance;
  installed = instance.backend;
}

/** The backend of the package-level functions once chosen; undefined before `init` or a first call. */
export function installedBackend(): BackendName | undefined {
  return installed;
}
