import { ArgumentRangeError, requireBytes, requireOneOf } from '../check/index.js';

// Which signatures a network's consensus uses is a genesis parameter, as CometBFT's key types
// are: every validator of one network signs and verifies under the same scheme, and a frame says
// which it was signed under in its first byte (its wire version), so a frame of another scheme
// is refused before anything else is read. 'ed25519' is the default and its frames are the
// original wire format, byte for byte. No import of sig/ here: the wire codec uses these
// lengths, and it bundles without any WASM.

/** A network's consensus signature scheme. */
export type SignatureScheme = 'ed25519' | 'ed25519+mldsa65';

/** Every `SignatureScheme`, the default first. */
export const SIGNATURE_SCHEMES: readonly SignatureScheme[] = ['ed25519', 'ed25519+mldsa65'];

/** What a scheme fixes on the wire. */
export interface SchemeFormat {
  scheme: SignatureScheme;
  /** Byte 0 of every frame signed under the scheme. */
  wireVersion: number;
  /** A validator's consensus key: Ed25519 (32), or Ed25519 ‖ ML-DSA-65 (32 + 1,952). */
  publicKeyBytes: number;
  /** A signature: Ed25519 (64), or Ed25519 ‖ ML-DSA-65 (64 + 3,309). */
  signatureBytes: number;
}

const FORMATS: Record<SignatureScheme, SchemeFormat> = {
  ed25519: { scheme: 'ed25519', wireVersion: 1, publicKeyBytes: 32, signatureBytes: 64 },
  'ed25519+mldsa65': { scheme: 'ed25519+mldsa65', wireVersion: 2, publicKeyBytes: 32 + 1952, signatureBytes: 64 + 3309 },
};

/** The format of frames, keys and signatures under `scheme`. */
export function schemeFormat(scheme: SignatureScheme): SchemeFormat {
  return FORMATS[scheme];
}

/** The format whose frames start with `version`, or undefined for a version no scheme uses. */
export function formatOfVersion(version: number): SchemeFormat | undefined {
  return version === 1 ? FORMATS.ed25519 : version === 2 ? FORMATS['ed25519+mldsa65'] : undefined;
}

/** An optional scheme argument: undefined is 'ed25519'; anything else must name a scheme. */
export function requireScheme(value: unknown, where: string, argument: string): SignatureScheme {
  return value === undefined ? 'ed25519' : requireOneOf(value, where, argument, SIGNATURE_SCHEMES);
}

const KEY_SHAPES: Record<SignatureScheme, string> = {
  ed25519: "an 'ed25519' consensus key is a raw Ed25519 public key",
  'ed25519+mldsa65': "an 'ed25519+mldsa65' consensus key is an Ed25519 public key (32 bytes) and an ML-DSA-65 one (1,952), in that order",
};

/** A consensus key of `scheme`: bytes of the scheme's key length, else a RangeError naming the scheme. */
export function requireSchemeKey(value: unknown, scheme: SignatureScheme, where: string, argument: string): Uint8Array {
  const key = requireBytes(value, where, argument);
  const { publicKeyBytes } = FORMATS[scheme];
  if (key.length !== publicKeyBytes) throw new ArgumentRangeError(where, argument, `must be ${publicKeyBytes} bytes, got ${key.length}: ${KEY_SHAPES[scheme]}`);
  return key;
}
