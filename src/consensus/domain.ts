import { concatBytes } from '../bytes/index.js';
import { requireArray, requireInteger, requireObject } from '../check/index.js';
import { requireChainId } from '../tx/index.js';
import { Writer } from './codec.js';
import type { HashFunction, SignatureCheck, Signer } from './crypto.js';
import { requireScheme, requireSchemeKey, type SignatureScheme } from './scheme.js';

// Every consensus signature is over `domain ‖ frame`, where the domain names the message family,
// the chain and the validator set: a vote signed on one network, or under one epoch's set, is
// never valid on another network or after a reconfiguration that reuses keys.

const CONSENSUS_CONTEXT = new TextEncoder().encode('swarmguard/consensus/v1\0');
const VALIDATOR_SET_CONTEXT = new TextEncoder().encode('swarmguard/validator-set/v1\0');
/** The id of a set of another scheme than Ed25519 names the scheme, and its keys outgrow a u8 length. */
const SCHEMED_SET_CONTEXT = new TextEncoder().encode('swarmguard/validator-set/v2\0');

/** A network's validators for one epoch: what a commit certificate is checked against. */
export interface ValidatorSet {
  /** The chain (network) id, 1 to 64 bytes of UTF-8; transactions name it too. */
  chainId: string;
  /** Reconfiguration counter (default 0): a new set under the same chain gets a new epoch. */
  epoch?: number;
  /** Consensus keys of the set's scheme (raw 32-byte Ed25519 public keys by default); the index is the validator id. */
  validators: Uint8Array[];
  /** The network's signature scheme (default 'ed25519'), as its genesis says. */
  signatures?: SignatureScheme;
}

/**
 * The 32-byte id of a validator set: hash of the chain id, the epoch and the keys in order — and,
 * for a scheme other than Ed25519, of the scheme's name (so no signature of one scheme's network
 * is valid on another's, even over the same Ed25519 keys).
 */
export function validatorSetId(set: ValidatorSet, hash: HashFunction): Uint8Array {
  const chain = requireChainId(set.chainId, 'validatorSetId', 'set.chainId');
  const scheme = set.signatures ?? 'ed25519';
  if (scheme === 'ed25519') {
    const w = new Writer(64 + set.validators.length * 32).raw(VALIDATOR_SET_CONTEXT).u8(chain.length).raw(chain).u64(set.epoch ?? 0).u16(set.validators.length);
    for (const key of set.validators) w.u8(key.length).raw(key);
    return hash(w.finish());
  }
  const name = new TextEncoder().encode(scheme);
  const w = new Writer(128 + set.validators.length * 2048).raw(SCHEMED_SET_CONTEXT).u8(name.length).raw(name).u8(chain.length).raw(chain).u64(set.epoch ?? 0).u16(set.validators.length);
  for (const key of set.validators) w.u16(key.length).raw(key);
  return hash(w.finish());
}

/** The prefix of every consensus signature under `set` (see the note above). */
export function consensusDomain(set: ValidatorSet, hash: HashFunction): Uint8Array {
  const chain = requireChainId(set.chainId, 'consensusDomain', 'set.chainId');
  return new Writer(CONSENSUS_CONTEXT.length + chain.length + 33).raw(CONSENSUS_CONTEXT).u8(chain.length).raw(chain).raw(validatorSetId(set, hash)).finish();
}

/** `signer` signing under `domain`: what a replica signs its frames with (`consensusDomain`). */
export function domainSigner(signer: Signer, domain: Uint8Array): Signer {
  return { publicKey: signer.publicKey, scheme: signer.scheme ?? 'ed25519', sign: (message) => signer.sign(concatBytes(domain, message)) };
}

/** `checks` with each message put under `domain`, as `domainSigner` signed them. */
export function underDomain(checks: SignatureCheck[], domain: Uint8Array): SignatureCheck[] {
  for (const c of checks) c.message = concatBytes(domain, c.message);
  return checks;
}

/** A validator set checked for `where` (argument `argument`): a chain id, an epoch if any, a known scheme and keys of its length. */
export function requireValidatorSet(value: unknown, where: string, argument: string): ValidatorSet {
  const set = requireObject<ValidatorSet>(value, where, argument);
  requireChainId(set.chainId, where, `${argument}.chainId`);
  if (set.epoch !== undefined) requireInteger(set.epoch, where, `${argument}.epoch`, 0);
  const scheme = requireScheme(set.signatures, where, `${argument}.signatures`);
  const list = requireArray(set.validators, where, `${argument}.validators`);
  for (let i = 0; i < list.length; i++) requireSchemeKey(list[i], scheme, where, `${argument}.validators[${i}]`);
  return set;
}
