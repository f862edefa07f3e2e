import { ArgumentRangeError, ArgumentTypeError, describe, requireArray, requireByteLength, requireInteger, requireObject, requireOptions } from '../check/index.js';
import { sha256, sha256Many } from '../hash/index.js';

// Stake-weighted sortition by follow-the-satoshi: lay the candidates' stakes end to end on
// [0, total), hash the epoch seed to a point, and take the candidate whose interval holds it.
// Integer arithmetic only (bigint), so every replica draws the same committee.

/**
 * Stakes must sum below 2^128: a 256-bit hash reduced mod the total is then uniform to within
 * total/2^256 < 2^-128 (see docs/validators.md, "Committee election").
 */
const MAX_TOTAL = 1n << 128n;

/** Domain tags end in a zero byte so that no tag is a prefix of another. */
const COMMITTEE_DOMAIN = new TextEncoder().encode('swarmguard/validators/committee/v1\0');
const PRIMARY_DOMAIN = new TextEncoder().encode('swarmguard/validators/primary/v1\0');

/** Stakes as the sortition takes them: bigints ≥ 0 summing below 2^128. Returns the total. */
function requireStakes(value: unknown, where: string): bigint {
  const stakes = requireArray(value, where, 'stakes');
  let total = 0n;
  for (let i = 0; i < stakes.length; i++) {
    const stake = stakes[i];
    if (typeof stake !== 'bigint') throw new ArgumentTypeError(where, `stakes[${i}]`, `must be a bigint, got ${describe(stake)}`);
    if (stake < 0n) throw new ArgumentRangeError(where, `stakes[${i}]`, `must be >= 0n, got ${stake}n`);
    total += stake;
  }
  if (total >= MAX_TOTAL) throw new ArgumentRangeError(where, 'stakes', `must sum to less than 2^128, got ${total}n`);
  return total;
}

/** Follow-the-satoshi over cumulative stake with removal: a Fenwick (binary indexed) tree of bigint stakes. */
export class StakeSampler {
  /** tree[k] (1-based) holds the stake of candidates (k − lowbit(k), k]. */
  private readonly tree: bigint[];
  /** Each candidate's stake not yet removed (0n once removed). */
  private readonly left: bigint[];
  /** The highest power of two ≤ the number of candidates: where `find` starts its descent. */
  private readonly top: number;
  private remaining: bigint;

  constructor(stakes: readonly bigint[]) {
    this.remaining = requireStakes(stakes, 'StakeSampler');
    const n = stakes.length;
    this.left = stakes.slice();
    const tree = new Array<bigint>(n + 1);
    tree[0] = 0n;
    for (let k = 1; k <= n; k++) tree[k] = stakes[k - 1];
    // Linear build: each node passes its sum up to its parent once.
    for (let k = 1; k <= n; k++) {
      const parent = k + (k & -k);
      if (parent <= n) tree[parent] += tree[k];
    }
    this.tree = tree;
    let top = 1;
    while (top * 2 <= n) top *= 2;
    this.top = n === 0 ? 0 : top;
  }

  /** Stake not yet removed. */
  get total(): bigint {
    return this.remaining;
  }

  /** The candidate whose cumulative-stake interval holds `point` (0 ≤ point < total), O(log n). */
  find(point: bigint): number {
    if (typeof point !== 'bigint') throw new ArgumentTypeError('StakeSampler.find', 'point', `must be a bigint, got ${describe(point)}`);
    if (point < 0n || point >= this.remaining) {
      const range = this.remaining === 0n ? 'has no valid value here (no stake is left)' : `must be in [0n, ${this.remaining}n)`;
      throw new ArgumentRangeError('StakeSampler.find', 'point', `${range}, got ${point}n`);
    }
    // Descend from the widest node: skip every node whose whole stake lies at or below the point.
    const tree = this.tree;
    const n = tree.length - 1;
    let at = 0;
    let rest = point;
    for (let step = this.top; step > 0; step >>= 1) {
      const next = at + step;
      if (next <= n && tree[next] <= rest) {
        at = next;
        rest -= tree[next];
      }
    }
    return at;
  }

