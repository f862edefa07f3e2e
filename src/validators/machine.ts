import { ArgumentRangeError, requireArray, requireByteLength, requireBytes, requireInteger, requireObject, requireOptions } from '../check/index.js';
import { defaultTxRoot, Reader, type TxRootFunction } from '../consensus/index.js';
import { sha256 } from '../hash/index.js';
import { ed25519 } from '../sig/index.js';
import { requireChainId } from '../tx/index.js';
import { epochBounds, recordCommit } from './activity.js';
import { requireAmount } from './amount.js';
import { endEpoch, fixElectorate } from './epoch.js';
import { verifyEpochSeed } from './epochSeed.js';
import { convict } from './evidence.js';
import { resolveStakingParams, type StakingParams } from './params.js';
import type { StakingRefusal } from './result.js';
import { slash } from './slashing.js';
import { primaryOfView } from './sortition.js';
import { balanceOf, bond, delegate, redelegate, transfer, unbond, unjail, withdrawRewards } from './staking.js';
import { type Committee, ValidatorState } from './state.js';
import { keyOf } from './table.js';
import { decodeStakingPayload, registrationMessage, type StakingOp } from './transactions.js';

/** The validator state machine's starting point. */
export interface ValidatorGenesis {
  /** The chain id consensus signs under (evidence and commit records are checked in its domain). */
  chainId: string;
  /** Liquid balances at genesis. */
  accounts?: { account: Uint8Array; balance: bigint | number }[];
  /** Epoch 0's committee, in this order (the order of the replicas' `validators`); at least 4. */
  validators: { operator: Uint8Array; consensusKey: Uint8Array; commission?: number; selfBond: bigint | number }[];
  /** 32-byte seed of epoch 0 (default: SHA-256 of the chain id). */
  seed?: Uint8Array;
  params?: Partial<StakingParams>;
  /** The replicas' transaction root (default swarmguard's RFC 9162 SHA-256 Merkle root): invalid-proposal evidence is checked with it. */
  txRoot?: TxRootFunction;
}

const WHERE = 'ValidatorStateMachine';

/**
 * Stake, delegation, rewards, reputation, slashing and committee election as a deterministic
 * state machine: `execute` each staking transaction of a block, then `endBlock`. No clock, no
 * I/O, integer arithmetic only; `root()` after every block is the same on every replica.
 */
export class ValidatorStateMachine {
  private current: ValidatorState;
  readonly chainId: string;
  private readonly txRoot: TxRootFunction;

