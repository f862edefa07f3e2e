import type { EpochStart, Signer, TxRootFunction, ValidatorSet } from '../consensus/index.js';
import type { ValidatorGenesis } from '../validators/index.js';
import type { Prng } from './prng.js';
import { SIM_CHAIN_ID } from './workload.js';

/** One candidate host's keys: the consensus key it signs frames with, and its operator account (the sender of its staking transactions). */
export interface CandidateKeys {
  signer: Signer;
  operator: { secretKey: Uint8Array; publicKey: Uint8Array };
}

/** One validator set of the chain: an epoch's committee as consensus runs it. */
export interface EpochSet {
  /** The set's epoch (`ReplicaConfig.epoch`): the staking epoch, as the state machine's `setEpoch`. */
  epoch: number;
  /** Consensus keys in committee order (the validator ids). */
  keys: Uint8Array[];
  /** The host of each member. */
  hosts: number[];
  /** Where the set starts: null at genesis, else the last set's end as an honest host reached it. */
  start: EpochStart | null;
  /** The set's last height: the epoch's last block. */
  lastHeight: number;
}

/** Liquid balance of every operator and delegator account at genesis. */
const GENESIS_BALANCE = 1_000_000n;

/**
 * The validator genesis of an epoch run: the first `committee` candidates bonded (the committee of
 * epoch 0), every operator and delegator account funded, committees of exactly `committee`
 * members elected every `epochBlocks` blocks.
 */
export function epochGenesis(rng: Prng, keys: CandidateKeys[], delegators: Uint8Array[], committee: number, epochBlocks: number, txRoot: TxRootFunction): ValidatorGenesis {
  return {
    chainId: SIM_CHAIN_ID,
    accounts: [...keys.map((k) => k.operator.publicKey), ...delegators].map((account) => ({ account, balance: GENESIS_BALANCE })),
    validators: keys.slice(0, committee).map((k) => ({ operator: k.operator.publicKey, consensusKey: k.signer.publicKey, commission: rng.int(2000), selfBond: BigInt(100_000 + rng.int(100_000)) })),
    params: { epochBlocks, committee: { min: committee, max: committee } },
    txRoot,
  };
}

/**
 * The sets the chain went through, each recorded by the first honest host that committed the
 * last set's last block (the committee from its validator state, the start from its replica).
 * Hosts that join a set without that state take the start from here: the simulation's stand-in
 * for a state sync verified against the last set's checkpoint certificate, which the node runtime
 * does not have yet.
 */
export class EpochChain {
  readonly sets: EpochSet[] = [];
  /** Members that were not in the set before, and members of a set that are not in the next. */
  joins = 0;
  leaves = 0;

  constructor(readonly epochBlocks: number) {}

  add(set: EpochSet): void {
    const last = this.sets.at(-1);
    if (last) {
      this.joins += set.hosts.filter((h) => !last.hosts.includes(h)).length;
      this.leaves += last.hosts.filter((h) => !set.hosts.includes(h)).length;
    }
    this.sets.push(set);
  }

  get newest(): EpochSet {
    return this.sets[this.sets.length - 1];
  }

  /** The set that orders `height` (heights e·L+1 … (e+1)·L are epoch e's). */
  at(height: number): EpochSet | undefined {
    return this.sets[Math.floor((height - 1) / this.epochBlocks)];
  }

  /** What a commit proof of `height` is checked against. */
  validatorSet(height: number): ValidatorSet {
    const set = this.at(height) as EpochSet;
    return { chainId: SIM_CHAIN_ID, epoch: set.epoch, validators: set.keys };
  }
}
