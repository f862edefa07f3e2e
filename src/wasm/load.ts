import { ArgumentRangeError, ArgumentTypeError, requireOneOf } from '../check/index.js';
import { NotInitializedError, UnsupportedBackendError } from '../errors/index.js';
import { detectFeatures } from './detect.js';
import { wasmBase64 as scalarBase64 } from './generated/scalar.js';
import { wasmBase64 as simdBase64 } from './generated/simd.js';
import { type BackendName, WasmInstance } from './instance.js';

const sources: Record<BackendName, string> = { scalar: scalarBase64, simd: simdBase64 };
const modules: Partial<Record<BackendName, WebAssembly.Module>> = {};

function decodeBase64(s: string): Uint8Array {
  if (typeof Buffer === 'function') return new Uint8Array(Buffer.from(s, 'base64'));
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

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

/** The compiled module for `backend`, compiled synchronously on first use and cached. */
export function compiledModule(backend: BackendName): WebAssembly.Module {
  checkSupported(backend, 'compiledModule');
  return (modules[backend] ??= new WebAssembly.Module(decodeBase64(sources[backend]) as BufferSource));
}

/** Instantiates a new, independent instance of `backend` synchronously (Node, workers). */
export function instantiate(backend: BackendName): WasmInstance {
  checkSupported(backend, 'instantiate');
  return new WasmInstance(backend, new WebAssembly.Instance(compiledModule(backend), imports));
}

/** A compiled module, as `compiledModule` returns it; it can be posted to Web Workers. */
export type CompiledModule = WebAssembly.Module;

/**
 * Instantiates `backend` from a module compiled elsewhere (a browser pool's worker is sent its
 * page's): no base64 decoding, no compile. Later `compiledModule(backend)` calls reuse it.
 */
export function instantiateCompiled(backend: BackendName, module: CompiledModule): WasmInstance {
  checkSupported(backend, 'instantiateCompiled');
  modules[backend] ??= module;
  return new WasmInstance(backend, new WebAssembly.Instance(module, imports));
}

/** Instantiates `backend` asynchronously: what a browser main thread must use. */
export async function instantiateAsync(backend: BackendName): Promise<WasmInstance> {
  checkSupported(backend, 'instantiateAsync');
  modules[backend] ??= await WebAssembly.compile(decodeBase64(sources[backend]) as BufferSource);
  return new WasmInstance(backend, await WebAssembly.instantiate(modules[backend], imports));
}

/** The backend chosen at load: `SWARMGUARD_BACKEND` if set, else simd where supported. */
export function preferredBackend(): BackendName {
  const env = typeof process === 'object' ? process.env?.SWARMGUARD_BACKEND : undefined;
  if (env !== undefined && env !== '') return requireOneOf(env, 'environment', 'SWARMGUARD_BACKEND', BACKEND_NAMES);
  return detectFeatures().simd ? 'simd' : 'scalar';
}

let current: WasmInstance | undefined;

/**
 * The instance behind the package-level functions. Created on first use with a synchronous
 * compile; where the host forbids that (a browser main thread), `await init()` must come first.
 */
export function defaultInstance(): WasmInstance {
  if (current) return current;
  try {
    current = instantiate(preferredBackend());
  } catch (err) {
    if (err instanceof ArgumentTypeError || err instanceof ArgumentRangeError || err instanceof UnsupportedBackendError) throw err;
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
