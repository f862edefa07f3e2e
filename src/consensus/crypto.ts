import type { SignatureScheme } from './scheme.js';

/**
 * One signature to check: the validator's consensus key, the signed bytes and the signature, of
 * the network's scheme (Ed25519: 32-byte key, 64-byte signature; 'ed25519+mldsa65': the pairs
 * Ed25519 ‖ ML-DSA-65, 1,984 and 3,373 bytes).
 */
export interface SignatureCheck {
  publicKey: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
}

/** Signs protocol messages for one validator; `publicKey` (its consensus key) identifies it. */
export interface Signer {
  readonly publicKey: Uint8Array;
  /** The scheme it signs under (default 'ed25519'): frames take its wire version, and a replica refuses a signer of another scheme than its network's. */
  readonly scheme?: SignatureScheme;
  sign(message: Uint8Array): Uint8Array;
}

/**
 * Verifies signatures. `step` hands it every signature of one input in one `verifyBatch` call,
 * so a batch verifier (WASM Ed25519) crosses into its engine once per step.
 */
export interface Verifier {
  /** The scheme it verifies (default 'ed25519'); a replica refuses a verifier of another scheme than its network's. */
  readonly scheme?: SignatureScheme;
  /** One boolean per check, in order; never throws on malformed keys or signatures (false). */
  verifyBatch(checks: SignatureCheck[]): boolean[];
}

/** Collision-resistant 32-byte hash used for block and checkpoint digests. */
export type HashFunction = (data: Uint8Array) => Uint8Array;

/** Merkle root of a block's transactions. */
export type TxRootFunction = (leaves: Uint8Array[]) => Uint8Array;
