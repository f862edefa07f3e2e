import { bytesToHex, equalBytes } from '../bytes/index.js';
import { checkBlockTxs } from './admission.js';
import { type Block, blockHash, encodeBlock } from './block.js';
import { onCheckpointVote } from './checkpoint.js';
import { commit } from './execute.js';
import { decodeVote, encodePrePrepare, MessageType, type PrePrepare, type Vote } from './messages.js';
import { belowFloor, inWindow, primaryOf, type Proposal, recordVote, type ReplicaState, sign } from './state.js';
import type { StepOutput } from './step.js';

// The normal case in view v: the primary proposes the block at height+1, backups check and
// PREPARE it, 2f+1 PREPAREs make it prepared (COMMIT), and 2f+1 COMMITs or all n PREPAREs
// (the fast path) commit it. Replicas vote for h+1 only after committing h.

/** Votes are stored for views up to this far above the current one. */
const VIEW_WINDOW = 4;

export function maybePropose(r: ReplicaState, out: StepOutput): void {
  if (r.inViewChange || primaryOf(r, r.view) !== r.id || belowFloor(r)) return;
  const seq = r.height + 1;
  if (seq > r.cfg.lastHeight || r.proposals.get(seq)?.has(r.view)) return;
  if (seq > r.stable.seq + r.window) return;
  const d = r.decision;
  if (d && d.base.height > r.height) return; // catching up to the new view's base first
  const voted = r.latest;
  if (voted && voted.seq === seq && voted.view === r.view) {
    // Restarted after proposing: re-send that very proposal, never a second one.
    if (!r.latestBlock) return;
    const again = { block: r.latestBlock, digest: voted.digest, frame: encodePrePrepare(r.id, voted.bytes, encodeBlock(r.latestBlock)) };
    acceptProposal(r, seq, r.view, again);
    out.broadcast(again.frame);
    return;
  }
  let block: Block;
  if (d && d.base.height + 1 === seq && d.digest) {
    if (!d.block) return;
    block = d.block;
  } else {
    if (r.pool.size === 0) return;
    if (r.pool.size < r.cfg.batchSize && r.now - r.pool.since < r.cfg.batchTimeout) return;
    const decoded = r.pool.batch(r.cfg.batchSize, (key) => r.accounts.lastNonceOf(key));
    if (decoded.length === 0) return;
    const txs = decoded.map((d) => d.tx.bytes);
    block = { height: seq, parent: r.lastHash, txRoot: r.cfg.txRoot(txs), txs };
    r.decoded.set(block, decoded);
  }
  const digest = blockHash(block, r.hash);
  const vote = sign(r, out, MessageType.Prepare, r.view, seq, digest);
  const frame = encodePrePrepare(r.id, vote, encodeBlock(block));
  acceptProposal(r, seq, r.view, { block, digest, frame });
  castPrepare(r, out, decodeVote(vote), block);
  out.broadcast(frame);
}

/** Whether `block` may be voted for: it extends this replica's chain, and its transactions pass `checkBlockTxs`. */
function validBlock(r: ReplicaState, out: StepOutput, block: Block): 'valid' | 'header' | 'txs' {
  if (block.height !== r.height + 1 || !equalBytes(block.parent, r.lastHash)) return 'header';
  const decoded = checkBlockTxs(r, out, block);
  if (!decoded) return 'txs';
  r.decoded.set(block, decoded);
  return 'valid';
}

