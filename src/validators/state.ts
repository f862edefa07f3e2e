import { DecodeError, type Reader, Writer } from '../consensus/index.js';
import { sha256 } from '../hash/index.js';
import type { StakingParams } from './params.js';
import { type Codec, readAmount, SortedTable, writeAmount } from './table.js';

// The validator state: plain records in sorted tables, so the state root and the snapshot are
// canonical bytes every replica computes alike. Keys are raw bytes as one-char-per-byte strings
// (`keyOf`): accounts by their 32-byte public key, validators by their operator's account key,
// delegations by delegator ‖ validator, redelegations by delegator ‖ source ‖ destination.

export interface Validator {
  /** Account key of the operator that registered it: the validator's id in transactions. */
  operator: Uint8Array;
  /** Raw 32-byte Ed25519 key that signs its consensus messages (and its epoch-seed VRF proofs). */
  consensusKey: Uint8Array;
  /** Share of its rewards the operator keeps, basis points. */
  commission: number;
  /** Bonded tokens, slashed in place: each delegator share is worth tokens / shares. */
  tokens: bigint;
  /** Delegator shares issued. */
  shares: bigint;
  /** Reputation, ppm. */
  reputation: number;
  jailed: boolean;
  /** First epoch `unjail` is accepted. */
  jailedUntil: number;
  tombstoned: boolean;
  /** Rewards per share credited to its delegators since it registered, fixed point over 2^64 (distribution.ts). */
  rewardPerShare: bigint;
  /**
   * Rewards credited to it and not yet settled to an account: its delegators' (rounding dust stays
   * here) and its operator's commission (`accruedCommission` of it).
   */
  outstandingRewards: bigint;
  /** Commission its operator earned and has not yet withdrawn (part of `outstandingRewards`). */
  accruedCommission: bigint;
}

export interface Delegation {
  shares: bigint;
  /** The validator's `rewardPerShare` when this delegation was last settled: it has earned shares × the rise since. */
  settledPerShare: bigint;
}

/** Tokens on their way out of a validator, still slashable for infractions before `creationHeight`. */
export interface UnbondingEntry {
  creationHeight: number;
  completionEpoch: number;
  initialBalance: bigint;
  balance: bigint;
}

/** Shares moved to another validator, still slashable for the source's infractions before `creationHeight`. */
export interface RedelegationEntry {
  creationHeight: number;
  completionEpoch: number;
  initialBalance: bigint;
  sharesDst: bigint;
}

/** An epoch's committee: who signs consensus, in order (the index is the validator id in frames). */
export interface Committee {
  epoch: number;
  /**
   * The epoch of the consensus validator set its members sign under (`ReplicaConfig.epoch`): the
   * epoch itself when consensus follows the elected committees, 0 while it keeps genesis's set
   * (`params.reconfigure: false`).
   */
  setEpoch: number;
  /** 32-byte seed the committee was drawn from. */
  seed: Uint8Array;
  /** Operator account keys, in draw order. */
  operators: Uint8Array[];
  /** Their consensus keys, same order. */
  consensusKeys: Uint8Array[];
  /** Their bonded tokens when the committee was drawn: the power slashing refers back to. */
  stakes: bigint[];
}

/** One epoch's measured work of each committee member, by committee index. */
export interface Activity {
  /** Recorded commits each member signed. */
  signed: number[];
  /** Recorded commits of blocks each member proposed. */
  proposed: number[];
}

/** Reward per share as a u256, little-endian in u32 words (it stays below 2^192: distribution.ts). */
function writeRatio(w: Writer, v: bigint): void {
  let x = v;
  for (let i = 0; i < 8; i++) {
    if (x === 0n) w.u32(0);
    else {
      w.u32(Number(BigInt.asUintN(32, x)));
      x >>= 32n;
    }
  }
}

function readRatio(r: Reader): bigint {
  const words = [r.u32(), r.u32(), r.u32(), r.u32(), r.u32(), r.u32(), r.u32(), r.u32()];
  let top = 7;
  while (top > 0 && words[top] === 0) top--;
  let v = BigInt(words[top]);
  for (let i = top - 1; i >= 0; i--) v = (v << 32n) | BigInt(words[i]);
  return v;
}

