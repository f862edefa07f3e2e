import { bytesToHex } from '../bytes/index.js';
import { requireArray, requireByteLength, requireBytes } from '../check/index.js';
import {
  blockHash,
  buildCommitProof,
  type CommittedBlock,
  type DropReason,
  encodeCommitProof,
  type ValidatorSet,
} from '../consensus/index.js';
import type { Pool } from '../pool/index.js';
import { ed25519 } from '../sig/index.js';
import type { Storage } from '../storage/index.js';
import { parseTransaction, signatureItem, TransactionError, transactionIds } from '../tx/index.js';
import { chainKey, decodeArchived, decodeTxLocation, RecordError, txKey } from './chain.js';
import { nodeSha256 } from './crypto.js';
import type { Genesis } from './genesis.js';
import type { NodeCounters } from './counters.js';

/** Why the node refused a transaction (the replica's reasons, plus the node's own). */
export type RefusalReason = DropReason | 'badSignature' | 'committed' | 'pending';

/** The answer for one submitted transaction. */
export type SubmitOutcome = { id: string; accepted: true } | { id: string | null; accepted: false; reason: RefusalReason };

export type TxStatus =
  | { id: string; status: 'unknown' }
  | { id: string; status: 'pending' }
  | { id: string; status: 'committed'; height: number; index: number; result: Uint8Array; proof: Uint8Array };

/** Most transactions one `submit` takes (a POST body carries at most this many). */
export const MAX_SUBMIT_BATCH = 10_000;
/** Transactions remembered as pending here; beyond it the oldest are forgotten (they still commit). */
const MAX_PENDING = 1_000_000;

const TX_CODES: Record<string, DropReason> = { ERR_TX_MALFORMED: 'malformed', ERR_TX_TOO_LARGE: 'txTooLarge', ERR_TX_WRONG_CHAIN: 'wrongChain' };

/**
 * The transaction-facing side of a node: admission checks before the replica (decode, known ids,
 * signatures on the pool), the pending set, and lookups in the archive (status with commit
 * proof, blocks). Waiters are woken when the block committing their transaction is durable.
 */
export class TxIndex {
  private readonly pending = new Map<string, number>();
  private readonly waiters = new Map<string, ((committed: boolean) => void)[]>();
  /** Set by `releaseWaiters`: a stopping node holds no wait open. */
  private released = false;

  constructor(
    private readonly storage: Storage,
    private readonly set: ValidatorSet,
    private readonly genesis: Genesis,
    private readonly pool: Pool | null,
    private readonly counters: NodeCounters,
  ) {}

  /** Checks and admits `list`; only the first `room` go on past the cheap checks, the rest are refused as `poolFull`. */
  async submit(list: Uint8Array[], room: number, admit: (valid: Uint8Array[]) => Promise<{ index: number; reason: DropReason }[]>): Promise<SubmitOutcome[]> {
    const txs = requireArray(list, 'SwarmNode.submit', 'txs');
    if (txs.length > MAX_SUBMIT_BATCH) throw new RangeError(`SwarmNode.submit: txs must hold at most ${MAX_SUBMIT_BATCH} transactions, got ${txs.length}`);
    const outcomes: SubmitOutcome[] = new Array(txs.length);
    const parsed: { at: number; bytes: Uint8Array }[] = [];
    const overflow: Uint8Array[] = [];
    for (let i = 0; i < txs.length; i++) {
      const bytes = requireBytes(txs[i], 'SwarmNode.submit', `txs[${i}]`);
      if (i >= room) {
        overflow.push(bytes);
        continue;
      }
      try {
        parseTransaction(bytes, this.genesis.consensus.maxPayload, this.genesis.chainId);
        parsed.push({ at: i, bytes });
      } catch (err) {
        if (!(err instanceof TransactionError)) throw err;
        outcomes[i] = { id: null, accepted: false, reason: TX_CODES[err.code] ?? 'malformed' };
      }
    }
    transactionIds(overflow).forEach((id, k) => (outcomes[room + k] = { id: bytesToHex(id), accepted: false, reason: 'poolFull' }));
    const ids = transactionIds(parsed.map((p) => p.bytes)).map(bytesToHex);
    const fresh: { at: number; bytes: Uint8Array; id: string }[] = [];
    const known = await Promise.all(ids.map((id) => (this.pending.has(id) ? 'pending' : this.storage.get(txKey(Buffer.from(id, 'hex'))).then((v) => (v ? 'committed' : null)))));
    for (let j = 0; j < parsed.length; j++) {
      const k = known[j];
      if (k !== null) outcomes[parsed[j].at] = { id: ids[j], accepted: false, reason: k };
      else fresh.push({ ...parsed[j], id: ids[j] });
    }
    const items = fresh.map((f) => signatureItem(f.bytes) as NonNullable<ReturnType<typeof signatureItem>>);
    this.counters.verifyBatches++;
    this.counters.verifyBatchItems += items.length;
    const ok = items.length === 0 ? [] : this.pool ? await this.pool.verifyBatch(items) : ed25519.verifyBatch(items);
    const valid: typeof fresh = [];
    for (let j = 0; j < fresh.length; j++) {
      if (ok[j]) valid.push(fresh[j]);
      else outcomes[fresh[j].at] = { id: fresh[j].id, accepted: false, reason: 'badSignature' };
    }
    if (valid.length > 0) {
      for (const v of valid) outcomes[v.at] = { id: v.id, accepted: true };
      const refused = await admit(valid.map((v) => v.bytes));
      for (const r of refused) outcomes[valid[r.index].at] = { id: valid[r.index].id, accepted: false, reason: r.reason };
      for (const v of valid) if (outcomes[v.at].accepted) this.remember(v.id);
    }
    return outcomes;
  }

