import type { TestKernels } from '../../build/testing/kernels.js';
import type { VrfSuite } from '../../src/sig/index.js';
import type { WasmInstance } from '../../src/wasm/index.js';

/** Intermediate values of a proof (RFC 9381 names). */
export interface VrfTrace {
  H: Uint8Array;
  k: Uint8Array;
  U: Uint8Array;
  V: Uint8Array;
}

const SUITES: Record<VrfSuite, number> = { TAI: 3, ELL2: 4 };

/** A proof with its intermediate values (the trace holds the secret nonce k: test build only). */
export function vrfProveWithTrace(instance: WasmInstance<TestKernels>, alpha: Uint8Array, secretKey: Uint8Array, options: { suite?: VrfSuite } = {}): { proof: Uint8Array; trace: VrfTrace } {
  return instance.scoped(() => {
    const pi = instance.alloc(80);
    const trace = instance.alloc(128);
    const seed = instance.put(secretKey);
    const alphaPtr = instance.put(alpha);
    if (instance.kernels.vrfProveWithTrace(pi, seed, alphaPtr, alpha.length, SUITES[options.suite ?? 'ELL2'], trace) !== 1) throw new Error('no proof');
    const t = instance.read(trace, 128);
    return { proof: instance.read(pi, 80), trace: { H: t.slice(0, 32), k: t.slice(32, 64), U: t.slice(64, 96), V: t.slice(96, 128) } };
  });
}
