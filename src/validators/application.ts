import { type Application, DecodeError, Reader, Writer } from '../consensus/index.js';
import type { Transaction } from '../tx/index.js';
import { type ValidatorGenesis, ValidatorStateMachine } from './machine.js';
import { encodeStakingResult } from './result.js';
import { isStakingPayload } from './transactions.js';

/**
 * A replica's application with the validator state machine inside: staking payloads
 * (`stakingPayload.*`) go to it, anything else to `inner` (or is refused as `malformed` when there
 * is none). The snapshot holds both; the state root is the validator state's.
 */
export class ValidatorApplication implements Application {
  readonly machine: ValidatorStateMachine;
  private readonly inner: Application | null;

  constructor(genesis: ValidatorGenesis, inner?: Application) {
    this.machine = new ValidatorStateMachine(genesis);
    this.inner = inner ?? null;
  }

  execute(tx: Transaction, height: number): Uint8Array {
    if (isStakingPayload(tx.payload) || !this.inner) return encodeStakingResult(this.machine.execute(tx.sender, tx.payload, height));
    // The replica ended every earlier block (`endBlock`); the validator state has nothing to do here.
    return this.inner.execute(tx, height);
  }

  endBlock(height: number): void {
    this.machine.endBlock(height);
    this.inner?.endBlock?.(height);
  }

  /** The validator state root after the last committed block. */
  stateRoot(): Uint8Array {
    return this.machine.root();
  }

  snapshot(): Uint8Array {
    return new Writer(4096).bytes(this.machine.snapshot()).bytes(this.inner?.snapshot() ?? new Uint8Array(0)).finish();
  }

  restore(snapshot: Uint8Array): void {
    const r = new Reader(snapshot);
    const mine = r.bytes(2 ** 31);
    const theirs = r.bytes(2 ** 31);
    r.end();
    if (!this.inner && theirs.length) throw new DecodeError('snapshot holds an inner application this one lacks');
    this.machine.restore(mine);
    this.inner?.restore(theirs);
  }
}