const bigintCodec: Codec<bigint> = { encode: (w, v) => writeAmount(w, v), decode: readAmount };

const validatorCodec: Codec<Validator> = {
  encode(w, v) {
    w.raw(v.operator).raw(v.consensusKey).u16(v.commission);
    writeAmount(w, v.tokens);
    writeAmount(w, v.shares);
    w.u32(v.reputation).u8(v.jailed ? 1 : 0).u64(v.jailedUntil).u8(v.tombstoned ? 1 : 0);
    writeRatio(w, v.rewardPerShare);
    writeAmount(w, v.outstandingRewards);
    writeAmount(w, v.accruedCommission);
  },
  decode(r) {
    return {
      operator: r.raw(32).slice(),
      consensusKey: r.raw(32).slice(),
      commission: r.u16(),
      tokens: readAmount(r),
      shares: readAmount(r),
      reputation: r.u32(),
      jailed: r.u8() === 1,
      jailedUntil: r.u64(),
      tombstoned: r.u8() === 1,
      rewardPerShare: readRatio(r),
      outstandingRewards: readAmount(r),
      accruedCommission: readAmount(r),
    };
  },
};

const delegationCodec: Codec<Delegation> = {
  encode(w, d) {
    writeAmount(w, d.shares);
    writeRatio(w, d.settledPerShare);
  },
  decode: (r) => ({ shares: readAmount(r), settledPerShare: readRatio(r) }),
};

function listCodec<T>(item: Codec<T>): Codec<T[]> {
  return {
    encode(w, list) {
      w.u16(list.length);
      for (const x of list) item.encode(w, x);
    },
    decode(r) {
      const n = r.u16();
      const out: T[] = [];
      for (let i = 0; i < n; i++) out.push(item.decode(r));
      return out;
    },
  };
}

const unbondingCodec = listCodec<UnbondingEntry>({
  encode(w, e) {
    w.u64(e.creationHeight).u64(e.completionEpoch);
    writeAmount(w, e.initialBalance);
    writeAmount(w, e.balance);
  },
  decode: (r) => ({ creationHeight: r.u64(), completionEpoch: r.u64(), initialBalance: readAmount(r), balance: readAmount(r) }),
});

const redelegationCodec = listCodec<RedelegationEntry>({
  encode(w, e) {
    w.u64(e.creationHeight).u64(e.completionEpoch);
    writeAmount(w, e.initialBalance);
    writeAmount(w, e.sharesDst);
  },
  decode: (r) => ({ creationHeight: r.u64(), completionEpoch: r.u64(), initialBalance: readAmount(r), sharesDst: readAmount(r) }),
});

function encodeCommittee(w: Writer, c: Committee): void {
  w.u64(c.epoch).u64(c.setEpoch).raw(c.seed).u16(c.operators.length);
  for (let i = 0; i < c.operators.length; i++) {
    w.raw(c.operators[i]).raw(c.consensusKeys[i]);
    writeAmount(w, c.stakes[i]);
  }
}

function decodeCommittee(r: Reader): Committee {
  const c: Committee = { epoch: r.u64(), setEpoch: r.u64(), seed: r.raw(32).slice(), operators: [], consensusKeys: [], stakes: [] };
  const n = r.u16();
  for (let i = 0; i < n; i++) {
    c.operators.push(r.raw(32).slice());
    c.consensusKeys.push(r.raw(32).slice());
    c.stakes.push(readAmount(r));
  }
  return c;
}

// Version 2: lazy reward distribution (reward per share and outstanding pool per validator, settlement point per delegation).
const STATE_VERSION = 2;
const ROOT_CONTEXT = new TextEncoder().encode('swarmguard/validators/state/v1\0');

