import type { Input } from '../bytes/index.js';
import { ArgumentRangeError, requireByteLength, requireBytes, requireInput, requireOneOf, requireOptions } from '../check/index.js';
import type { WasmInstance } from '../wasm/index.js';

/** RFC 9381 suites over edwards25519 with SHA-512: try-and-increment (0x03) or Elligator 2 (0x04). */
export type VrfSuite = 'TAI' | 'ELL2';

export interface VrfOptions {
  /** Default `'ELL2'` (ECVRF-EDWARDS25519-SHA512-ELL2): its hash-to-curve does a fixed amount of work whatever alpha is. */
  suite?: VrfSuite;
}

/**
 * The argument order is the signatures' (docs/signatures.md): the proof first, then the input it
 * is about, the key last — `prove(alpha, secretKey)` as `ed25519.sign(message, secretKey)`,
 * `verify(proof, alpha, publicKey)` as `ed25519.verify(signature, message, publicKey)`.
 */
export interface VrfApi {
  /** The 80-byte proof pi = Gamma ‖ c ‖ s for VRF input `alpha` under an Ed25519 secret key (32-byte seed). */
  prove(alpha: Input, secretKey: Uint8Array, options?: VrfOptions): Uint8Array;
  /** The 64-byte output beta if `proof` is valid for `alpha` and `publicKey`, else `null`. */
  verify(proof: Uint8Array, alpha: Input, publicKey: Uint8Array, options?: VrfOptions): Uint8Array | null;
  /** beta of a proof, without verifying it (only use on proofs already verified). Throws on a malformed proof. */
  proofToHash(proof: Uint8Array, options?: VrfOptions): Uint8Array;
}

const SUITES: Record<VrfSuite, number> = { TAI: 3, ELL2: 4 };
const SUITE_NAMES: readonly VrfSuite[] = ['TAI', 'ELL2'];

function suiteOf(options: VrfOptions | undefined, where: string): number {
  const { suite } = requireOptions(options, where, 'options', ['suite']);
  return SUITES[suite === undefined ? 'ELL2' : requireOneOf(suite, where, 'options.suite', SUITE_NAMES)];
}

export function bindVrf(instance: WasmInstance): VrfApi {
  const { vrfProve: proveKernel, vrfVerify: verifyKernel, vrfProofToHash: hashKernel } = instance.kernels;

  function prove(alpha: Input, secretKey: Uint8Array, options?: VrfOptions): Uint8Array {
    const input = requireInput(alpha, 'vrf.prove', 'alpha');
    const sk = requireByteLength(secretKey, 'vrf.prove', 'secretKey', 32);
    const suite = suiteOf(options, 'vrf.prove');
    return instance.scoped(() => {
      const pi = instance.alloc(80);
      const seed = instance.put(sk);
      const alphaPtr = instance.put(input);
      const ok = proveKernel(pi, seed, alphaPtr, input.length, suite);
      instance.u8.fill(0, seed, seed + 32);
      // Unreachable in practice: try-and-increment finds a point within 256 counters except with probability 2^-256.
      if (ok !== 1) throw new ArgumentRangeError('vrf.prove', 'alpha', 'has no try-and-increment encoding within 256 counters');
      return instance.read(pi, 80);
    });
  }

  function verify(proof: Uint8Array, alpha: Input, publicKey: Uint8Array, options?: VrfOptions): Uint8Array | null {
    const pi = requireBytes(proof, 'vrf.verify', 'proof');
    const input = requireInput(alpha, 'vrf.verify', 'alpha');
    const pk = requireBytes(publicKey, 'vrf.verify', 'publicKey');
    const suite = suiteOf(options, 'vrf.verify');
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
    const pi = requireByteLength(proof, 'vrf.proofToHash', 'proof', 80);
    const suite = suiteOf(options, 'vrf.proofToHash');
    return instance.scoped(() => {
      const beta = instance.alloc(64);
      const piPtr = instance.put(pi);
      if (hashKernel(beta, piPtr, suite) !== 1) throw new ArgumentRangeError('vrf.proofToHash', 'proof', 'does not decode (Gamma is not a canonical point, or s >= q)');
      return instance.read(beta, 64);
    });
  }

  return { prove, verify, proofToHash };
}