export function onPrePrepare(r: ReplicaState, out: StepOutput, m: PrePrepare): void {
  const { vote, block } = m;
  const { view, seq } = vote;
  if (m.sender !== primaryOf(r, view) || block.height !== seq) return out.drop('invalid');
  // Above the set's last height nothing is ordered here (the next set orders it, under its own keys).
  if (!inWindow(r, seq) || seq > r.cfg.lastHeight) return out.drop('outOfWindow');
  const digest = blockHash(block, r.hash);
  if (!equalBytes(digest, vote.digest)) return out.drop('invalid');
  if (view > r.view + VIEW_WINDOW) {
    // As for votes: a far-future view's proposal is not stored, it only says we may be behind.
    out.fetchFrom(m.sender);
    return out.drop('outOfWindow');
  }
  recordVote(r, out, vote, false);
  // The header binds the transactions only through txRoot: a body that does not match is forged or corrupt.
  if (!equalBytes(r.cfg.txRoot(block.txs), block.txRoot)) return out.drop('invalid');
  if (view > r.view) return out.fetchFrom(m.sender);
  if (view < r.view || r.inViewChange) return out.drop('stale');
  if (seq <= r.height) return helpRecommit(r, out, view, seq, digest);
  const existing = r.proposals.get(seq)?.get(view);
  if (existing) return out.drop('duplicate');
  acceptProposal(r, seq, view, { block, digest, frame: new Uint8Array(0) });
  if (seq > r.height + 1) return out.fetchFrom(m.sender);
  considerProposal(r, out, seq);
}

export function considerProposal(r: ReplicaState, out: StepOutput, seq: number): void {
  // Below the floor this replica may have voted in this slot before its log was damaged.
  if (seq !== r.height + 1 || r.inViewChange || belowFloor(r)) return;
  const p = r.proposals.get(seq)?.get(r.view);
  if (!p) return;
  if (r.latest && r.latest.seq === seq && r.latest.view >= r.view) return tryProgress(r, out, seq);
  const d = r.decision;
  if (d && d.base.height + 1 === seq && d.digest && !equalBytes(d.digest, p.digest)) {
    r.proposals.get(seq)?.delete(r.view);
    return out.drop('invalid');
  }
  if (d && seq <= d.base.height) return;
  const validity = validBlock(r, out, p.block);
  if (validity !== 'valid') {
    r.proposals.get(seq)?.delete(r.view);
    // A forged, replayed or out-of-order transaction is the primary's doing: leave its view.
    if (validity === 'txs') out.suspectPrimary(r.view);
    return out.drop('invalid');
  }
  const frame = sign(r, out, MessageType.Prepare, r.view, seq, p.digest);
  castPrepare(r, out, decodeVote(frame), p.block);
  out.broadcast(frame);
  tryProgress(r, out, seq);
}

function castPrepare(r: ReplicaState, out: StepOutput, vote: Vote, block: Block): void {
  r.latest = vote;
  r.latestBlock = block;
  recordVote(r, out, vote);
  out.hardDirty = true;
}

function helpRecommit(r: ReplicaState, out: StepOutput, view: number, seq: number, digest: Uint8Array): void {
  const entry = r.log.get(seq);
  const at = r.committedAt.get(seq);
  // Only in views entered after committing `seq`: in those this replica cannot have voted for it yet.
  if (!entry || !at || view <= at.view || !equalBytes(entry.hash, digest)) return out.drop('stale');
  const key = `${view}:${seq}`;
  if (r.sentCommit.has(key)) return out.drop('duplicate');
  r.sentCommit.add(key);
  out.broadcast(sign(r, out, MessageType.Prepare, view, seq, digest));
  out.broadcast(sign(r, out, MessageType.Commit, view, seq, digest));
}

function acceptProposal(r: ReplicaState, seq: number, view: number, p: Proposal): void {
  let byView = r.proposals.get(seq);
  if (!byView) r.proposals.set(seq, (byView = new Map()));
  byView.set(view, p);
}

export function onVote(r: ReplicaState, out: StepOutput, v: Vote): void {
  if (v.type === MessageType.Checkpoint) return onCheckpointVote(r, out, v);
  if (v.seq > r.cfg.lastHeight) return out.drop('outOfWindow');
  if (v.seq <= r.height) {
    if (v.seq <= r.stable.seq) return out.drop('stale');
    lazyCommit(r, out, v);
    // Late votes for a just-committed slot are normal; only a retransmission means the peer is stuck.
    const at = r.committedAt.get(v.seq);
    if (at === undefined || r.now - at.at >= r.cfg.retransmitInterval) out.serveTo(v.sender, v.seq);
    return;
  }
  if (!inWindow(r, v.seq)) {
    if (v.seq > r.stable.seq + r.window) out.fetchFrom(v.sender);
    return out.drop('outOfWindow');
  }
  if (v.view > r.view + VIEW_WINDOW) {
    // Far-future views are only stored once we get there (bounds memory against vote spam).
    out.fetchFrom(v.sender);
    return out.drop('outOfWindow');
  }
  if (!recordVote(r, out, v)) return;
  if (v.view > r.view && !r.inViewChange) out.fetchFrom(v.sender);
  if (v.seq > r.height + 1) return out.fetchFrom(v.sender);
  tryProgress(r, out, v.seq);
}

