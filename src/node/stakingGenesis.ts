import { bytesToHex, hexToBytes } from '../bytes/index.js';
import { requireArray, requireInteger, requireObject, requireString } from '../check/index.js';
import { DEFAULT_STAKING_PARAMS, resolveStakingParams, type StakingParams, type ValidatorGenesis } from '../validators/index.js';
import { NodeConfigError } from './errors.js';

// The optional `staking` section of genesis.json: balances, each genesis validator's self-bond
// and commission, and the staking rules. With it the node runs the validator state machine
// (`ValidatorApplication`) around its key-value store. Amounts are decimal strings (they may pass
// 2^53). Consensus keeps genesis's validators: the node does not follow elected committees yet,
// so `params.reconfigure` is always false here (docs/validators.md).

export interface StakingGenesis {
  accounts: { account: Uint8Array; balance: bigint }[];
  /** One per genesis validator, in genesis order; `operator` defaults to its consensus key. */
  validators: { operator: Uint8Array | null; selfBond: bigint; commission: number }[];
  params: Partial<StakingParams>;
}

const WHERE = 'parseGenesis';
const AMOUNT_PARAMS = new Set(['minSelfBond', 'epochReward']);

function amount(value: unknown, argument: string): bigint {
  const text = requireString(value, WHERE, argument);
  if (!/^\d{1,20}$/.test(text) || BigInt(text) >= 2n ** 64n) throw new NodeConfigError(`${WHERE}: ${argument} must be a decimal string from 0 to 2^64 − 1, got ${JSON.stringify(text.slice(0, 40))}`);
  return BigInt(text);
}

function account(value: unknown, argument: string): Uint8Array {
  const hex = requireString(value, WHERE, argument);
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new NodeConfigError(`${WHERE}: ${argument} must be 64 hex digits (an Ed25519 public key), got ${JSON.stringify(hex.slice(0, 80))}`);
  return hexToBytes(hex.toLowerCase());
}

/** Checks `genesis.staking` (validators: the number of genesis validators); every problem is a `NodeConfigError` naming the field. */
export function parseStakingGenesis(json: unknown, validators: number): StakingGenesis {
  const s = requireObject<Record<string, unknown>>(json, WHERE, 'genesis.staking');
  const accounts = requireArray(s.accounts ?? [], WHERE, 'genesis.staking.accounts').map((a, i) => {
    const o = requireObject<Record<string, unknown>>(a, WHERE, `genesis.staking.accounts[${i}]`);
    return { account: account(o.account, `genesis.staking.accounts[${i}].account`), balance: amount(o.balance, `genesis.staking.accounts[${i}].balance`) };
  });
  const list = requireArray(s.validators, WHERE, 'genesis.staking.validators');
  if (list.length !== validators) throw new NodeConfigError(`${WHERE}: genesis.staking.validators must hold one entry per genesis validator (${validators}), got ${list.length}`);
  const bonds = list.map((v, i) => {
    const o = requireObject<Record<string, unknown>>(v, WHERE, `genesis.staking.validators[${i}]`);
    return {
      operator: o.operator === undefined ? null : account(o.operator, `genesis.staking.validators[${i}].operator`),
      selfBond: amount(o.selfBond, `genesis.staking.validators[${i}].selfBond`),
      commission: requireInteger(o.commission ?? 0, WHERE, `genesis.staking.validators[${i}].commission`, 0, 10_000),
    };
  });
  const given = requireObject<Record<string, unknown>>(s.params ?? {}, WHERE, 'genesis.staking.params');
  const params: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(given)) {
    if (!(name in DEFAULT_STAKING_PARAMS)) throw new NodeConfigError(`${WHERE}: genesis.staking.params.${name} is not a staking rule (${Object.keys(DEFAULT_STAKING_PARAMS).join(', ')})`);
    if (name === 'reconfigure' && value !== false) throw new NodeConfigError(`${WHERE}: genesis.staking.params.reconfigure must be false: the node runtime keeps genesis's validators as the committee`);
    params[name] = AMOUNT_PARAMS.has(name) ? amount(value, `genesis.staking.params.${name}`) : value;
  }
  params.reconfigure = false;
  try {
    resolveStakingParams(params as Partial<StakingParams>);
  } catch (err) {
    throw new NodeConfigError(`${WHERE}: genesis.staking.params: ${(err as Error).message}`, { cause: err });
  }
  return { accounts, validators: bonds, params: params as Partial<StakingParams> };
}

/** The JSON form of a staking section. */
export function stakingGenesisJson(s: StakingGenesis): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(s.params)) params[name] = typeof value === 'bigint' ? value.toString() : value;
  return {
    accounts: s.accounts.map((a) => ({ account: bytesToHex(a.account), balance: a.balance.toString() })),
    validators: s.validators.map((v) => ({ ...(v.operator ? { operator: bytesToHex(v.operator) } : {}), selfBond: v.selfBond.toString(), commission: v.commission })),
    params,
  };
}

/** The validator state machine's genesis for a network: its committee is the consensus validators, in order. */
export function validatorGenesis(chainId: string, consensusKeys: Uint8Array[], s: StakingGenesis): ValidatorGenesis {
  return {
    chainId,
    accounts: s.accounts,
    validators: s.validators.map((v, i) => ({ operator: v.operator ?? consensusKeys[i], consensusKey: consensusKeys[i], commission: v.commission, selfBond: v.selfBond })),
    params: s.params,
  };
}
