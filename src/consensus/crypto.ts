/** One signature to check: raw 32-byte Ed25519 public key, signed bytes, 64-byte signature. */
export interface SignatureCheck {
  publicKey: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
}

/** Signs protocol messages for one validator; `publicKey` (raw 32 bytes) identifies it. */
export interface Signer {
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

/**
 * Verifies signatures. `step` hands it every signature of one input in one `verifyBatch` call,
 * so a batch verifier (WASM Ed25519) crosses into its engine once per step.
 */
export interface Verifier {
  /** One boolean per check, in order; never throws on malformed keys or signatures (false). */
  verifyBatch(checks: SignatureCheck[]): boolean[];
}

/** Collision-resistant 32-byte hash used for block and checkpoint digests. */
export type HashFunction = (data: Uint8Array) => Uint8Array;

/** Merkle root of a block's encoded transactions. */
export type TxRootFunction = (leaves: Uint8Array[]) => Uint8Array;
