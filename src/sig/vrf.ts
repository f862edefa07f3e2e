import { type Input, requireBytes, toBytes } from '../bytes/index.js';
import type { WasmInstance } from '../wasm/index.js';

/** RFC 9381 suites over edwards25519 with SHA-512: try-and-increment (0x03) or Elligator 2 (0x04). */
export type VrfSuite = 'TAI' | 'ELL2';

export interface VrfOptions {
  /** Default `'ELL2'` (ECVRF-EDWARDS25519-SHA512-ELL2): its hash-to-curve does a fixed amount of work whatever alpha is. */
  suite?: VrfSuite;
}

export interface VrfApi {
  /** The 80-byte proof pi = Gamma ‖ c ‖ s for VRF input `alpha` under an Ed25519 secret key (32-byte seed). */
  prove(secretKey: Uint8Array, alpha: Input, options?: VrfOptions): Uint8Array;
  /** The 64-byte output beta if `proof` is valid for `publicKey` and `alpha`, else `null`. */
  verify(publicKey: Uint8Array, proof: Uint8Array, alpha: Input, options?: VrfOptions): Uint8Array | null;
  /** beta of a proof, without verifying it (only use on proofs already verified). Throws on a malformed proof. */
  proofToHash(proof: Uint8Array, options?: VrfOptions): Uint8Array;
}

const SUITES: Record<VrfSuite, number> = { TAI: 3, ELL2: 4 };

function suiteOf(options: unknown): number {
  if (options === undefined) return SUITES.ELL2;
  if (options === null || typeof options !== 'object') throw new TypeError('options must be an object');
  const suite = (options as VrfOptions).suite ?? 'ELL2';
  if (suite !== 'TAI' && suite !== 'ELL2') throw new TypeError(`options.suite must be 'TAI' or 'ELL2', got ${JSON.stringify(suite)}`);
  return SUITES[suite];
}

export function bindVrf(instance: WasmInstance): VrfApi {
  const { vrfProve: proveKernel, vrfVerify: verifyKernel, vrfProofToHash: hashKernel } = instance.kernels;

  function prove(secretKey: Uint8Array, alpha: Input, options?: VrfOptions): Uint8Array {
    const sk = requireBytes(secretKey, 'secretKey');
    if (sk.length !== 32) throw new RangeError(`secretKey must be 32 bytes, got ${sk.length}`);
    const input = toBytes(alpha, 'alpha');
    const suite = suiteOf(options);
    return instance.scoped(() => {
      const pi = instance.alloc(80);
      const seed = instance.put(sk);
      const alphaPtr = instance.put(input);
      const ok = proveKernel(pi, seed, alphaPtr, input.length, suite);
      instance.u8.fill(0, seed, seed + 32);
      // Unreachable in practice: try-and-increment finds a point within 256 counters except with probability 2^-256.
      if (ok !== 1) throw new RangeError('alpha has no try-and-increment encoding within 256 counters');
      return instance.read(pi, 80);
    });
  }

  function verify(publicKey: Uint8Array, proof: Uint8Array, alpha: Input, options?: VrfOptions): Uint8Array | null {
    const pk = requireBytes(publicKey, 'publicKey');
    const pi = requireBytes(proof, 'proof');
    const input = toBytes(alpha, 'alpha');
    const suite = suiteOf(options);
    if (pk.length !== 32 || pi.length !== 80) return null;
    return instance.scoped(() => {
      const beta = instance.alloc(64);
      const pkPtr = instance.put(pk);
      const piPtr = instance.put(pi);
      const alphaPtr = instance.put(input);
      return verifyKernel(beta, pkPtr, piPtr, alphaPtr, input.length, suite) === 1 ? instance.read(beta, 64) : null;
    });
  }

  function proofToHash(proof: Uint8Array, options?: VrfOptions): Uint8Array {
    const pi = requireBytes(proof, 'proof');
    const suite = suiteOf(options);
    if (pi.length !== 80) throw new RangeError(`proof must be 80 bytes, got ${pi.length}`);
    return instance.scoped(() => {
      const beta = instance.alloc(64);
      const piPtr = instance.put(pi);
      if (hashKernel(beta, piPtr, suite) !== 1) throw new RangeError('proof does not decode (Gamma is not a canonical point, or s >= q)');
      return instance.read(beta, 64);
    });
  }

  return { prove, verify, proofToHash };
}
