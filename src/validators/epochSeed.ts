import { requireByteLength, requireBytes, requireInteger } from '../check/index.js';
import { sha256 } from '../hash/index.js';
import { vrf } from '../sig/index.js';

// Each epoch's seed is the VRF output of the previous epoch's designated prover over (previous
// seed, epoch): nobody else can predict it, and VRF uniqueness leaves the prover no
// choice but to publish its one output or withhold it (then the fallback applies). See
// docs/validators.md, "Epoch seed".

/** Domain tags end in a zero byte so that no tag is a prefix of another. */
const INPUT_DOMAIN = new TextEncoder().encode('swarmguard/validators/epoch-seed/v1\0');
const OUTPUT_DOMAIN = new TextEncoder().encode('swarmguard/validators/epoch-seed-output/v1\0');
const FALLBACK_DOMAIN = new TextEncoder().encode('swarmguard/validators/epoch-seed-fallback/v1\0');

/** The ELL2 suite's hash-to-curve does the same work whatever alpha is. */
const SUITE = { suite: 'ELL2' } as const;

/** domain ‖ previousSeed ‖ u64 epoch (big-endian). */
function seedMessage(domain: Uint8Array, previousSeed: Uint8Array, epoch: number): Uint8Array {
  const message = new Uint8Array(domain.length + 40);
  message.set(domain);
  message.set(previousSeed, domain.length);
  new DataView(message.buffer, domain.length + 32, 8).setBigUint64(0, BigInt(epoch));
  return message;
}

/** alpha = domain ‖ previousSeed ‖ u64 epoch: what the proposer of an epoch's last block proves. */
export function epochSeedInput(previousSeed: Uint8Array, epoch: number): Uint8Array {
  requireByteLength(previousSeed, 'epochSeedInput', 'previousSeed', 32);
  requireInteger(epoch, 'epochSeedInput', 'epoch', 0);
  return seedMessage(INPUT_DOMAIN, previousSeed, epoch);
}

/** VRF_prove over epochSeedInput with swarmguard's `vrf` (RFC 9381, ELL2), 80 bytes; the key last, as in `vrf.prove`. */
export function proveEpochSeed(previousSeed: Uint8Array, epoch: number, secretKey: Uint8Array): Uint8Array {
  requireByteLength(previousSeed, 'proveEpochSeed', 'previousSeed', 32);
  requireInteger(epoch, 'proveEpochSeed', 'epoch', 0);
  requireByteLength(secretKey, 'proveEpochSeed', 'secretKey', 32);
  return vrf.prove(seedMessage(INPUT_DOMAIN, previousSeed, epoch), secretKey, SUITE);
}

/**
 * The next 32-byte seed (a hash of the VRF output beta) if `proof` verifies for the epoch under
 * `publicKey`, else null; the proof first and the key last, as in `vrf.verify`.
 */
export function verifyEpochSeed(proof: Uint8Array, previousSeed: Uint8Array, epoch: number, publicKey: Uint8Array): Uint8Array | null {
  requireBytes(proof, 'verifyEpochSeed', 'proof');
  requireByteLength(previousSeed, 'verifyEpochSeed', 'previousSeed', 32);
  requireInteger(epoch, 'verifyEpochSeed', 'epoch', 0);
  requireBytes(publicKey, 'verifyEpochSeed', 'publicKey');
  // A key or proof of the wrong length came from the chain, not from the caller: it does not verify.
  if (publicKey.length !== 32 || proof.length !== 80) return null;
  const beta = vrf.verify(proof, seedMessage(INPUT_DOMAIN, previousSeed, epoch), publicKey, SUITE);
  if (beta === null) return null;
  const message = new Uint8Array(OUTPUT_DOMAIN.length + beta.length);
  message.set(OUTPUT_DOMAIN);
  message.set(beta, OUTPUT_DOMAIN.length);
  return sha256(message);
}

/** The seed used when the prover withholds its proof: H(domain ‖ previousSeed ‖ epoch) — predictable, documented. */
export function fallbackEpochSeed(previousSeed: Uint8Array, epoch: number): Uint8Array {
  requireByteLength(previousSeed, 'fallbackEpochSeed', 'previousSeed', 32);
  requireInteger(epoch, 'fallbackEpochSeed', 'epoch', 0);
  return sha256(seedMessage(FALLBACK_DOMAIN, previousSeed, epoch));
}
