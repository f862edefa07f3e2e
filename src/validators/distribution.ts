import { ArgumentTypeError, describe, requireByteLength } from '../check/index.js';
import { BPS } from './params.js';
import { type Delegation, type Validator, ValidatorState } from './state.js';
import { keyOf } from './table.js';

// Lazy reward distribution (Cosmos' F1): an epoch end credits a paid validator as a whole — its
// commission to the operator's accrued commission, the rest to its delegators by raising its
// cumulative reward per share; both amounts go into its outstanding pool — and touches no
// delegation and no account. A delegation remembers the reward per share at its last settlement;
// what it has earned since is shares × (now − then). It is settled (moved from the pool to the
// account's `rewards` entry) whenever its shares change and on `withdraw`, which also settles the
// sender's accrued commission. Between settlements a delegation's shares are constant, so this
// pays what paying pro rata at every epoch end would, give or take rounding dust (which stays in
// the pool). So an epoch end costs one step per paid validator, none per delegation or operator.
//
// Reward per share is fixed point with 64 fraction bits: above any u64 share count, so an
// increment of one token over 2^64 − 1 shares still registers; a shift, not a division, takes the
// scale off; and its bound is provable. Each epoch raises it by at most epochReward · 2^64 / 1
// < 2^128, and there are fewer than 2^64 epochs, so it stays below 2^192 (encoded as u256).
//
// The pool always covers what may be withdrawn from it: an epoch end adds ⌊amount · 2^64 /
// shares⌋ per share, so Σ shares × increment ≤ amount · 2^64 while the delegations' shares sum to
// the validator's; every settlement rounds down; commission is counted exactly.

/** Fraction bits of `rewardPerShare`. */
const SCALE_BITS = 64n;

/** What `d` earned from `v` since its last settlement, in tokens (rounded down). */
function accrued(v: Validator, d: Delegation): bigint {
  return (d.shares * (v.rewardPerShare - d.settledPerShare)) >> SCALE_BITS;
}

function addReward(s: ValidatorState, account: string, amount: bigint): void {
  if (amount > 0n) s.rewards.set(account, (s.rewards.get(account) ?? 0n) + amount);
}

/**
 * Credits validator `key` with `part` of an epoch's reward: commission to its operator's accrued
 * commission, the rest to its delegators at their current shares (all of it to the operator when
 * no shares are issued, which a validator with tokens never is). Both wait in its outstanding pool.
 */
export function credit(s: ValidatorState, key: string, v: Validator, part: bigint): void {
  let commission = (part * BigInt(v.commission)) / BPS;
  if (v.shares === 0n) commission = part;
  else v.rewardPerShare += ((part - commission) << SCALE_BITS) / v.shares;
  v.accruedCommission += commission;
  v.outstandingRewards += part;
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

/** Earned and not yet withdrawn by `account` (a `keyOf` key): its `rewards` entry, its validator's accrued commission, what its delegations accrued since their last settlement. */
export function pendingOf(s: ValidatorState, account: string): bigint {
  let total = (s.rewards.get(account) ?? 0n) + (s.validators.get(account)?.accruedCommission ?? 0n);
  for (const key of s.delegations.keysWithPrefix(account)) {
    total += accrued(s.validators.get(key.slice(32)) as Validator, s.delegations.get(key) as Delegation);
  }
  return total;
}

/** Settles the commission of `account`'s validator and every delegation of it that accrued something (the others keep their fraction of a token). */
export function settleAccount(s: ValidatorState, account: string): void {
  const own = s.validators.get(account);
  if (own && own.accruedCommission > 0n) {
    own.outstandingRewards -= own.accruedCommission;
    addReward(s, account, own.accruedCommission);
    own.accruedCommission = 0n;
    s.validators.set(account, own);
  }
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
 * ones, its validator's accrued commission, and what its delegations accrued since their last
 * settlement. Reads the state only.
 */
export function pendingRewards(state: ValidatorState, account: Uint8Array): bigint {
  if (!(state instanceof ValidatorState)) throw new ArgumentTypeError('pendingRewards', 'state', `must be a ValidatorState, got ${describe(state)}`);
  return pendingOf(state, keyOf(requireByteLength(account, 'pendingRewards', 'account', 32)));
}
