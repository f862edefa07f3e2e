import { pendingOf, settle, settleAccount } from './distribution.js';
import type { StakingRefusal } from './result.js';
import type { Delegation, UnbondingEntry, Validator, ValidatorState } from './state.js';
import { keyOf } from './table.js';

// Bonding as Cosmos does it: a validator holds `tokens` and has issued `shares`; a delegator owns
// shares, each worth tokens / shares. Slashing burns tokens and leaves shares alone, so every
// delegator loses the same fraction. Rounding always favours the validator's remaining holders:
// shares issued round down, shares taken on the way out round up, tokens paid out round down.
// Every handler checks everything before it changes anything: a refusal leaves the state as it was.
// A delegation's rewards are settled before its shares change (distribution.ts): what it earned
// was earned on the shares it had.

export function balanceOf(s: ValidatorState, account: string): bigint {
  return s.balances.get(account) ?? 0n;
}

function credit(s: ValidatorState, account: string, amount: bigint): void {
  if (amount === 0n) return;
  s.balances.set(account, balanceOf(s, account) + amount);
}

function debit(s: ValidatorState, account: string, amount: bigint): void {
  const left = balanceOf(s, account) - amount;
  if (left === 0n) s.balances.delete(account);
  else s.balances.set(account, left);
}

export function transfer(s: ValidatorState, from: string, to: Uint8Array, amount: bigint): StakingRefusal | null {
  if (amount === 0n) return 'zero-amount';
  if (balanceOf(s, from) < amount) return 'insufficient-funds';
  debit(s, from, amount);
  credit(s, keyOf(to), amount);
  return null;
}

/** Shares `amount` tokens buy in `v`, or a refusal. */
function sharesFor(v: Validator, amount: bigint): bigint | StakingRefusal {
  if (v.shares === 0n) return amount;
  if (v.tokens === 0n) return 'validator-insolvent';
  const shares = (amount * v.shares) / v.tokens;
  return shares === 0n ? 'zero-amount' : shares;
}

/** Adds `shares` worth `amount` to a delegation (the tokens already left the delegator). */
export function bond(s: ValidatorState, delegator: string, validator: string, v: Validator, amount: bigint, shares: bigint): void {
  const key = delegator + validator;
  const d = s.delegations.get(key);
  if (d) settle(s, delegator, validator, v, d);
  v.tokens += amount;
  v.shares += shares;
  s.validators.set(validator, v);
  s.delegations.set(key, { shares: (d?.shares ?? 0n) + shares, settledPerShare: v.rewardPerShare });
}

export function delegate(s: ValidatorState, delegator: string, validator: Uint8Array, amount: bigint): StakingRefusal | null {
  if (amount === 0n) return 'zero-amount';
  const key = keyOf(validator);
  const v = s.validators.get(key);
  if (!v) return 'unknown-validator';
  if (v.tombstoned) return 'tombstoned';
  if (balanceOf(s, delegator) < amount) return 'insufficient-funds';
  const shares = sharesFor(v, amount);
  if (typeof shares === 'string') return shares;
  debit(s, delegator, amount);
  bond(s, delegator, key, v, amount, shares);
  return null;
}

/** The shares to take from a delegation for `amount` tokens (all of it if it is worth no more), and the tokens they pay. */
function withdrawal(s: ValidatorState, delegator: string, validator: string, amount: bigint): { v: Validator; shares: bigint; tokens: bigint } | StakingRefusal {
  if (amount === 0n) return 'zero-amount';
  const v = s.validators.get(validator);
  if (!v) return 'unknown-validator';
  const held = s.delegations.get(delegator + validator)?.shares ?? 0n;
  if (held === 0n || v.tokens === 0n) return 'insufficient-stake';
  let shares = (amount * v.shares + v.tokens - 1n) / v.tokens;
  if (shares > held) {
    if (amount > (held * v.tokens) / v.shares) return 'insufficient-stake';
    shares = held;
  }
  const tokens = (shares * v.tokens) / v.shares;
  return tokens === 0n ? 'zero-amount' : { v, shares, tokens };
}

