import { equalBytes } from '../bytes/index.js';
import { blockHash, encodeBlock } from './block.js';
import { isCommitCertificate } from './certificates.js';
import { adoptCheckpoint, installCheckpoint } from './checkpoint.js';
import { commit } from './execute.js';
import { type Fetch, type NewView, signFetch, signTransfer, type Transfer, type Vote } from './messages.js';
import { tryProgress } from './normalCase.js';
import type { ReplicaState } from './state.js';
import type { StepOutput } from './step.js';
import { enterView, validNewView } from './viewChange.js';

// State transfer: a replica that sees it is behind sends a signed FETCH; the answer (TRANSFER)
// carries committed blocks with their certificates, the stable checkpoint when the asker is
// below it, and the latest NEW-VIEW. The receiver verifies everything before applying it.


export function resolveTransfers(r: ReplicaState, out: StepOutput): void {
  const fetch = out.fetch;
  if (fetch && (fetch.force || r.now - r.lastFetch >= r.cfg.retransmitInterval)) {
    r.lastFetch = r.now;
    out.stats.signed++;
    // A checkpoint that should be stable by now but is not: ask from it, so the answer carries its certificate.
    const from = r.height - r.stable.seq >= r.cfg.checkpointInterval ? r.stable.seq + 1 : r.height + 1;
    out.send(fetch.peer, signFetch(r.signer, r.id, from, r.view));
  }
  for (const [peer, from] of out.serve) {
    const last = r.lastServed.get(peer);
    if (!last || r.now - last.at >= r.cfg.retransmitInterval) serve(r, out, peer, from, -1);
  }
}

/**
 * Answers a FETCH. Each answer costs a signature and up to `maxTransferBlocks` blocks, so a peer
 * gets at most enough answers per retransmission interval to stream the whole window, whatever
 * `from` it asks: asking alternately for two heights must not buy a fresh TRANSFER per FETCH.
 */
export function onFetch(r: ReplicaState, out: StepOutput, m: Fetch): void {
  const last = r.lastServed.get(m.sender);
  if (last && last.from === m.from && r.now - last.at < r.cfg.retransmitInterval / 4) return out.drop('duplicate');
  let budget = r.fetchesServed.get(m.sender);
  if (!budget || r.now - budget.since >= r.cfg.retransmitInterval) r.fetchesServed.set(m.sender, (budget = { since: r.now, count: 0 }));
  if (budget.count >= Math.ceil(r.window / r.cfg.maxTransferBlocks) + 1) return out.drop('rateLimited');
  budget.count++;
  serve(r, out, m.sender, m.from, m.view);
}

function serve(r: ReplicaState, out: StepOutput, peer: number, from: number, peerView: number): void {
  const includeView = r.newView !== null && (peerView < r.view || peerView === -1);
  // The set's start (genesis, or an epoch start) has no certificate of this set: never served.
  const withCheckpoint = from <= r.stable.seq && r.stable.seq > r.start.height;
  const start = withCheckpoint ? r.stable.seq + 1 : from;
  if (start > r.height && !withCheckpoint && !includeView) return;
  r.lastServed.set(peer, { at: r.now, from });
  const blocks: { block: Uint8Array; cert: Uint8Array[] }[] = [];
  for (let h = start; h <= r.height && blocks.length < r.cfg.maxTransferBlocks; h++) {
    const e = r.log.get(h);
    if (!e) break;
    blocks.push({ block: encodeBlock(e.block), cert: e.cert });
  }
  out.stats.signed++;
  out.send(
    peer,
    signTransfer(r.signer, r.id, {
      checkpoint: withCheckpoint ? r.stable : null,
      blocks,
      newView: includeView ? (r.newView as NewView).bytes : null,
    }),
  );
}

export function onTransfer(r: ReplicaState, out: StepOutput, m: Transfer): void {
  const before = r.height;
  const cp = m.checkpoint;
  if (cp && cp.seq > r.height && cp.seq <= r.cfg.lastHeight) installCheckpoint(r, out, cp);
  else if (cp && cp.seq > r.stable.seq && cp.seq <= r.height) adoptCheckpoint(r, out, cp);
  for (const { block, cert } of m.blocks) {
    if (block.height > r.cfg.lastHeight) break;
    if (block.height !== r.height + 1) continue;
    const digest = blockHash(block, r.hash);
    const votes = cert.map((c) => c as Vote);
    if (!isCommitCertificate(votes, r.q, block.height, digest) || !equalBytes(block.parent, r.lastHash)) break;
    if (!equalBytes(r.cfg.txRoot(block.txs), block.txRoot)) break;
    commit(r, out, block, digest, votes[0].view, votes.map((v) => v.bytes), 'transfer');
  }
  if (m.newView && (m.newView.view > r.view || (m.newView.view === r.view && r.inViewChange)) && validNewView(r, m.newView)) {
    enterView(r, out, m.newView);
  }
  tryProgress(r, out, r.height + 1);
  // The peer may hold more than one answer carries: ask again until an answer brings nothing.
  if (r.height > before) out.fetchFrom(m.sender, true);
}
