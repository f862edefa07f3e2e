import { settle } from './distribution.js';
import { BPS, type Offence } from './params.js';
import type { Delegation, Validator, ValidatorState } from './state.js';
import { keyOf } from './table.js';

// Slashing by the Cosmos rule: the penalty is a fraction of the power the validator had when it
// misbehaved (its stake in that epoch's committee), not of what it holds now. Tokens that left
// after the infraction — unbonding entries and redelegations created at or after its height —
// are still on the hook for their share of it; whatever of the penalty they do not cover is
// burned from the validator's tokens, which every delegator's shares are worth a part of.

export interface Infraction {
  /** Operator key (`keyOf`) of the validator. */
  validator: string;
  offence: Offence;
  /** Height of the misbehaviour: entries created at or after it share the penalty. */
  height: number;
  /** Epoch whose committee it served in: its stake there is the power slashed. */
  epoch: number;
}

/** The validator's stake in `epoch`'s committee, or its tokens now if that committee is gone or lacks it. */
function powerAt(s: ValidatorState, validator: string, v: Validator, epoch: number): bigint {
  const c = s.committees.find((x) => x.epoch === epoch);
  if (c) {
    for (let i = 0; i < c.operators.length; i++) {
      if (keyOf(c.operators[i]) === validator) return c.stakes[i];
    }
  }
  return v.tokens;
}

/** Burns part of each unbonding entry created at or after the infraction; returns what was burned. */
function slashUnbonding(s: ValidatorState, inf: Infraction, fraction: bigint): bigint {
  let burned = 0n;
  for (const key of s.unbonding.keys()) {
    if (key.slice(32) !== inf.validator) continue;
    const entries = s.unbonding.get(key) ?? [];
    let changed = false;
    for (const e of entries) {
      if (e.creationHeight < inf.height || e.balance === 0n) continue;
      const cut = (e.initialBalance * fraction) / BPS;
      const taken = cut < e.balance ? cut : e.balance;
      e.balance -= taken;
      burned += taken;
      changed = true;
    }
    if (changed) s.unbonding.set(key, entries);
  }
  return burned;
}

/** Unbonds and burns, at the destination, part of each redelegation away from the validator made at or after the infraction. */
function slashRedelegations(s: ValidatorState, inf: Infraction, fraction: bigint): bigint {
  let burned = 0n;
  for (const key of s.redelegations.keys()) {
    if (key.slice(32, 64) !== inf.validator) continue;
    const delegator = key.slice(0, 32);
    const dst = key.slice(64);
    const target = s.validators.get(dst);
    const entries = s.redelegations.get(key) ?? [];
    if (!target) continue;
    let changed = false;
    for (const e of entries) {
      if (e.creationHeight < inf.height || e.sharesDst === 0n || target.shares === 0n) continue;
      const owed = (e.initialBalance * fraction) / BPS;
      const delegation = s.delegations.get(delegator + dst);
      const held = delegation?.shares ?? 0n;
      let shares = target.tokens === 0n ? e.sharesDst : (owed * target.shares + target.tokens - 1n) / target.tokens;
      if (shares > e.sharesDst) shares = e.sharesDst;
      if (shares > held) shares = held;
      if (shares === 0n) continue;
      const tokens = (shares * target.tokens) / target.shares;
      settle(s, delegator, dst, target, delegation as Delegation);
      target.tokens -= tokens;
      target.shares -= shares;
      e.sharesDst -= shares;
      const left = held - shares;
      if (left === 0n) s.delegations.delete(delegator + dst);
      else s.delegations.set(delegator + dst, { shares: left, settledPerShare: target.rewardPerShare });
      burned += tokens;
      changed = true;
    }
    if (changed) {
      s.redelegations.set(key, entries);
      s.validators.set(dst, target);
    }
  }
  return burned;
}

/** Slashes, jails and (for the worst offence) tombstones; returns the tokens burned. */
export function slash(s: ValidatorState, inf: Infraction): bigint {
  const v = s.validators.get(inf.validator);
  if (!v) return 0n;
  const rule = s.params.slashing[inf.offence];
  const fraction = BigInt(rule.fraction);
  let owed = (powerAt(s, inf.validator, v, inf.epoch) * fraction) / BPS;
  const fromEntries = slashUnbonding(s, inf, fraction) + slashRedelegations(s, inf, fraction);
  owed = owed > fromEntries ? owed - fromEntries : 0n;
  const fromTokens = owed < v.tokens ? owed : v.tokens;
  v.tokens -= fromTokens;
  v.jailed = true;
  const until = s.epoch + rule.jailEpochs;
  if (until > v.jailedUntil) v.jailedUntil = until;
  if (rule.tombstone) v.tombstoned = true;
  s.validators.set(inf.validator, v);
  const burned = fromEntries + fromTokens;
  s.burned += burned;
  return burned;
}