/** Everything the validator state machine decides, and nothing else. */
export class ValidatorState {
  readonly balances = new SortedTable(bigintCodec);
  /** Rewards settled to each account (commission, and delegations' rewards at their settlements), not yet withdrawn. */
  readonly rewards = new SortedTable(bigintCodec);
  readonly validators = new SortedTable(validatorCodec);
  readonly delegations = new SortedTable(delegationCodec);
  readonly unbonding = new SortedTable(unbondingCodec);
  readonly redelegations = new SortedTable(redelegationCodec);
  /**
   * The electorate of the next election, fixed when this epoch began: electable validators and
   * their tokens then. The seed that draws from it may be known to its prover during the epoch;
   * stake moved after that cannot change who the draw picks (Praos' stake distribution lag).
   */
  readonly electorate = new SortedTable(bigintCodec);
  /** Evidence ids already acted on, with the epoch they were applied in (pruned past the evidence age). */
  readonly evidence = new SortedTable<bigint>(bigintCodec);
  /** Height of the last block ended. */
  height = 0;
  epoch = 0;
  /** The current committee, then the previous ones evidence may still name (newest first). */
  committees: Committee[] = [];
  activity: Activity = { signed: [], proposed: [] };
  /** Heights of this epoch whose commit was recorded (one record per height). */
  recordedHeights = new Set<number>();
  /** The next epoch's seed, once its prover's VRF proof arrived (else the fallback is used). */
  nextSeed: Uint8Array | null = null;
  /** Tokens at genesis, minted as rewards, burned by slashing: the conservation law's terms. */
  genesisSupply = 0n;
  minted = 0n;
  burned = 0n;

  constructor(readonly params: StakingParams) {}

  get committee(): Committee {
    return this.committees[0];
  }

  private encodeGlobals(w: Writer): void {
    w.u8(STATE_VERSION).u64(this.height).u64(this.epoch);
    writeAmount(w, this.genesisSupply);
    writeAmount(w, this.minted);
    writeAmount(w, this.burned);
    w.u16(this.committees.length);
    for (const c of this.committees) encodeCommittee(w, c);
    w.u16(this.activity.signed.length);
    for (let i = 0; i < this.activity.signed.length; i++) w.u32(this.activity.signed[i]).u32(this.activity.proposed[i]);
    const heights = [...this.recordedHeights].sort((a, b) => a - b);
    w.u32(heights.length);
    for (const h of heights) w.u64(h);
    w.bytes(this.nextSeed ?? new Uint8Array(0));
  }

  private tables(): SortedTable<unknown>[] {
    return [this.balances, this.rewards, this.validators, this.delegations, this.unbonding, this.redelegations, this.electorate, this.evidence] as SortedTable<unknown>[];
  }

  /** 32-byte hash of the canonical state: each table's root, then the globals. */
  root(): Uint8Array {
    const w = new Writer(1024).raw(ROOT_CONTEXT);
    for (const t of this.tables()) w.raw(t.rootHash());
    this.encodeGlobals(w);
    return sha256(w.finish());
  }

  snapshot(): Uint8Array {
    const w = new Writer(4096);
    this.encodeGlobals(w);
    for (const t of this.tables()) t.encode(w);
    return w.finish();
  }

  restore(r: Reader): void {
    if (r.u8() !== STATE_VERSION) throw new DecodeError('unknown validator state version');
    this.height = r.u64();
    this.epoch = r.u64();
    this.genesisSupply = readAmount(r);
    this.minted = readAmount(r);
    this.burned = readAmount(r);
    const committees = r.u16();
    this.committees = [];
    for (let i = 0; i < committees; i++) this.committees.push(decodeCommittee(r));
    const n = r.u16();
    this.activity = { signed: [], proposed: [] };
    for (let i = 0; i < n; i++) {
      this.activity.signed.push(r.u32());
      this.activity.proposed.push(r.u32());
    }
    this.recordedHeights = new Set();
    const heights = r.u32();
    for (let i = 0; i < heights; i++) this.recordedHeights.add(r.u64());
    const seed = r.bytes(32);
    this.nextSeed = seed.length ? seed.slice() : null;
    for (const t of this.tables()) t.decodeFrom(r);
  }
}