  constructor(genesis: ValidatorGenesis) {
    const g = requireOptions(requireObject(genesis, WHERE, 'genesis'), WHERE, 'genesis', ['chainId', 'accounts', 'validators', 'seed', 'params', 'txRoot']) as ValidatorGenesis;
    requireChainId(g.chainId, WHERE, 'genesis.chainId');
    this.chainId = g.chainId;
    this.txRoot = g.txRoot ?? defaultTxRoot();
    const s = (this.current = new ValidatorState(resolveStakingParams(g.params)));
    const accounts = requireArray(g.accounts ?? [], WHERE, 'genesis.accounts');
    accounts.forEach((a, i) => {
      const account = requireByteLength((a as { account: Uint8Array }).account, WHERE, `genesis.accounts[${i}].account`, 32);
      const balance = requireAmount((a as { balance: bigint }).balance, WHERE, `genesis.accounts[${i}].balance`);
      s.balances.set(keyOf(account), balanceOf(s, keyOf(account)) + balance);
      s.genesisSupply += balance;
    });
    const list = requireArray(g.validators, WHERE, 'genesis.validators');
    if (list.length < 4) throw new ArgumentRangeError(WHERE, 'genesis.validators', `must hold at least 4 (PBFT's n ≥ 4), got ${list.length}`);
    const committee: Committee = { epoch: 0, setEpoch: 0, seed: g.seed ? requireByteLength(g.seed, WHERE, 'genesis.seed', 32).slice() : sha256(new TextEncoder().encode(g.chainId)), operators: [], consensusKeys: [], stakes: [] };
    const consensusKeys = new Set<string>();
    list.forEach((x, i) => {
      const item = x as ValidatorGenesis['validators'][number];
      const operator = requireByteLength(item.operator, WHERE, `genesis.validators[${i}].operator`, 32).slice();
      const consensusKey = requireByteLength(item.consensusKey, WHERE, `genesis.validators[${i}].consensusKey`, 32).slice();
      const commission = requireInteger(item.commission ?? 0, WHERE, `genesis.validators[${i}].commission`, 0, s.params.maxCommission);
      const selfBond = requireAmount(item.selfBond, WHERE, `genesis.validators[${i}].selfBond`, s.params.minSelfBond > 0n ? s.params.minSelfBond : 1n);
      const key = keyOf(operator);
      if (s.validators.has(key) || consensusKeys.has(keyOf(consensusKey))) {
        throw new ArgumentRangeError(WHERE, `genesis.validators[${i}]`, 'repeats an operator or a consensus key');
      }
      const v = { operator, consensusKey, commission, tokens: 0n, shares: 0n, reputation: s.params.initialReputation, jailed: false, jailedUntil: 0, tombstoned: false, rewardPerShare: 0n, outstandingRewards: 0n, accruedCommission: 0n };
      consensusKeys.add(keyOf(consensusKey));
      bond(s, key, key, v, selfBond, selfBond);
      s.genesisSupply += selfBond;
      committee.operators.push(operator);
      committee.consensusKeys.push(consensusKey);
      committee.stakes.push(selfBond);
    });
    s.committees = [committee];
    fixElectorate(s);
    s.activity = { signed: new Array(list.length).fill(0), proposed: new Array(list.length).fill(0) };
  }

  /** The state itself (read it; change it only through transactions and `endBlock`). */
  get state(): ValidatorState {
    return this.current;
  }

  /**
   * Executes one staking transaction of the block at `height` (blocks before it are ended first).
   * Returns null when it applied, else why it was refused; a refusal changes nothing.
   */
  execute(sender: Uint8Array, payload: Uint8Array, height: number): StakingRefusal | null {
    requireBytes(sender, 'ValidatorStateMachine.execute', 'sender');
    requireBytes(payload, 'ValidatorStateMachine.execute', 'payload');
    requireInteger(height, 'ValidatorStateMachine.execute', 'height', this.state.height + 1);
    while (this.state.height < height - 1) this.endBlock(this.state.height + 1);
    let op: StakingOp;
    try {
      op = decodeStakingPayload(payload);
    } catch {
      return 'malformed';
    }
    return this.apply(keyOf(sender), sender, op, height);
  }

  private apply(from: string, sender: Uint8Array, op: StakingOp, height: number): StakingRefusal | null {
    const s = this.state;
    switch (op.op) {
      case 'transfer':
        return transfer(s, from, op.to, op.amount);
      case 'register':
        return this.register(from, sender, op);
      case 'delegate':
        return delegate(s, from, op.validator, op.amount);
      case 'redelegate':
        return redelegate(s, from, op.from, op.to, op.amount, height);
      case 'unbond':
        return unbond(s, from, op.validator, op.amount, height);
      case 'unjail':
        return unjail(s, from);
      case 'withdraw':
        return withdrawRewards(s, from);
      case 'evidence':
        return this.evidence(op.epoch, op.first, op.second);
      case 'record-commit':
        return recordCommit(s, this.chainId, from, op.height, op.frames);
      case 'epoch-seed':
        return this.epochSeed(op.epoch, op.proof);
    }
  }

