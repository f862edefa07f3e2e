import { sha256Many } from '../../hash/index.js';
import { stakingPayload, ValidatorStateMachine } from '../../validators/index.js';

// The validator state the suite measures, built only through the state machine's public API: a
// genesis with every validator bonded, then staking transactions executed block by block as a
// replica would (`execute` + `endBlock`; transaction signatures are the tx layer's and not timed
// here). Everything comes from a fixed generator, so every run builds the same bytes.

export interface StateSize {
  validators: number;
  delegations: number;
}

/** Transactions per block while building. */
const BLOCK_TXS = 1_000;
/** Every this many delegations, one partial unbond; every twice as many, one partial redelegation. */
const UNBOND_EVERY = 10;
const CHAIN_ID = 'bench-validators';

/** xorshift64*: deterministic, so the state (and its root) is the same on every run. */
class Lcg {
  private x = 0x9e3779b97f4a7c15n;
  next(): number {
    this.x ^= this.x >> 12n;
    this.x ^= (this.x << 25n) & 0xffffffffffffffffn;
    this.x ^= this.x >> 27n;
    return Number(((this.x * 0x2545f4914f6cdd1dn) & 0xffffffffffffffffn) >> 11n) / 2 ** 53;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

function keys(label: string, count: number): Uint8Array[] {
  const encoder = new TextEncoder();
  return sha256Many(Array.from({ length: count }, (_, i) => encoder.encode(`${label}/${i}`)));
}

export interface BuiltState {
  /** What the state holds. */
  size: StateSize & { delegators: number; unbonding: number; redelegations: number };
  /** Snapshot one block before the end of epoch 0, whose committee is every genesis validator: every delegation is paid. */
  firstEpoch: { snapshot: Uint8Array; end: number };
  /**
   * Snapshot one block before the end of epoch 6: an elected committee, and every unbonding and
   * redelegation entry made in epoch 0 matures at this end (unbonding takes 7 epochs by default).
   */
  steadyEpoch: { snapshot: Uint8Array; end: number };
  /** A machine of the same genesis, to restore snapshots into. */
  machine: ValidatorStateMachine;
  /** Seconds the build took: genesis, then the transactions, then the epochs in between. */
  seconds: { genesis: number; transactions: number; epochs: number };
}

/**
 * `size.validators` validators with self-bonds of 10^4 to 10^6 and commissions up to 20 %, and
 * `size.delegations` delegations from half as many accounts (two each). A delegation picks
 * validator ⌊N·u²⌋ for a uniform u, so popularity follows a power law (the most popular 1 % of
 * validators hold 10 % of the delegations) and popular validators, holding more stake, are
 * drawn into committees more often.
 */
export function buildState(size: StateSize, progress: (line: string) => void): BuiltState {
  const rng = new Lcg();
  const t0 = performance.now();
  const operators = keys('operator', size.validators);
  const consensusKeys = keys('consensus', size.validators);
  const delegators = keys('delegator', Math.ceil(size.delegations / 2));
  const genesis = {
    chainId: CHAIN_ID,
    accounts: delegators.map((account) => ({ account, balance: 10n ** 9n })),
    validators: operators.map((operator, i) => ({ operator, consensusKey: consensusKeys[i], commission: rng.int(2_001), selfBond: BigInt(10_000 + rng.int(990_001)) })),
  };
  const machine = new ValidatorStateMachine(genesis);
  const t1 = performance.now();
  progress(`  genesis of ${size.validators.toLocaleString('en-US')} validators: ${((t1 - t0) / 1000).toFixed(1)} s`);
  let height = 1;
  let inBlock = 0;
  const execute = (sender: Uint8Array, payload: Uint8Array) => {
    const refusal = machine.execute(sender, payload, height);
    if (refusal) throw new Error(`bench validators: building the state, a transaction was refused: ${refusal}`);
    if (++inBlock === BLOCK_TXS) {
      machine.endBlock(height++);
      inBlock = 0;
    }
  };
  const chosen: number[] = [];
  for (let i = 0; i < size.delegations; i++) {
    chosen.push(Math.floor(size.validators * rng.next() ** 2));
    execute(delegators[i >> 1], stakingPayload.delegate(operators[chosen[i]], BigInt(1_000 + rng.int(1_000_000))));
  }
  let unbonding = 0;
  let redelegations = 0;
  for (let i = 0; i < size.delegations; i += UNBOND_EVERY) {
    // Less than the smallest delegation: never refused, never the whole delegation.
    if ((i / UNBOND_EVERY) % 2) {
      execute(delegators[i >> 1], stakingPayload.unbond(operators[chosen[i]], BigInt(100 + rng.int(800))));
      unbonding++;
    } else {
      const to = (chosen[i] + 1 + rng.int(size.validators - 1)) % size.validators;
      execute(delegators[i >> 1], stakingPayload.redelegate(operators[chosen[i]], operators[to], BigInt(100 + rng.int(800))));
      redelegations++;
    }
  }
  const t2 = performance.now();
  progress(`  ${size.delegations.toLocaleString('en-US')} delegations, ${unbonding.toLocaleString('en-US')} unbondings, ${redelegations.toLocaleString('en-US')} redelegations: ${((t2 - t1) / 1000).toFixed(1)} s`);
  const epochBlocks = machine.state.params.epochBlocks;
  const before = (epoch: number) => {
    const end = (epoch + 1) * epochBlocks;
    machine.endBlock(end - 1);
    machine.root();
    return { snapshot: machine.snapshot(), end };
  };
  if (height > epochBlocks - 1) throw new Error('bench validators: the transactions do not fit in epoch 0');
  const firstEpoch = before(0);
  const steadyEpoch = before(machine.state.params.unbondingEpochs - 1);
  const t3 = performance.now();
  progress(`  epochs 0 to ${machine.state.params.unbondingEpochs - 2} ended: ${((t3 - t2) / 1000).toFixed(1)} s`);
  return {
    size: { ...size, delegators: delegators.length, unbonding, redelegations },
    firstEpoch,
    steadyEpoch,
    machine,
    seconds: { genesis: (t1 - t0) / 1000, transactions: (t2 - t1) / 1000, epochs: (t3 - t2) / 1000 },
  };
}
