// Loads the test build (build/testing/*.wasm, written by assembly/build.mjs beside the shipped
// builds): every shipped kernel plus the ones only tests call, e.g. the field and point primitives.
import { readFileSync } from 'node:fs';
import type { TestKernels } from '../../build/testing/kernels.js';
import { type BackendName, WasmInstance } from '../../src/wasm/index.js';

const modules: Partial<Record<BackendName, WebAssembly.Module>> = {};

const imports = {
  env: {
    abort(): never {
      throw new Error('swarmguard WASM kernel aborted');
    },
  },
};

/** A new instance of the test build of `backend`. */
export function instantiateTestBuild(backend: BackendName): WasmInstance<TestKernels> {
  modules[backend] ??= new WebAssembly.Module(readFileSync(new URL(`../../build/testing/${backend}.wasm`, import.meta.url)));
  return new WasmInstance<TestKernels>(backend, new WebAssembly.Instance(modules[backend], imports));
}
