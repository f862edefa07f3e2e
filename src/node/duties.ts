import type { CommittedBlock, Evidence } from '../consensus/index.js';
import { signTransaction } from '../tx/index.js';
import { stakingPayload, type ValidatorApplication, worthRecording } from '../validators/index.js';
import type { SubmitOutcome } from './txIndex.js';

/** What the duties need of the node: its submit path and the nonces it executed. */
export interface DutyHost {
  submit(txs: Uint8Array[]): Promise<SubmitOutcome[]>;
  lastNonce(sender: Uint8Array): number;
}

/** Counts of what a node sent on its own account. */
export interface DutyCounters {
  evidenceSent: number;
  recordsSent: number;
  /** Duty transactions the node refused (they are not retried: the next duty carries on). */
  refused: number;
}

/**
 * A validator's staking duties, sent as ordinary transactions signed by its consensus key (its
 * operator account unless genesis names another): every piece of equivocation evidence its
 * replica reports becomes an `evidence` transaction (the state machine slashes once however many
 * validators send it), and it records the commit certificate of each block whose height is its
 * turn (height mod n = its id) — performance is measured from those records. A block holding only
 * commit records is not recorded, so an idle network goes quiet.
 */
export class StakingDuties {
  readonly counters: DutyCounters = { evidenceSent: 0, recordsSent: 0, refused: 0 };
  private nextNonce = 0;
  private queue: { payload: Uint8Array; kind: 'evidence' | 'record' }[] = [];
  private sending = false;

  constructor(
    private readonly host: DutyHost,
    private readonly app: ValidatorApplication,
    private readonly chainId: string,
    private readonly secretKey: Uint8Array,
    private readonly publicKey: Uint8Array,
    private readonly id: number,
    private readonly n: number,
  ) {}

  /** The replica's equivocation reports, dated in the staking epoch of their height (the current one when they name none). */
  evidence(list: Evidence[]): void {
    const s = this.app.machine.state;
    for (const e of list) {
      const epoch = e.kind === 'equivocation' ? Math.floor((e.seq - 1) / s.params.epochBlocks) : s.epoch;
      this.queue.push({ payload: stakingPayload.evidence(epoch, e.first, e.second), kind: 'evidence' });
    }
    this.flush();
  }

  /** Records the certificates of this node's share of the committed blocks. */
  committed(blocks: CommittedBlock[]): void {
    for (const b of blocks) {
      if (b.height % this.n !== this.id || b.cert.length === 0 || !worthRecording(b.block.txs, this.chainId)) continue;
      this.queue.push({ payload: stakingPayload.recordCommit(b.height, b.cert), kind: 'record' });
    }
    this.flush();
  }

  /** Sends the queue in order, one transaction at a time, each with the next nonce. */
  private flush(): void {
    if (this.sending || this.queue.length === 0) return;
    this.sending = true;
    const batch = this.queue;
    this.queue = [];
    void this.send(batch).finally(() => {
      this.sending = false;
      this.flush();
    });
  }

  private async send(batch: { payload: Uint8Array; kind: 'evidence' | 'record' }[]): Promise<void> {
    for (const item of batch) {
      this.nextNonce = Math.max(this.nextNonce, this.host.lastNonce(this.publicKey) + 1);
      const tx = signTransaction({ chainId: this.chainId, nonce: this.nextNonce, payload: item.payload }, this.secretKey);
      let outcome: SubmitOutcome | undefined;
      try {
        [outcome] = await this.host.submit([tx.bytes]);
      } catch {
        // The node is stopping: nothing more to do.
        return;
      }
      if (!outcome?.accepted) {
        this.counters.refused++;
        continue;
      }
      this.nextNonce++;
      if (item.kind === 'evidence') this.counters.evidenceSent++;
      else this.counters.recordsSent++;
    }
  }
}
