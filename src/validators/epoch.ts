import { credit } from './distribution.js';
import { fallbackEpochSeed } from './epochSeed.js';
import { BPS, halfLifeFactor, PPM } from './params.js';
import { slash } from './slashing.js';
import { committeeSize, electCommittee } from './sortition.js';
import { matureEntries } from './staking.js';
import type { Committee, Validator, ValidatorState } from './state.js';
import { keyOf } from './table.js';

// The end of an epoch, in a fixed order every replica follows: measure the committee (reputation,
// with decay for everyone else; downtime), pay it, release matured unbonding, then draw the next
// committee from the new seed. Integer arithmetic throughout.

const decayFactors = new Map<number, bigint>();

function decayFactor(h: number): bigint {
  let f = decayFactors.get(h);
  if (f === undefined) decayFactors.set(h, (f = halfLifeFactor(h)));
  return f;
}

const memberKeyCache = new WeakMap<Committee, string[]>();

/** The committee's operator keys (`keyOf`), made once per committee: every step of its epoch's end looks its members up. */
function memberKeys(c: Committee): string[] {
  let keys = memberKeyCache.get(c);
  if (!keys) memberKeyCache.set(c, (keys = c.operators.map((o) => keyOf(o))));
  return keys;
}

/** Measured performance of committee member `i`, ppm: vote signing and proposals, weighted by `voteWeight`. */
function performance(s: ValidatorState, i: number, recorded: number, n: number): number {
  const votes = Math.floor((s.activity.signed[i] * PPM) / recorded);
  // A fair share of proposals is recorded / n; more than that counts as a full score.
  const proposals = Math.min(PPM, Math.floor((s.activity.proposed[i] * n * PPM) / recorded));
  return Math.floor((votes * s.params.voteWeight + proposals * (10_000 - s.params.voteWeight)) / 10_000);
}

/** Reputation EMA for members, half-life decay for the rest. */
function updateReputation(s: ValidatorState): void {
  const c = s.committee;
  const recorded = s.recordedHeights.size;
  const keys = memberKeys(c);
  const members = new Set(keys);
  const alpha = s.params.reputationAlpha;
  if (recorded > 0) {
    for (let i = 0; i < c.operators.length; i++) {
      const key = keys[i];
      const v = s.validators.get(key);
      if (!v) continue;
      v.reputation = Math.floor((alpha * v.reputation + (PPM - alpha) * performance(s, i, recorded, c.operators.length)) / PPM);
      s.validators.set(key, v);
    }
  }
  const factor = decayFactor(s.params.reputationHalfLife);
  const factorNumber = Number(factor);
  s.validators.forEach((key, v) => {
    if (v.reputation === 0 || members.has(key)) return;
    // reputation · factor / 2^32, rounded down: exact in doubles while the product stays below 2^53.
    v.reputation = v.reputation < 2 ** 21 ? Math.floor((v.reputation * factorNumber) / 2 ** 32) : Number((BigInt(v.reputation) * factor) >> 32n);
    s.validators.set(key, v);
  });
}

/** Downtime slashing for members that signed too few of the epoch's recorded commits. */
function judgeDowntime(s: ValidatorState, end: number): void {
  const c = s.committee;
  const recorded = s.recordedHeights.size;
  if (recorded < s.params.minRecordedPerEpoch) return;
  for (let i = 0; i < c.operators.length; i++) {
    if (s.activity.signed[i] * 10_000 < s.params.minSignedPerEpoch * recorded) {
      const validator = memberKeys(c)[i];
      if (!s.validators.get(validator)?.jailed) slash(s, { validator, offence: 'downtime', height: end, epoch: c.epoch });
    }
  }
}

/**
 * Mints `epochReward` over the committee's unjailed members by weight
 * wr · reputation share + ws · stake share, and credits each member's part to it: commission to
 * its operator's accrued commission, the rest to its delegators as a whole (reward per share),
 * both settled to accounts later (distribution.ts). One step per paid validator, none per
 * delegation or account.
 */
