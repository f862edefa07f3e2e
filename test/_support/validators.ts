import { consensusDomain, domainSigner, type MessageType, signVote, type Signer } from '../../src/consensus/index.js';
import { sha256 } from '../../src/hash/index.js';
import { ed25519 } from '../../src/sig/index.js';
import {
  registrationMessage,
  stakingPayload,
  type StakingParams,
  type StakingRefusal,
  type Validator,
  type ValidatorGenesis,
  ValidatorStateMachine,
} from '../../src/validators/index.js';

const CHAIN = 'validators-test';

export interface Party {
  /** Account (operator) key pair. */
  account: { publicKey: Uint8Array; secretKey: Uint8Array };
  /** Consensus key pair. */
  consensus: { publicKey: Uint8Array; secretKey: Uint8Array };
}

function seedBytes(label: string, i: number): Uint8Array {
  return sha256(new TextEncoder().encode(`${label}/${i}`));
}

function party(i: number): Party {
  return { account: ed25519.generateKeyPair(seedBytes('account', i)), consensus: ed25519.generateKeyPair(seedBytes('consensus', i)) };
}

/** Parties 0..validators-1 are epoch 0's committee (self-bond 1,000 each); every party has 10,000 liquid. */
export function genesis(validators = 4, others = 4, params: Partial<StakingParams> = {}): { genesis: ValidatorGenesis; parties: Party[] } {
  const parties = Array.from({ length: validators + others }, (_, i) => party(i));
  return {
    parties,
    genesis: {
      chainId: CHAIN,
      accounts: parties.map((p) => ({ account: p.account.publicKey, balance: 10_000n })),
      validators: parties.slice(0, validators).map((p) => ({ operator: p.account.publicKey, consensusKey: p.consensus.publicKey, commission: 1_000, selfBond: 1_000n })),
      params,
    },
  };
}

/** A driver that runs one transaction per block and ends the block. */
export class Chain {
  readonly machine: ValidatorStateMachine;
  height = 0;
  /** The state root right after the last `send` executed, before its block ended (an epoch end may follow). */
  rootAfterExecute: Uint8Array | null = null;
  constructor(g: ValidatorGenesis) {
    this.machine = new ValidatorStateMachine(g);
  }
  /** Executes `payload` from `sender` in the next block and ends it. */
  send(sender: Party | Uint8Array, payload: Uint8Array): StakingRefusal | null {
    this.height++;
    const key = sender instanceof Uint8Array ? sender : sender.account.publicKey;
    const result = this.machine.execute(key, payload, this.height);
    this.rootAfterExecute = this.machine.root();
    this.machine.endBlock(this.height);
    return result;
  }
  /** Ends empty blocks up to and including `height`. */
  advanceTo(height: number): void {
    this.machine.endBlock(height);
    this.height = height;
  }
  /** Ends the current epoch (empty blocks to its last height). */
  endEpoch(): void {
    const last = (this.machine.state.epoch + 1) * this.machine.state.params.epochBlocks;
    this.advanceTo(last);
  }
}

/** A consensus signer of committee member `p` under `epoch`'s committee. */
export function memberSigner(machine: ValidatorStateMachine, p: Party, epoch = machine.state.epoch): Signer {
  const c = machine.state.committees.find((x) => x.epoch === epoch);
  if (!c) throw new Error(`no committee for epoch ${epoch}`);
  const domain = consensusDomain({ chainId: CHAIN, epoch: c.setEpoch, validators: c.consensusKeys }, sha256);
  return domainSigner({ publicKey: p.consensus.publicKey, sign: (m) => ed25519.sign(m, p.consensus.secretKey) }, domain);
}

/** Committee index of party `p` in `epoch`'s committee. */
export function memberIndex(machine: ValidatorStateMachine, p: Party, epoch = machine.state.epoch): number {
  const c = machine.state.committees.find((x) => x.epoch === epoch);
  return c ? c.consensusKeys.findIndex((k) => ed25519Equal(k, p.consensus.publicKey)) : -1;
}

function ed25519Equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function vote(machine: ValidatorStateMachine, p: Party, type: MessageType, view: number, seq: number, digest: Uint8Array, epoch?: number): Uint8Array {
  return signVote(memberSigner(machine, p, epoch), type as never, memberIndex(machine, p, epoch), view, seq, digest);
}

export function digestOf(label: string): Uint8Array {
  return sha256(new TextEncoder().encode(label));
}

/** The register payload of `p` (proof of possession of its consensus key included). */
export function registerPayload(p: Party, commission = 500, selfBond = 1_000n): Uint8Array {
  const proof = ed25519.sign(registrationMessage(CHAIN, p.account.publicKey), p.consensus.secretKey);
  return stakingPayload.register(p.consensus.publicKey, commission, selfBond, proof);
}

/** Map key of raw bytes in the validator state (one char per byte). */
export function keyOf(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

/** The validator `p` operates, or a thrown error. */
export function validatorOf(m: ValidatorStateMachine, p: Party): Validator {
  const v = m.state.validators.get(keyOf(p.account.publicKey));
  if (!v) throw new Error('no such validator');
  return v;
}
