import { ArgumentTypeError, describe, requireByteLength } from '../check/index.js';
import { type Delegation, type Validator, ValidatorState } from './state.js';
import { keyOf } from './table.js';

// Lazy reward distribution (Cosmos' F1): an epoch end credits a validator's delegators as a whole
// — it raises the validator's cumulative reward per share and adds the amount to its outstanding
// pool — and touches no delegation. A delegation remembers the reward per share at its last
// settlement; what it has earned since is shares × (now − then), and it is settled (moved from the
// pool to the account's `rewards` entry) whenever its shares change and on `withdraw`. Between
// settlements its shares are constant, so this equals paying it pro rata at every epoch end, less
// rounding dust that stays in the pool.
//
// Reward per share is fixed point with 64 fraction bits: above any u64 share count, so an
// increment of one token over 2^64 − 1 shares still registers; a shift, not a division, takes the
// scale off; and its bound is provable. Each epoch raises it by at most epochReward · 2^64 / 1
// < 2^128, and there are fewer than 2^64 epochs, so it stays below 2^192 (encoded as u256).
//
// The pool always covers what its delegators may withdraw: an epoch end adds ⌊amount · 2^64 /
// shares⌋ per share, so Σ shares × increment ≤ amount · 2^64 while the delegations' shares sum to
// the validator's; every settlement rounds down.

/** Fraction bits of `rewardPerShare`. */
const SCALE_BITS = 64n;

/** What `d` earned from `v` since its last settlement, in tokens (rounded down). */
function accrued(v: Validator, d: Delegation): bigint {
  return (d.shares * (v.rewardPerShare - d.settledPerShare)) >> SCALE_BITS;
}

export function addReward(s: ValidatorState, account: string, amount: bigint): void {
  if (amount > 0n) s.rewards.set(account, (s.rewards.get(account) ?? 0n) + amount);
}

/**
 * Credits `amount` to the delegators of validator `key` at their current shares. With no shares
 * issued (no one to credit: a validator with tokens has shares) it goes to the operator.
 */
export function creditDelegators(s: ValidatorState, key: string, v: Validator, amount: bigint): void {
  if (amount === 0n) return;
  if (v.shares === 0n) return addReward(s, key, amount);
  v.rewardPerShare += (amount << SCALE_BITS) / v.shares;
  v.outstandingRewards += amount;
  s.validators.set(key, v);
}

/**
 * Moves what delegation `delegator ‖ validator` earned into the delegator's `rewards` entry and
 * marks it settled at the validator's reward per share now. The caller stores the delegation (with
 * its new shares) or deletes it; `v` is stored here when its pool changed.
 */
export function settle(s: ValidatorState, delegator: string, validator: string, v: Validator, d: Delegation): void {
  const amount = accrued(v, d);
  if (amount > 0n) {
    v.outstandingRewards -= amount;
    s.validators.set(validator, v);
    addReward(s, delegator, amount);
  }
  d.settledPerShare = v.rewardPerShare;
}

/** Earned and not yet withdrawn by account `key`: its `rewards` entry plus what its delegations accrued since their last settlement. */
export function pendingOf(s: ValidatorState, account: string): bigint {
  let total = s.rewards.get(account) ?? 0n;
  for (const key of s.delegations.keysWithPrefix(account)) {
    total += accrued(s.validators.get(key.slice(32)) as Validator, s.delegations.get(key) as Delegation);
  }
  return total;
}

/** Settles every delegation of `account` that accrued something (the others keep their fraction of a token). */
export function settleAll(s: ValidatorState, account: string): void {
  for (const key of s.delegations.keysWithPrefix(account)) {
    const validator = key.slice(32);
    const v = s.validators.get(validator) as Validator;
    const d = s.delegations.get(key) as Delegation;
    if (accrued(v, d) === 0n) continue;
    settle(s, account, validator, v, d);
    s.delegations.set(key, d);
  }
}

/**
 * Rewards `account` (a 32-byte account key) would move to its balance by `withdraw` now: settled
 * ones and those its delegations accrued since their last settlement. Reads the state only.
 */
export function pendingRewards(state: ValidatorState, account: Uint8Array): bigint {
  if (!(state instanceof ValidatorState)) throw new ArgumentTypeError('pendingRewards', 'state', `must be a ValidatorState, got ${describe(state)}`);
  return pendingOf(state, keyOf(requireByteLength(account, 'pendingRewards', 'account', 32)));
}
