import type { ValidatorState } from './state.js';

/** Where every token is: the conservation law's two sides. */
export interface SupplyAudit {
  /** Genesis supply + minted − burned. */
  expected: bigint;
  /** Liquid balances + bonded tokens + unbonding balances + settled rewards + outstanding rewards. */
  held: bigint;
  balances: bigint;
  bonded: bigint;
  unbonding: bigint;
  /** Rewards settled to accounts, not yet withdrawn. */
  rewards: bigint;
  /** Rewards credited to validators' delegators, not yet settled: the validators' outstanding pools. */
  outstanding: bigint;
  minted: bigint;
  burned: bigint;
}

/** Sums every holding; `expected === held` always (the property tests check it after every step). */
export function auditSupply(s: ValidatorState): SupplyAudit {
  let balances = 0n;
  for (const b of s.balances.values()) balances += b;
  let bonded = 0n;
  let outstanding = 0n;
  for (const v of s.validators.values()) {
    bonded += v.tokens;
    outstanding += v.outstandingRewards;
  }
  let unbonding = 0n;
  for (const entries of s.unbonding.values()) for (const e of entries) unbonding += e.balance;
  let rewards = 0n;
  for (const r of s.rewards.values()) rewards += r;
  return {
    expected: s.genesisSupply + s.minted - s.burned,
    held: balances + bonded + unbonding + rewards + outstanding,
    balances,
    bonded,
    unbonding,
    rewards,
    outstanding,
    minted: s.minted,
    burned: s.burned,
  };
}
