import { hexToBytes } from '../bytes/index.js';
import { ArgumentRangeError, requireArray, requireByteLength, requireInteger, requireObject, requireString } from '../check/index.js';
import { genesisParent, hybridPublicKey, requireScheme, requireSchemeKey, type SignatureScheme, type ValidatorSet } from '../consensus/index.js';
import { sha256 } from '../hash/index.js';
import { requireChainId } from '../tx/index.js';

// What a light client trusts without a certificate: the validator set (from the network's
// genesis.json, obtained out of band, as a node's operator obtains it) and one header — genesis
// itself (height 0, the parent of block 1) or a checkpoint { height, hash } the user trusts.

/** A header trusted without a certificate, to start from: its height and block hash. */
export interface Checkpoint {
  height: number;
  /** The block hash: 32 bytes, or 64 hex digits. */
  hash: Uint8Array | string;
}

/** The trusted start: the set every certificate is checked against and the header the chain is followed from. */
export interface TrustRoot {
  set: ValidatorSet;
  height: number;
  hash: Uint8Array;
}

/** `digits` hex digits: a 32-byte key or hash (64), an ML-DSA-65 public key (3,904). */
function hexKey(value: unknown, where: string, argument: string, digits = 64): Uint8Array {
  const text = requireString(value, where, argument);
  if (text.length !== digits || !/^[0-9a-fA-F]*$/.test(text)) throw new ArgumentRangeError(where, argument, `must be ${digits} hex digits, got ${JSON.stringify(text.slice(0, 80))}${text.length > 80 ? '…' : ''}`);
  return hexToBytes(text.toLowerCase());
}

/**
 * The validator set a network's genesis.json names (parsed JSON, as `swarmguard testnet` and
 * `node init` write it): its chain id, its signature scheme (`signatures`, default 'ed25519')
 * and each validator's consensus key, in order — on an 'ed25519+mldsa65' network its Ed25519
 * `consensusKey` joined with its `mldsa65Key`. A genesis that mixes schemes is refused.
 */
export function validatorSetFromGenesis(genesis: unknown): ValidatorSet {
  const where = 'validatorSetFromGenesis';
  const g = requireObject<Record<string, unknown>>(genesis, where, 'genesis');
  const chainId = requireString(g.chainId, where, 'genesis.chainId');
  requireChainId(chainId, where, 'genesis.chainId');
  const signatures = requireScheme(g.signatures, where, 'genesis.signatures');
  const list = requireArray(g.validators, where, 'genesis.validators');
  if (list.length === 0) throw new ArgumentRangeError(where, 'genesis.validators', 'must list at least one validator, got none');
  const validators = list.map((v, i) => genesisKey(requireObject<Record<string, unknown>>(v, where, `genesis.validators[${i}]`), signatures, `genesis.validators[${i}]`));
  return signatures === 'ed25519' ? { chainId, validators } : { chainId, validators, signatures };
}

/** One validator's consensus key in genesis, of the network's scheme: an ML-DSA-65 key exactly when the scheme has one. */
function genesisKey(v: Record<string, unknown>, signatures: SignatureScheme, argument: string): Uint8Array {
  const where = 'validatorSetFromGenesis';
  const ed = hexKey(v.consensusKey, where, `${argument}.consensusKey`);
  if (signatures === 'ed25519') {
    if (v.mldsa65Key !== undefined) throw new ArgumentRangeError(where, `${argument}.mldsa65Key`, "is set, but genesis.signatures is 'ed25519': a network's validators all sign under one scheme");
    return ed;
  }
  return hybridPublicKey(ed, hexKey(v.mldsa65Key, where, `${argument}.mldsa65Key`, 3904));
}

/** A validator set given directly, checked for `where`: a chain id, an epoch if any, a scheme if any, keys of the scheme's length. */
export function requireValidatorSet(value: unknown, where: string, argument: string): ValidatorSet {
  const set = requireObject<ValidatorSet>(value, where, argument);
  requireChainId(set.chainId, where, `${argument}.chainId`);
  if (set.epoch !== undefined) requireInteger(set.epoch, where, `${argument}.epoch`, 0);
  const signatures = requireScheme(set.signatures, where, `${argument}.signatures`);
  const list = requireArray(set.validators, where, `${argument}.validators`);
  if (list.length === 0) throw new ArgumentRangeError(where, `${argument}.validators`, 'must hold at least one key, got none');
  for (let i = 0; i < list.length; i++) requireSchemeKey(list[i], signatures, where, `${argument}.validators[${i}]`);
  return set;
}

/** `checkpoint` checked for `where`, its hash as bytes. */
export function requireCheckpoint(value: unknown, where: string, argument: string): { height: number; hash: Uint8Array } {
  const c = requireObject<Checkpoint>(value, where, argument);
  const height = requireInteger(c.height, where, `${argument}.height`, 1);
  if (typeof c.hash === 'string') return { height, hash: hexKey(c.hash, where, `${argument}.hash`) };
  return { height, hash: requireByteLength(c.hash, where, `${argument}.hash`, 32).slice() };
}

/** The root for `set`: the checkpoint, or genesis (height 0, the parent of block 1). */
export function trustRoot(set: ValidatorSet, checkpoint: { height: number; hash: Uint8Array } | undefined): TrustRoot {
  const copy: ValidatorSet = { chainId: set.chainId, epoch: set.epoch ?? 0, validators: set.validators.map((k) => k.slice()), ...((set.signatures ?? 'ed25519') === 'ed25519' ? {} : { signatures: set.signatures }) };
  return checkpoint ? { set: copy, height: checkpoint.height, hash: checkpoint.hash } : { set: copy, height: 0, hash: genesisParent(sha256) };
}