function reward(s: ValidatorState): void {
  const paid: { key: string; v: Validator }[] = [];
  let totalRep = 0n;
  let totalStake = 0n;
  for (const key of memberKeys(s.committee)) {
    const v = s.validators.get(key);
    if (!v || v.jailed || v.tokens === 0n) continue;
    paid.push({ key, v });
    totalRep += BigInt(v.reputation);
    totalStake += v.tokens;
  }
  if (!paid.length || s.params.epochReward === 0n) return;
  const wr = totalRep === 0n ? 0n : BigInt(s.params.rewardWeights.reputation);
  const ws = BPS - wr;
  const reps = totalRep === 0n ? 1n : totalRep;
  // reward · (wr · rep / totalRep + ws · tokens / totalStake) / BPS over one denominator; what a reputation point and a token weigh is the same for all.
  const perRep = wr * totalStake;
  const perToken = ws * reps;
  const denominator = BPS * reps * totalStake;
  let minted = 0n;
  for (const { key, v } of paid) {
    const part = (s.params.epochReward * (perRep * BigInt(v.reputation) + perToken * v.tokens)) / denominator;
    if (part === 0n) continue;
    minted += part;
    credit(s, key, v, part);
  }
  s.minted += minted;
}

/**
 * The next committee: bonded, unjailed, untombstoned validators drawn by stake from `seed`; the
 * current members (with their stakes now) if fewer than 4 qualify or the committee is fixed.
 */
function elect(s: ValidatorState, epoch: number, seed: Uint8Array): Committee {
  const keys: string[] = [];
  const stakes: bigint[] = [];
  // Drawn by the stakes of the epoch's start; jailed or tombstoned since then, out.
  s.electorate.forEach((key, stake) => {
    const v = s.validators.get(key) as Validator;
    if (v.jailed || v.tombstoned || v.tokens === 0n) return;
    keys.push(key);
    stakes.push(stake);
  });
  const size = keys.length < 4 || !s.params.reconfigure ? 0 : committeeSize(keys.length, s.params.committee);
  // PBFT needs n ≥ 4: with fewer candidates the committee stays as it is (its members keep their stake snapshot).
  const drawn = size ? electCommittee(stakes, seed, size) : null;
  const c: Committee = { epoch, setEpoch: s.params.reconfigure ? epoch : 0, seed, operators: [], consensusKeys: [], stakes: [] };
  const members = drawn ? drawn.map((i) => keys[i]) : memberKeys(s.committee);
  for (const key of members) {
    const v = s.validators.get(key) as Validator;
    c.operators.push(v.operator);
    c.consensusKeys.push(v.consensusKey);
    c.stakes.push(v.tokens);
  }
  return c;
}

/** Draws the next epoch's committee from its seed and makes it current (the previous ones stay for evidence). */
function electNext(s: ValidatorState): void {
  const next = s.epoch + 1;
  const seed = s.nextSeed ?? fallbackEpochSeed(s.committee.seed, s.epoch);
  s.committees = [elect(s, next, seed), ...s.committees].slice(0, s.params.evidenceMaxAgeEpochs + 1);
}

/** The electable validators and their tokens now: whom the next epoch's election draws from. */
export function fixElectorate(s: ValidatorState): void {
  // Only what changed is written: an unchanged entry keeps its cached leaf hash (validators are never removed, so this visits every key).
  s.validators.forEach((key, v) => {
    if (!v.jailed && !v.tombstoned && v.tokens > 0n) {
      if (s.electorate.get(key) !== v.tokens) s.electorate.set(key, v.tokens);
    } else if (s.electorate.has(key)) s.electorate.delete(key);
  });
}

/** Forgets evidence past its age and starts the next epoch. */
function advance(s: ValidatorState): void {
  const next = s.epoch + 1;
  for (const key of [...s.evidence.keys()]) {
    if (Number(s.evidence.get(key)) < next - s.params.evidenceMaxAgeEpochs) s.evidence.delete(key);
  }
  s.epoch = next;
  s.nextSeed = null;
  s.recordedHeights.clear();
  const n = s.committee.operators.length;
  s.activity = { signed: new Array(n).fill(0), proposed: new Array(n).fill(0) };
}

/**
 * The steps of an epoch's end at height `end`, in the order every replica runs them (`endEpoch`
 * runs them all). Named so that `swarmguard bench validators` can time each one.
 */
export const EPOCH_END_STEPS: readonly { name: string; run: (s: ValidatorState, end: number) => void }[] = [
  { name: 'reputation', run: updateReputation },
  { name: 'downtime', run: judgeDowntime },
  { name: 'rewards', run: reward },
  { name: 'maturity', run: (s) => matureEntries(s, s.epoch + 1) },
  { name: 'election', run: electNext },
  { name: 'electorate', run: fixElectorate },
  { name: 'advance', run: advance },
];

/** Ends epoch `s.epoch` at height `end` and starts the next one. */
export function endEpoch(s: ValidatorState, end: number): void {
  for (const step of EPOCH_END_STEPS) step.run(s, end);
}
