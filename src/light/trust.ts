import { hexToBytes } from '../bytes/index.js';
import { ArgumentRangeError, requireArray, requireByteLength, requireInteger, requireObject, requireString } from '../check/index.js';
import { genesisParent, type ValidatorSet } from '../consensus/index.js';
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

const HEX_KEY = /^[0-9a-fA-F]{64}$/;

function hexKey(value: unknown, where: string, argument: string): Uint8Array {
  const text = requireString(value, where, argument);
  if (!HEX_KEY.test(text)) throw new ArgumentRangeError(where, argument, `must be 64 hex digits, got ${JSON.stringify(text.slice(0, 80))}`);
  return hexToBytes(text.toLowerCase());
}

/**
 * The validator set a network's genesis.json names (parsed JSON, as `swarmguard testnet` and
 * `node init` write it): its chain id and each validator's consensus key, in order.
 */
export function validatorSetFromGenesis(genesis: unknown): ValidatorSet {
  const where = 'validatorSetFromGenesis';
  const g = requireObject<Record<string, unknown>>(genesis, where, 'genesis');
  const chainId = requireString(g.chainId, where, 'genesis.chainId');
  requireChainId(chainId, where, 'genesis.chainId');
  const list = requireArray(g.validators, where, 'genesis.validators');
  if (list.length === 0) throw new ArgumentRangeError(where, 'genesis.validators', 'must list at least one validator, got none');
  const validators = list.map((v, i) => hexKey(requireObject<Record<string, unknown>>(v, where, `genesis.validators[${i}]`).consensusKey, where, `genesis.validators[${i}].consensusKey`));
  return { chainId, validators };
}

/** A validator set given directly, checked for `where`: a chain id, an epoch if any, 32-byte keys. */
export function requireValidatorSet(value: unknown, where: string, argument: string): ValidatorSet {
  const set = requireObject<ValidatorSet>(value, where, argument);
  requireChainId(set.chainId, where, `${argument}.chainId`);
  if (set.epoch !== undefined) requireInteger(set.epoch, where, `${argument}.epoch`, 0);
  const list = requireArray(set.validators, where, `${argument}.validators`);
  if (list.length === 0) throw new ArgumentRangeError(where, `${argument}.validators`, 'must hold at least one key, got none');
  for (let i = 0; i < list.length; i++) requireByteLength(list[i], where, `${argument}.validators[${i}]`, 32);
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
  const copy: ValidatorSet = { chainId: set.chainId, epoch: set.epoch ?? 0, validators: set.validators.map((k) => k.slice()) };
  return checkpoint ? { set: copy, height: checkpoint.height, hash: checkpoint.hash } : { set: copy, height: 0, hash: genesisParent(sha256) };
}
