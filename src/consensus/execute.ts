import { sha256, sha256Many } from '../hash/index.js';
import { parseTransaction, type Transaction, transactionIds } from '../tx/index.js';
import { type Block, senderKey } from './block.js';
import { takeCheckpoint } from './checkpoint.js';
import { MessageType } from './messages.js';
import type { DecodedTx } from './requestPool.js';
import { forgetSlotsUpTo, type ReplicaState } from './state.js';
import type { CommittedBlock, StepOutput } from './step.js';

/**
 * Commits the block at height+1: runs the application on each transaction whose nonce is its
 * sender's last executed one + 1 (a valid block holds only those; one committed elsewhere and
 * transferred is trusted by its certificate, and the rule still keeps execution exactly-once),
 * answers the clients, appends the block to the log and moves the replica to the next slot;
 * every K blocks it takes a checkpoint.
 */
export function commit(r: ReplicaState, out: StepOutput, block: Block, digest: Uint8Array, view: number, cert: Uint8Array[], via: CommittedBlock['via']): void {
  const prepares = r.votes.matching(MessageType.Prepare, view, block.height, digest).length;
  if (via !== 'transfer') r.health.observe(prepares === r.q.n, r.now - (r.slots.get(block.height)?.preparedAt ?? r.now));
  const pendingBefore = r.pool.size;
  const executed = executeTxs(r, r.decoded.get(block) ?? decodeCommitted(r, block), block.height);
  const hashes = sha256Many(executed.map((e) => e.result));
  for (let i = 0; i < executed.length; i++) {
    const { tx, id, result } = executed[i];
    out.replies.push({ replica: r.id, txId: id, sender: tx.sender, nonce: tx.nonce, height: block.height, result, resultHash: hashes[i] });
  }
  r.height = block.height;
  r.lastHash = digest;
  const entry: CommittedBlock = { height: block.height, hash: digest, view, block, cert, via };
  r.lastCert = { height: block.height, cert };
  r.log.set(block.height, entry);
  r.committedAt.set(block.height, { at: r.now, view: r.view });
  out.committed.push(entry);
  out.stats.committed++;
  out.stats.committedTxs += block.txs.length;
  r.lastProgress = r.now;
  r.pool.since = r.now;
  // Only progress on work this replica waits for resets the view timeouts: a primary committing
  // empty blocks, or other clients' transactions, while a request here waits has not made any.
  if (r.pool.size < pendingBefore) r.failedViews = 0;
  r.proposals.delete(block.height);
  r.votes.forgetUpTo(block.height, false);
  forgetSlotsUpTo(r, block.height);
  out.hardDirty = true;
  if (block.height % r.cfg.checkpointInterval === 0) takeCheckpoint(r, out);
}

/** Runs the application on each transaction next in its sender's order, then ends the block; returns what ran, with results. */
export function executeTxs(r: ReplicaState, txs: DecodedTx[], height: number): (DecodedTx & { result: Uint8Array })[] {
  const executed: (DecodedTx & { result: Uint8Array })[] = [];
  for (const d of txs) {
    const { tx, key, id } = d;
    if (tx.nonce !== r.accounts.lastNonceOf(key) + 1) continue;
    const result = r.cfg.application.execute(tx, height);
    r.accounts.record(key, tx.sender, tx.nonce, id, result);
    r.pool.remove(key, tx.nonce);
    executed.push({ tx, key, id, result });
  }
  r.cfg.application.endBlock?.(height);
  return executed;
}

/**
 * The transactions of a block committed by certificate (transferred, or re-proposed from an
 * earlier view): decoded without the limits and checks of a proposal, which 2f+1 validators applied.
 */
export function decodeCommitted(r: ReplicaState, block: Block): DecodedTx[] {
  const txs: { tx: Transaction; key: string }[] = [];
  for (const bytes of block.txs) {
    try {
      const tx = parseTransaction(bytes, 2 ** 32, r.cfg.chainId);
      txs.push({ tx, key: senderKey(tx.sender) });
    } catch {
      // Cannot happen in a block 2f+1 validators checked; skipping keeps every replica alike.
    }
  }
  const ids = transactionIds(txs.map((t) => t.tx.bytes));
  return txs.map((t, i) => ({ ...t, id: ids[i] }));
}

/** Answers a client again with its transaction's stored result (it lost the first reply). */
export function reply(r: ReplicaState, out: StepOutput, tx: Transaction, txId: Uint8Array, height: number, result: Uint8Array): void {
  out.replies.push({ replica: r.id, txId, sender: tx.sender, nonce: tx.nonce, height, result, resultHash: sha256(result) });
}
