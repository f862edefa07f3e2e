import { requireBytes } from '../check/index.js';

// Every staking transaction executes to a result: accepted, or refused with a stable reason and
// the state untouched. The result bytes are what clients read back (and what commit proofs cover).

/** Why a staking transaction was refused; stable across releases. */
export type StakingRefusal =
  | 'malformed'
  | 'zero-amount'
  | 'insufficient-funds'
  | 'insufficient-stake'
  | 'unknown-validator'
  | 'validator-insolvent'
  | 'already-registered'
  | 'consensus-key-taken'
  | 'commission-too-high'
  | 'self-bond-too-small'
  | 'bad-registration-proof'
  | 'same-validator'
  | 'too-many-entries'
  | 'not-jailed'
  | 'jail-cooldown'
  | 'tombstoned'
  | 'no-rewards'
  | 'evidence-stale'
  | 'evidence-invalid'
  | 'evidence-not-an-offence'
  | 'evidence-duplicate'
  | 'record-invalid'
  | 'record-out-of-epoch'
  | 'record-duplicate'
  | 'record-not-a-member'
  | 'seed-wrong-epoch'
  | 'seed-invalid'
  | 'seed-duplicate';

export type StakingResult = { ok: true } | { ok: false; reason: StakingRefusal };

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const OK = new Uint8Array([0]);

export function encodeStakingResult(refusal: StakingRefusal | null): Uint8Array {
  if (refusal === null) return OK;
  const reason = encoder.encode(refusal);
  const out = new Uint8Array(1 + reason.length);
  out[0] = 1;
  out.set(reason, 1);
  return out;
}

/** What `execute` returned for a staking transaction. */
export function decodeStakingResult(bytes: Uint8Array): StakingResult {
  requireBytes(bytes, 'decodeStakingResult', 'bytes');
  if (bytes.length === 1 && bytes[0] === 0) return { ok: true };
  return { ok: false, reason: decoder.decode(bytes.subarray(1)) as StakingRefusal };
}