  /** Takes the candidate out (without replacement), O(log n). Removing it again changes nothing. */
  remove(index: number): void {
    const n = this.left.length;
    requireInteger(index, 'StakeSampler.remove', 'index', 0, n - 1);
    const stake = this.left[index];
    if (stake === 0n) return;
    this.left[index] = 0n;
    this.remaining -= stake;
    const tree = this.tree;
    for (let k = index + 1; k <= n; k += k & -k) tree[k] -= stake;
  }
}

/** Committee size for N eligible candidates: max(min, ⌈log2 N⌉) clamped to max (and to N). Integer only. */
export function committeeSize(candidates: number, bounds: { min: number; max: number }): number {
  requireInteger(candidates, 'committeeSize', 'candidates', 0);
  requireObject(bounds, 'committeeSize', 'bounds');
  requireOptions(bounds, 'committeeSize', 'bounds', ['min', 'max']);
  const min = requireInteger(bounds.min, 'committeeSize', 'bounds.min', 1);
  const max = requireInteger(bounds.max, 'committeeSize', 'bounds.max', min);
  let log2 = 0;
  while (2 ** log2 < candidates) log2++;
  return Math.min(Math.max(min, log2), max, candidates);
}

/** uint256 of 32 bytes, big-endian. */
function uint256(digest: Uint8Array): bigint {
  const view = new DataView(digest.buffer, digest.byteOffset, 32);
  return (view.getBigUint64(0) << 192n) | (view.getBigUint64(8) << 128n) | (view.getBigUint64(16) << 64n) | view.getBigUint64(24);
}

/** domain ‖ seed ‖ counter, the counter big-endian in `counterBytes` bytes (4 or 8). */
function drawInput(domain: Uint8Array, seed: Uint8Array, counter: number, counterBytes: 4 | 8): Uint8Array {
  const input = new Uint8Array(domain.length + 32 + counterBytes);
  input.set(domain);
  input.set(seed, domain.length);
  const view = new DataView(input.buffer, domain.length + 32, counterBytes);
  if (counterBytes === 4) view.setUint32(0, counter);
  else view.setBigUint64(0, BigInt(counter));
  return input;
}

/**
 * Draws `size` distinct candidates, stake-weighted without replacement, from `seed` (32 bytes):
 * draw i takes point = uint256(H(domain ‖ seed ‖ u32 i)) mod total. Returns indexes in draw order.
 * Fewer positive-stake candidates than `size` → all of them.
 */
export function electCommittee(stakes: readonly bigint[], seed: Uint8Array, size: number): number[] {
  requireStakes(stakes, 'electCommittee');
  requireByteLength(seed, 'electCommittee', 'seed', 32);
  requireInteger(size, 'electCommittee', 'size', 0, 0xffffffff);
  let positive = 0;
  for (let i = 0; i < stakes.length; i++) if (stakes[i] > 0n) positive++;
  const draws = Math.min(size, positive);
  const inputs = new Array<Uint8Array>(draws);
  for (let i = 0; i < draws; i++) inputs[i] = drawInput(COMMITTEE_DOMAIN, seed, i, 4);
  // One WASM call hashes every draw's input (a call per draw would cost twice as much).
  const digests = draws === 0 ? [] : sha256Many(inputs);
  const sampler = new StakeSampler(stakes);
  const members = new Array<number>(draws);
  for (let i = 0; i < draws; i++) {
    const member = sampler.find(uint256(digests[i]) % sampler.total);
    sampler.remove(member);
    members[i] = member;
  }
  return members;
}

/** Stake-weighted primary of `view` among the committee's stakes, from the epoch seed (a different domain tag). */
export function primaryOfView(stakes: readonly bigint[], seed: Uint8Array, view: number): number {
  const total = requireStakes(stakes, 'primaryOfView');
  requireByteLength(seed, 'primaryOfView', 'seed', 32);
  requireInteger(view, 'primaryOfView', 'view', 0);
  if (total === 0n) throw new ArgumentRangeError('primaryOfView', 'stakes', 'must hold a positive stake, got none');
  // A committee is small: a linear walk over its cumulative stake is all it needs.
  let rest = uint256(sha256(drawInput(PRIMARY_DOMAIN, seed, view, 8))) % total;
  let member = 0;
  while (rest >= stakes[member]) rest -= stakes[member++];
  return member;
}