export function tryProgress(r: ReplicaState, out: StepOutput, seq: number): void {
  while (seq === r.height + 1) {
    if (!tryCommit(r, out, seq)) break;
    seq = r.height + 1;
    considerProposal(r, out, seq);
  }
  if (seq !== r.height + 1 || r.inViewChange) return;
  const mine = r.latest;
  if (!mine || mine.seq !== seq || mine.view !== r.view) return;
  const prepares = r.votes.matching(MessageType.Prepare, mine.view, seq, mine.digest);
  if (prepares.length < r.q.quorum) return;
  if (r.prepared.length === 0 || r.prepared[0].view < mine.view) {
    r.prepared = prepares.slice(0, r.q.quorum);
    r.preparedBlock = r.latestBlock;
    r.preparedAt = r.now;
    out.hardDirty = true;
    const wait = r.health.fastWindow();
    if (wait > 0) r.commitDeadline = { view: mine.view, seq, at: r.now + wait };
    else sendCommit(r, out, mine.view, seq);
  }
}

export function sendCommit(r: ReplicaState, out: StepOutput, view: number, seq: number): void {
  if (seq !== r.height + 1 || view !== r.view || r.inViewChange) return;
  const p = r.prepared[0];
  if (!p || p.view !== view || p.seq !== seq) return;
  const key = `${view}:${seq}`;
  if (r.sentCommit.has(key)) return;
  r.sentCommit.add(key);
  const frame = sign(r, out, MessageType.Commit, view, seq, p.digest);
  recordVote(r, out, decodeVote(frame));
  out.broadcast(frame);
  tryProgress(r, out, seq);
}

function lazyCommit(r: ReplicaState, out: StepOutput, v: Vote): void {
  if (v.type !== MessageType.Commit) return;
  const entry = r.log.get(v.seq);
  if (!entry || entry.via !== 'fast' || entry.view !== v.view || !equalBytes(entry.hash, v.digest)) return;
  const key = `${v.view}:${v.seq}`;
  if (r.sentCommit.has(key)) return;
  r.sentCommit.add(key);
  out.send(v.sender, sign(r, out, MessageType.Commit, v.view, v.seq, v.digest));
}

function tryCommit(r: ReplicaState, out: StepOutput, seq: number): boolean {
  const candidates = new Map<string, Proposal>();
  for (const p of r.proposals.get(seq)?.values() ?? []) candidates.set(bytesToHex(p.digest), p);
  for (const b of [r.latestBlock, r.preparedBlock, r.decision?.block ?? null]) {
    if (b && b.height === seq) {
      const digest = blockHash(b, r.hash);
      candidates.set(bytesToHex(digest), { block: b, digest, frame: new Uint8Array(0) });
    }
  }
  for (const { type, view, bySender } of r.votes.phasesAt(seq)) {
    if (type === MessageType.Prepare && !r.cfg.fastPath) continue;
    const seen = new Set<string>();
    for (const v of bySender.values()) {
      const hex = bytesToHex(v.digest);
      if (seen.has(hex)) continue;
      seen.add(hex);
      const p = candidates.get(hex);
      if (!p) continue;
      const votes = r.votes.matching(type, view, seq, v.digest);
      const need = type === MessageType.Commit ? r.q.quorum : r.q.n;
      if (votes.length >= need) {
        if (!equalBytes(p.block.parent, r.lastHash)) return false;
        commit(r, out, p.block, p.digest, view, votes.slice(0, need).map((x) => x.bytes), type === MessageType.Commit ? 'slow' : 'fast');
        return true;
      }
    }
  }
  return false;
}
