import { type Block, clientKey, decodeRequest } from './block.js';
import { takeCheckpoint } from './checkpoint.js';
import { MessageType } from './messages.js';
import type { ReplicaState } from './state.js';
import type { CommittedBlock, StepOutput } from './step.js';

/**
 * Commits the block at height+1: runs the application on each request not executed yet (at most
 * once per client and seq), answers the clients, appends the block to the log and moves the
 * replica to the next slot; every K blocks it takes a checkpoint.
 */
export function commit(r: ReplicaState, out: StepOutput, block: Block, digest: Uint8Array, view: number, cert: Uint8Array[], via: CommittedBlock['via']): void {
  const prepares = r.votes.matching(MessageType.Prepare, view, block.height, digest).length;
  if (via !== 'transfer') r.health.observe(prepares === r.q.n, r.now - r.preparedAt);
  const decoded =
    r.decoded.get(block) ??
    block.txs.map((tx) => {
      const request = decodeRequest(tx);
      return { request, key: clientKey(request.clientId) };
    });
  for (const { request, key } of decoded) {
    if (request.seq <= r.clients.lastSeqOf(key)) continue;
    const result = r.cfg.application.execute(request, block.height);
    r.clients.record(request.clientId, request.seq, result, key);
    r.pool.remove(key, request.seq);
    reply(r, out, request.clientId, request.seq, block.height, result);
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
  r.failedViews = 0;
  r.proposals.delete(block.height);
  r.votes.forgetUpTo(block.height, false);
  if (r.latest && r.latest.seq <= block.height) {
    r.latest = null;
    r.latestBlock = null;
  }
  if (r.prepared.length && r.prepared[0].seq <= block.height) {
    r.prepared = [];
    r.preparedBlock = null;
  }
  if (r.commitDeadline && r.commitDeadline.seq <= block.height) r.commitDeadline = null;
  out.hardDirty = true;
  if (block.height % r.cfg.checkpointInterval === 0) takeCheckpoint(r, out);
}

export function reply(r: ReplicaState, out: StepOutput, clientId: Uint8Array, seq: number, height: number, result: Uint8Array): void {
  out.replies.push({ replica: r.id, clientId, seq, height, result });
}