  private register(from: string, operator: Uint8Array, op: Extract<StakingOp, { op: 'register' }>): StakingRefusal | null {
    const s = this.state;
    if (s.validators.has(from)) return 'already-registered';
    const ck = keyOf(op.consensusKey);
    for (const v of s.validators.values()) if (keyOf(v.consensusKey) === ck) return 'consensus-key-taken';
    if (op.commission > s.params.maxCommission) return 'commission-too-high';
    if (op.selfBond < s.params.minSelfBond || op.selfBond === 0n) return 'self-bond-too-small';
    if (balanceOf(s, from) < op.selfBond) return 'insufficient-funds';
    if (!ed25519.verify(op.proof, registrationMessage(this.chainId, operator), op.consensusKey)) return 'bad-registration-proof';
    const v = { operator: operator.slice(), consensusKey: op.consensusKey.slice(), commission: op.commission, tokens: 0n, shares: 0n, reputation: s.params.initialReputation, jailed: false, jailedUntil: 0, tombstoned: false, rewardPerShare: 0n, outstandingRewards: 0n, accruedCommission: 0n };
    s.balances.set(from, balanceOf(s, from) - op.selfBond);
    if (s.balances.get(from) === 0n) s.balances.delete(from);
    bond(s, from, from, v, op.selfBond, op.selfBond);
    return null;
  }

  private evidence(epoch: number, first: Uint8Array, second: Uint8Array): StakingRefusal | null {
    const s = this.state;
    if (epoch > s.epoch || epoch < s.epoch - s.params.evidenceMaxAgeEpochs) return 'evidence-stale';
    const committee = s.committees.find((c) => c.epoch === epoch);
    if (!committee) return 'evidence-stale';
    const found = convict({ chainId: this.chainId, committee, epochStart: epochBounds(epoch, s.params.epochBlocks).first, txRoot: this.txRoot }, first, second);
    if (typeof found === 'string') return found;
    const bounds = epochBounds(epoch, s.params.epochBlocks);
    // Dated in the epoch it names: with a fixed committee the same signature verifies under every epoch, whose stake snapshots differ.
    if (found.height < bounds.first || found.height > bounds.last) return 'evidence-invalid';
    const id = keyOf(found.id);
    const validator = keyOf(committee.operators[found.member]);
    if (s.evidence.has(id)) return 'evidence-duplicate';
    if (s.validators.get(validator)?.tombstoned) return 'tombstoned';
    s.evidence.set(id, BigInt(s.epoch));
    slash(s, { validator, offence: found.offence, height: found.height, epoch });
    return null;
  }

  private epochSeed(epoch: number, proof: Uint8Array): StakingRefusal | null {
    const s = this.state;
    if (epoch !== s.epoch) return 'seed-wrong-epoch';
    if (s.nextSeed) return 'seed-duplicate';
    const c = s.committee;
    const seed = verifyEpochSeed(proof, c.seed, epoch, c.consensusKeys[this.epochProver()]);
    if (!seed) return 'seed-invalid';
    s.nextSeed = seed;
    return null;
  }

  /** Committee index of the member that proves the next epoch's seed: stake-weighted, from this epoch's seed. */
  epochProver(): number {
    return primaryOfView(this.state.committee.stakes, this.state.committee.seed, 0);
  }

  /** Ends the block at `height` (and any before it not yet ended); at an epoch's last height, the epoch. */
  endBlock(height: number): void {
    const s = this.state;
    requireInteger(height, 'ValidatorStateMachine.endBlock', 'height', s.height);
    while (s.height < height) {
      s.height++;
      if (s.height === epochBounds(s.epoch, s.params.epochBlocks).last) endEpoch(s, s.height);
    }
  }

  /** 32-byte hash of the whole validator state after the last ended block. */
  root(): Uint8Array {
    return this.state.root();
  }

  snapshot(): Uint8Array {
    return this.state.snapshot();
  }

  /** Replaces the state with a snapshot's; a malformed snapshot throws `DecodeError` and leaves the state as it was. */
  restore(snapshot: Uint8Array): void {
    const r = new Reader(requireBytes(snapshot, 'ValidatorStateMachine.restore', 'snapshot'));
    const next = new ValidatorState(this.current.params);
    next.restore(r);
    r.end();
    this.current = next;
  }
}