/** Takes shares out of a delegation and the tokens out of the validator; jails an operator whose self-bond fell below the minimum. */
function unbondShares(s: ValidatorState, delegator: string, validator: string, v: Validator, shares: bigint, tokens: bigint): void {
  const key = delegator + validator;
  const d = s.delegations.get(key) as Delegation;
  settle(s, delegator, validator, v, d);
  const left = d.shares - shares;
  if (left === 0n) s.delegations.delete(key);
  else s.delegations.set(key, { shares: left, settledPerShare: v.rewardPerShare });
  v.tokens -= tokens;
  v.shares -= shares;
  if (delegator === validator && !v.jailed && (v.shares === 0n ? 0n : (left * v.tokens) / v.shares) < s.params.minSelfBond) {
    // As Cosmos: an operator that takes its own bond below the minimum leaves the committee until it bonds again and unjails.
    v.jailed = true;
    v.jailedUntil = s.epoch;
  }
  s.validators.set(validator, v);
}

export function unbond(s: ValidatorState, delegator: string, validator: Uint8Array, amount: bigint, height: number): StakingRefusal | null {
  const vkey = keyOf(validator);
  const w = withdrawal(s, delegator, vkey, amount);
  if (typeof w === 'string') return w;
  const key = delegator + vkey;
  const entries = s.unbonding.get(key) ?? [];
  if (entries.length >= s.params.maxEntries) return 'too-many-entries';
  unbondShares(s, delegator, vkey, w.v, w.shares, w.tokens);
  const entry: UnbondingEntry = { creationHeight: height, completionEpoch: s.epoch + s.params.unbondingEpochs, initialBalance: w.tokens, balance: w.tokens };
  s.unbonding.set(key, [...entries, entry]);
  return null;
}

export function redelegate(s: ValidatorState, delegator: string, from: Uint8Array, to: Uint8Array, amount: bigint, height: number): StakingRefusal | null {
  const src = keyOf(from);
  const dst = keyOf(to);
  if (src === dst) return 'same-validator';
  const target = s.validators.get(dst);
  if (!target) return 'unknown-validator';
  if (target.tombstoned) return 'tombstoned';
  const w = withdrawal(s, delegator, src, amount);
  if (typeof w === 'string') return w;
  const key = delegator + src + dst;
  const entries = s.redelegations.get(key) ?? [];
  if (entries.length >= s.params.maxEntries) return 'too-many-entries';
  const shares = sharesFor(target, w.tokens);
  if (typeof shares === 'string') return shares;
  unbondShares(s, delegator, src, w.v, w.shares, w.tokens);
  bond(s, delegator, dst, target, w.tokens, shares);
  s.redelegations.set(key, [...entries, { creationHeight: height, completionEpoch: s.epoch + s.params.unbondingEpochs, initialBalance: w.tokens, sharesDst: shares }]);
  return null;
}

export function unjail(s: ValidatorState, operator: string): StakingRefusal | null {
  const v = s.validators.get(operator);
  if (!v) return 'unknown-validator';
  if (v.tombstoned) return 'tombstoned';
  if (!v.jailed) return 'not-jailed';
  if (s.epoch < v.jailedUntil) return 'jail-cooldown';
  const self = s.delegations.get(operator + operator)?.shares ?? 0n;
  if (v.shares === 0n || (self * v.tokens) / v.shares < s.params.minSelfBond) return 'self-bond-too-small';
  v.jailed = false;
  s.validators.set(operator, v);
  return null;
}

/** Settles the account's commission and delegations, and moves everything it earned to its balance. */
export function withdrawRewards(s: ValidatorState, account: string): StakingRefusal | null {
  const pending = pendingOf(s, account);
  if (pending === 0n) return 'no-rewards';
  settleAccount(s, account);
  s.rewards.delete(account);
  credit(s, account, pending);
  return null;
}

/** Unbonding entries that completed by the start of `epoch` pay out; redelegations stop being slashable. */
export function matureEntries(s: ValidatorState, epoch: number): void {
  s.unbonding.forEach((key, entries) => {
    if (!entries.some((e) => e.completionEpoch <= epoch)) return;
    const delegator = key.slice(0, 32);
    for (const e of entries) if (e.completionEpoch <= epoch) credit(s, delegator, e.balance);
    const left = entries.filter((e) => e.completionEpoch > epoch);
    if (left.length) s.unbonding.set(key, left);
    else s.unbonding.delete(key);
  });
  s.redelegations.forEach((key, entries) => {
    if (!entries.some((e) => e.completionEpoch <= epoch)) return;
    const left = entries.filter((e) => e.completionEpoch > epoch);
    if (left.length) s.redelegations.set(key, left);
    else s.redelegations.delete(key);
  });
}
