import { requireBoolean, requireInteger, requireObject, requireOptions } from '../check/index.js';
import { requireAmount } from './amount.js';

// Every rule of the validator state machine, with its default. Fractions are integers: basis
// points (1/10,000) for shares of stake and rewards, parts per million for reputation, so every
// replica computes the same bytes (no floating point decides a balance or a membership).

/** Basis points in one whole (100 %). */
export const BPS = 10_000n;
/** Parts per million in one whole: the unit of reputation and measured performance. */
export const PPM = 1_000_000;

/** The four slashable offences, mildest first. */
export type Offence = 'downtime' | 'invalid-proposal' | 'equivocation' | 'conflicting-commits';
export const OFFENCES: readonly Offence[] = ['downtime', 'invalid-proposal', 'equivocation', 'conflicting-commits'];

export interface SlashRule {
  /** Share of the stake bonded at the infraction that is burned, in basis points. */
  fraction: number;
  /** Epochs the validator stays jailed before it may send `unjail`. */
  jailEpochs: number;
  /** Never again: the validator can never unjail (its delegators may still unbond). */
  tombstone: boolean;
}

export interface StakingParams {
  /**
   * Elect a new committee every epoch (default true). False keeps genesis's validators as the
   * committee, signing under the consensus set of epoch 0, for networks whose consensus does not
   * follow the elected committee: staking, rewards and slashing work the same, jailing stops rewards.
   */
  reconfigure: boolean;
  /** Blocks per epoch (default 256); a multiple of the consensus checkpoint interval keeps epoch ends on checkpoints. */
  epochBlocks: number;
  /** Epochs an unbonding or redelegation stays slashable before it completes (default 7). */
  unbondingEpochs: number;
  /** Unbonding (and redelegation) entries one delegator may have pending per validator (default 7, as Cosmos). */
  maxEntries: number;
  /** Smallest self-bond to register, and to stay electable or unjail (default 1). */
  minSelfBond: bigint;
  /** Highest commission in basis points (default 10,000 = 100 %). */
  maxCommission: number;
  /** Tokens minted per epoch and shared among that epoch's committee (default 1,000,000). */
  epochReward: bigint;
  /** Weight of reputation share and of stake share in a validator's reward, basis points summing to 10,000 (default 6,000 / 4,000). */
  rewardWeights: { reputation: number; stake: number };
  /** EMA weight of the previous reputation, ppm (default 900,000: rep' = 0.9·rep + 0.1·performance). */
  reputationAlpha: number;
  /** Reputation of a newly registered validator, ppm (default 500,000). */
  initialReputation: number;
  /** Half-life in epochs of the reputation of a validator outside the committee: rep · 2^(−t/h) (default 8). */
  reputationHalfLife: number;
  /** Weight of vote signing in measured performance, basis points; the rest is proposals (default 7,500). */
  voteWeight: number;
  /** Downtime: a committee member that signed fewer than this share (bps) of the epoch's recorded commits (default 5,000). */
  minSignedPerEpoch: number;
  /** Recorded commits an epoch needs before downtime is judged at all (default 16). */
  minRecordedPerEpoch: number;
  /** Evidence older than this many epochs is refused as stale (default 2; must stay below `unbondingEpochs`). */
  evidenceMaxAgeEpochs: number;
  /** Committee size bounds: max(min, ⌈log2 N⌉) clamped to max (defaults 4 and 100). */
  committee: { min: number; max: number };
  slashing: Record<Offence, SlashRule>;
}

export const DEFAULT_STAKING_PARAMS: Readonly<StakingParams> = Object.freeze({
  reconfigure: true,
  epochBlocks: 256,
  unbondingEpochs: 7,
  maxEntries: 7,
  minSelfBond: 1n,
  maxCommission: 10_000,
  epochReward: 1_000_000n,
  rewardWeights: { reputation: 6_000, stake: 4_000 },
  reputationAlpha: 900_000,
  initialReputation: 500_000,
  reputationHalfLife: 8,
  voteWeight: 7_500,
  minSignedPerEpoch: 5_000,
  minRecordedPerEpoch: 16,
  evidenceMaxAgeEpochs: 2,
  committee: { min: 4, max: 100 },
  slashing: {
    downtime: { fraction: 100, jailEpochs: 1, tombstone: false },
    'invalid-proposal': { fraction: 500, jailEpochs: 4, tombstone: false },
    equivocation: { fraction: 2_000, jailEpochs: 8, tombstone: false },
    'conflicting-commits': { fraction: 5_000, jailEpochs: 0, tombstone: true },
  },
});

const WHERE = 'resolveStakingParams';
const KEYS = Object.keys(DEFAULT_STAKING_PARAMS);