  async status(id: Uint8Array): Promise<TxStatus> {
    const raw = requireByteLength(id, 'SwarmNode.txStatus', 'id', 32);
    const hex = bytesToHex(raw);
    const key = txKey(raw);
    const record = await this.storage.get(key);
    if (record === undefined) return { id: hex, status: this.pending.has(hex) ? 'pending' : 'unknown' };
    const loc = decodeTxLocation(key, record);
    const block = await this.block(loc.height);
    if (block === null) throw new RecordError(`transaction ${hex} names height ${loc.height}, which the archive lacks`);
    const proof = encodeCommitProof(buildCommitProof(block, loc.index));
    return { id: hex, status: 'committed', height: loc.height, index: loc.index, result: loc.result, proof };
  }

  /** Resolves true when `id` is committed here and durable, false after `timeoutMs`. */
  waitFor(id: Uint8Array, timeoutMs: number): Promise<boolean> {
    const hex = bytesToHex(id);
    if (this.released) return Promise.resolve(false);
    return new Promise((resolve) => {
      const list = this.waiters.get(hex) ?? [];
      this.waiters.set(hex, list);
      const wake = (committed: boolean) => {
        clearTimeout(timer);
        resolve(committed);
      };
      const timer = setTimeout(() => {
        list.splice(list.indexOf(wake), 1);
        if (list.length === 0 && this.waiters.get(hex) === list) this.waiters.delete(hex);
        wake(false);
      }, timeoutMs);
      list.push(wake);
    });
  }

  /**
   * Ends every wait now and each one asked for later (they resolve false, as on their timeouts):
   * a stopping node answers its long polls instead of holding its shutdown until they expire.
   */
  releaseWaiters(): void {
    this.released = true;
    const lists = [...this.waiters.values()];
    this.waiters.clear();
    for (const list of lists) for (const wake of list) wake(false);
  }

  async block(height: number): Promise<CommittedBlock | null> {
    const key = chainKey(height);
    const record = await this.storage.get(key);
    return record === undefined ? null : decodeArchived(key, record, (b) => blockHash(b, nodeSha256));
  }

  /** Transactions (ids by block) whose archive write is durable: they leave the pending set, waiters wake. */
  committed(ids: Uint8Array[][]): void {
    for (const block of ids) {
      for (const id of block) {
        const hex = bytesToHex(id);
        this.pending.delete(hex);
        const list = this.waiters.get(hex);
        if (list) {
          this.waiters.delete(hex);
          for (const wake of list) wake(true);
        }
      }
    }
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  get validatorSet(): ValidatorSet {
    return this.set;
  }

  private remember(id: string): void {
    this.pending.set(id, Date.now());
    if (this.pending.size > MAX_PENDING) this.pending.delete(this.pending.keys().next().value as string);
  }
}
