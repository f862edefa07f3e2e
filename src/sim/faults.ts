import type { Prng } from './prng.js';

/** Network and crash faults, active until the heal time. */
export const NETWORK_FAULTS = ['delay', 'drop', 'duplicate', 'reorder', 'partition', 'isolate', 'crash'] as const;
/**
 * What the disks do until the heal time: slow writes, torn writes (at a crash, the write in
 * flight lands in part) and latent corruption (bit flips in stored records, found at restart).
 * Torn writes and corruption strike at crashes, so they bring crashes with them.
 */
export const DISK_FAULTS = ['slow-disk', 'torn-write', 'corrupt-disk'] as const;
/**
 * What a Byzantine primary does to the transactions of the blocks it proposes (see txAttacks.ts):
 * fabricates one in an honest client's name, replays a committed one (or one of the block's own
 * twice), reverses a run of one sender's nonces, or carries a badly signed one or one for another
 * chain. Each such block is re-signed, so it reaches the backups' transaction checks.
 */
export const TX_ATTACKS = ['forge-txs', 'replay-txs', 'reorder-txs', 'invalid-txs'] as const;
export type TxAttack = (typeof TX_ATTACKS)[number];
/** What the Byzantine replicas do (for the whole run). */
export const BYZANTINE_FAULTS = [
  'equivocate-primary',
  'equivocate-votes',
  'bad-signatures',
  'replay',
  'malformed',
  'silence',
  'fake-viewchange',
  ...TX_ATTACKS,
  // Liveness attacks (appended, so seeds drawn before them keep their other faults):
  // `censor`: as primary, proposes empty blocks while requests wait; `withhold-commit`: as
  // primary, leaves the next primary out of its PRE-PREPAREs and never sends its COMMITs (so it
  // alone may hold a commit certificate).
  'censor',
  'withhold-commit',
  // `flood`: validly signed frames of every kind at the replicas' bounds (flood.ts); `forge-replies`:
  // its replies to clients carry other results, some under other replicas' ids.
  'flood',
  'forge-replies',
  // Lies in structure, signed only with its own key (lies.ts): `selective-viewchange`, its
  // VIEW-CHANGE to a few peers and then silence; `subset-newview`, as primary a NEW-VIEW from the
  // 2f+1 VIEW-CHANGEs of its choice to some peers; `transfer-lies`, TRANSFERs with stripped certificates.
  'selective-viewchange',
  'subset-newview',
  'transfer-lies',
] as const;
/** What clients do wrong: `partial-send` sends half the transactions to all replicas but one (often the primary). */
const CLIENT_FAULTS = ['partial-send'] as const;
/**
 * Asymmetries, until the heal time: `one-way` cuts the links from one group of validators to the
 * rest while the other direction still works; `clock-skew` runs each validator's clock at its own
 * rate (for the whole run: the liveness bound allows for the slowest clock).
 */
const ASYMMETRY_FAULTS = ['one-way', 'clock-skew'] as const;
export const FAULTS = [...NETWORK_FAULTS, ...DISK_FAULTS, ...BYZANTINE_FAULTS, ...CLIENT_FAULTS, ...ASYMMETRY_FAULTS] as const;
export type Fault = (typeof FAULTS)[number];

/**
 * What the epoch simulation draws from: the network's faults. Its Byzantine members always
 * equivocate (`equivocate-votes`); crashes, disk faults and the other adversaries are left to the
 * fixed-set simulation.
 */
export const EPOCH_FAULTS = ['delay', 'drop', 'duplicate', 'reorder', 'partition', 'isolate'] as const satisfies readonly Fault[];

export function isFault(name: string): name is Fault {
  return (FAULTS as readonly string[]).includes(name);
}

export function isDiskFault(name: string): name is (typeof DISK_FAULTS)[number] {
  return (DISK_FAULTS as readonly string[]).includes(name);
}

export function isTxAttack(name: string): name is TxAttack {
  return (TX_ATTACKS as readonly string[]).includes(name);
}

export function isByzantineFault(name: string): name is (typeof BYZANTINE_FAULTS)[number] {
  return (BYZANTINE_FAULTS as readonly string[]).includes(name);
}

/** Swarm testing: each seed draws its own mix, so rare combinations get their turn. */
export function drawFaults(rng: Prng): Fault[] {
  const mix = FAULTS.filter(() => rng.chance(0.4));
  if (!mix.some(isByzantineFault)) mix.push(rng.pick(BYZANTINE_FAULTS));
  return mix;
}