function resolveSlashing(given: Partial<Record<Offence, Partial<SlashRule>>> | undefined): Record<Offence, SlashRule> {
  const out = {} as Record<Offence, SlashRule>;
  const table = requireOptions(given, WHERE, 'params.slashing', OFFENCES as string[]) as Partial<Record<Offence, Partial<SlashRule>>>;
  for (const offence of OFFENCES) {
    const d = DEFAULT_STAKING_PARAMS.slashing[offence];
    const g = requireOptions(table[offence], WHERE, `params.slashing.${offence}`, ['fraction', 'jailEpochs', 'tombstone']) as Partial<SlashRule>;
    out[offence] = {
      fraction: requireInteger(g.fraction ?? d.fraction, WHERE, `params.slashing.${offence}.fraction`, 0, 10_000),
      jailEpochs: requireInteger(g.jailEpochs ?? d.jailEpochs, WHERE, `params.slashing.${offence}.jailEpochs`, 0, 1_000_000),
      tombstone: requireBoolean(g.tombstone ?? d.tombstone, WHERE, `params.slashing.${offence}.tombstone`),
    };
  }
  return out;
}

/** Rules with defaults filled in and every value checked (TypeError / RangeError naming the field). */
export function resolveStakingParams(params?: Partial<StakingParams>): StakingParams {
  const p = requireOptions(params, WHERE, 'params', KEYS) as Partial<StakingParams>;
  const d = DEFAULT_STAKING_PARAMS;
  const weights = requireOptions(requireObject<{ reputation: number; stake: number }>(p.rewardWeights ?? d.rewardWeights, WHERE, 'params.rewardWeights'), WHERE, 'params.rewardWeights', ['reputation', 'stake']);
  const reputation = requireInteger(weights.reputation, WHERE, 'params.rewardWeights.reputation', 0, 10_000);
  requireInteger(weights.stake, WHERE, 'params.rewardWeights.stake', 10_000 - reputation, 10_000 - reputation);
  const committee = requireOptions(requireObject<{ min: number; max: number }>(p.committee ?? d.committee, WHERE, 'params.committee'), WHERE, 'params.committee', ['min', 'max']);
  const min = requireInteger(committee.min, WHERE, 'params.committee.min', 4, 1024);
  const unbondingEpochs = requireInteger(p.unbondingEpochs ?? d.unbondingEpochs, WHERE, 'params.unbondingEpochs', 1, 1_000_000);
  return {
    reconfigure: requireBoolean(p.reconfigure ?? d.reconfigure, WHERE, 'params.reconfigure'),
    epochBlocks: requireInteger(p.epochBlocks ?? d.epochBlocks, WHERE, 'params.epochBlocks', 1, 2 ** 32),
    unbondingEpochs,
    maxEntries: requireInteger(p.maxEntries ?? d.maxEntries, WHERE, 'params.maxEntries', 1, 1024),
    minSelfBond: requireAmount(p.minSelfBond ?? d.minSelfBond, WHERE, 'params.minSelfBond'),
    maxCommission: requireInteger(p.maxCommission ?? d.maxCommission, WHERE, 'params.maxCommission', 0, 10_000),
    epochReward: requireAmount(p.epochReward ?? d.epochReward, WHERE, 'params.epochReward'),
    rewardWeights: { reputation, stake: 10_000 - reputation },
    reputationAlpha: requireInteger(p.reputationAlpha ?? d.reputationAlpha, WHERE, 'params.reputationAlpha', 0, PPM),
    initialReputation: requireInteger(p.initialReputation ?? d.initialReputation, WHERE, 'params.initialReputation', 0, PPM),
    reputationHalfLife: requireInteger(p.reputationHalfLife ?? d.reputationHalfLife, WHERE, 'params.reputationHalfLife', 1, 10_000),
    voteWeight: requireInteger(p.voteWeight ?? d.voteWeight, WHERE, 'params.voteWeight', 0, 10_000),
    minSignedPerEpoch: requireInteger(p.minSignedPerEpoch ?? d.minSignedPerEpoch, WHERE, 'params.minSignedPerEpoch', 0, 10_000),
    minRecordedPerEpoch: requireInteger(p.minRecordedPerEpoch ?? d.minRecordedPerEpoch, WHERE, 'params.minRecordedPerEpoch', 1, 2 ** 32),
    evidenceMaxAgeEpochs: requireInteger(p.evidenceMaxAgeEpochs ?? d.evidenceMaxAgeEpochs, WHERE, 'params.evidenceMaxAgeEpochs', 0, unbondingEpochs - 1),
    committee: { min, max: requireInteger(committee.max, WHERE, 'params.committee.max', min, 1024) },
    slashing: resolveSlashing(p.slashing),
  };
}

/**
 * 2^(−1/h) as a fraction of 2^32, computed with integers only: the largest x with x^h ≤ 2^(32h−1).
 * Multiplying a reputation by it once per inactive epoch halves it every h epochs.
 */
export function halfLifeFactor(h: number): bigint {
  const target = 1n << BigInt(32 * h - 1);
  let lo = 0n;
  let hi = 1n << 32n;
  while (lo < hi) {
    const mid = (lo + hi + 1n) >> 1n;
    if (mid ** BigInt(h) <= target) lo = mid;
    else hi = mid - 1n;
  }
  return lo;
}
