import { bytesToHex, equalBytes } from '../bytes/index.js';
import { checkBlockTxs } from './admission.js';
import { type Block, blockHash, encodeBlock } from './block.js';
import { boundAt } from './boundSlots.js';
import { onCheckpointVote } from './checkpoint.js';
import { commit, decodeCommitted } from './execute.js';
import { decodeVote, encodePrePrepare, MessageType, type PrePrepare, type Vote } from './messages.js';
import { inWindow, myPrepare, primaryOf, type Proposal, recordVote, type ReplicaState, sign, slotVotes, votingBarred } from './state.js';
import type { StepOutput } from './step.js';

// The normal case in view v: the primary proposes the blocks at height+1 … height+W (W, the
// pipeline depth: `config.pipeline`), each the child of the one before; a backup checks each and
// PREPAREs it once it PREPAREd its parent in v; 2f+1 PREPAREs make a slot prepared; a replica
// sends COMMIT for a slot once every slot from height+1 to it is prepared in v (so a block that
// commits has every ancestor above the committed height prepared by the same quorum: what the
// new-view rule relies on); 2f+1 COMMITs or all n PREPAREs (the fast path) commit a block, and
// blocks execute in height order.

/** Votes are stored for views up to this far above the current one. */
const VIEW_WINDOW = 4;

/** Highest slot this replica votes in now: W above its committed height, within the watermarks and its set's last height. */
export function topSlot(r: ReplicaState): number {
  return Math.min(r.height + r.cfg.pipeline, r.stable.seq + r.window, r.cfg.lastHeight);
}

/** The parent a block at `seq` must have here: the committed head, or this replica's PREPARE one slot below in this view. */
function parentAt(r: ReplicaState, seq: number): Uint8Array | null {
  return seq === r.height + 1 ? r.lastHash : (myPrepare(r, seq - 1, r.view)?.digest ?? null);
}

export function maybePropose(r: ReplicaState, out: StepOutput): void {
  if (r.inViewChange || primaryOf(r, r.view) !== r.id || votingBarred(r)) return;
  for (let seq = r.height + 1; seq <= topSlot(r); seq++) {
    if (r.proposals.get(seq)?.has(r.view)) continue;
    if (!proposeAt(r, out, seq)) return;
  }
}

/** Proposes the block at `seq` (its parent this primary's own proposal below it); false when there is none to propose yet. */
function proposeAt(r: ReplicaState, out: StepOutput, seq: number): boolean {
  const slot = r.slots.get(seq);
  const voted = myPrepare(r, seq, r.view);
  if (voted) {
    // Restarted after proposing: re-send that very proposal, never a second one.
    if (!slot?.latestBlock) return false;
    const again = { block: slot.latestBlock, digest: voted.digest, frame: encodePrePrepare(r.id, voted.bytes, encodeBlock(slot.latestBlock)) };
    acceptProposal(r, seq, r.view, again);
    out.broadcast(again.frame);
    return true;
  }
  const parent = parentAt(r, seq);
  if (!parent) return false;
  const bound = boundAt(r, seq);
  let block: Block;
  if (bound !== null) {
    // Bound by the new view: its block, once this replica holds the body (else state transfer brings it).
    if (!bound?.block) return false;
    block = bound.block;
  } else {
    const ahead = inFlight(r, seq, true);
    const available = r.pool.size - ahead.pooled;
    if (available <= 0) return false;
    if (available < r.cfg.batchSize && r.now - r.pool.since < r.cfg.batchTimeout) return false;
    const decoded = r.pool.batch(r.cfg.batchSize, (key) => r.accounts.lastNonceOf(key), ahead.nonces);
    if (decoded.length === 0) return false;
    const txs = decoded.map((d) => d.tx.bytes);
    block = { height: seq, parent, txRoot: r.cfg.txRoot(txs), txs };
    r.decoded.set(block, decoded);
    // The batch timer of the next block runs from here.
    r.pool.since = r.now;
  }
  const digest = blockHash(block, r.hash);
  const vote = sign(r, out, MessageType.Prepare, r.view, seq, digest);
  const frame = encodePrePrepare(r.id, vote, encodeBlock(block));
  acceptProposal(r, seq, r.view, { block, digest, frame });
  castPrepare(r, out, seq, decodeVote(vote), block);
  out.broadcast(frame);
  return true;
}

/**
 * The transactions of the blocks this replica PREPAREd in this view below `seq` (not executed
 * yet): each sender's last nonce in them and, for a primary (`countPooled`), how many of them wait
 * in this pool (a block re-proposed after a view change may hold some this pool never had). A block at `seq` runs on
 * from them.
 */
function inFlight(r: ReplicaState, seq: number, countPooled: boolean): { nonces: Map<string, number>; pooled: number } {
  const nonces = new Map<string, number>();
  let pooled = 0;
  for (let s = r.height + 1; s < seq; s++) {
    const block = myPrepare(r, s, r.view) ? r.slots.get(s)?.latestBlock : null;
    if (!block) continue;
    for (const { tx, key } of r.decoded.get(block) ?? decodeCommitted(r, block)) {
      nonces.set(key, Math.max(nonces.get(key) ?? 0, tx.nonce));
      if (countPooled && r.pool.has(key, tx.nonce)) pooled++;
    }
  }
  return { nonces, pooled };
}

/** Whether `block` may be voted for at `seq`: it is the child of `parent`, and its transactions pass `checkBlockTxs` after those in flight below it. */
function validBlock(r: ReplicaState, out: StepOutput, block: Block, seq: number, parent: Uint8Array): 'valid' | 'header' | 'txs' {
  if (block.height !== seq || !equalBytes(block.parent, parent)) return 'header';
  const decoded = checkBlockTxs(r, out, block, seq > r.height + 1 ? inFlight(r, seq, false).nonces : undefined);
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
  if (seq > topSlot(r)) return out.fetchFrom(m.sender);
  // From the lowest open slot: this body may be the one a slot below waited for (see boundSlots.ts).
  tryProgress(r, out, r.height + 1);
}

/** PREPAREs the current view's proposal at `seq` if this replica may vote for it now (see the top of this file). */
function considerProposal(r: ReplicaState, out: StepOutput, seq: number): void {
  // Below the floor, in a view it may have voted in before its log was damaged, it stays out.
  if (seq <= r.height || seq > topSlot(r) || r.inViewChange || votingBarred(r)) return;
  const p = r.proposals.get(seq)?.get(r.view);
  if (!p) return;
  const latest = r.slots.get(seq)?.latest;
  if (latest && latest.view >= r.view) return;
  const bound = boundAt(r, seq);
  // One of the base's ancestors not known here yet: the proposals above it bring them.
  if (bound === undefined) return;
  if (bound && !equalBytes(bound.digest, p.digest)) {
    r.proposals.get(seq)?.delete(r.view);
    return out.drop('invalid');
  }
  // A child waits for this replica's vote on its parent (the proposals may arrive out of order).
  const parent = parentAt(r, seq);
  if (!parent) return;
  const validity = validBlock(r, out, p.block, seq, parent);
  if (validity !== 'valid') {
    r.proposals.get(seq)?.delete(r.view);
    // A forged, replayed or out-of-order transaction is the primary's doing: leave its view.
    if (validity === 'txs') out.suspectPrimary(r.view);
    return out.drop('invalid');
  }
  const frame = sign(r, out, MessageType.Prepare, r.view, seq, p.digest);
  castPrepare(r, out, seq, decodeVote(frame), p.block);
  out.broadcast(frame);
}

function castPrepare(r: ReplicaState, out: StepOutput, seq: number, vote: Vote, block: Block): void {
  const slot = slotVotes(r, seq);
  slot.latest = vote;
  slot.latestBlock = block;
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

function acceptProposal(r: ReplicaState, seq: number, view: number, p: Omit<Proposal, 'at'>): void {
  let byView = r.proposals.get(seq);
  if (!byView) r.proposals.set(seq, (byView = new Map()));
  byView.set(view, { ...p, at: r.now });
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
  // A vote above the slots this replica votes in: its sender committed blocks this one lacks.
  if (v.seq > topSlot(r)) return out.fetchFrom(v.sender);
  tryProgress(r, out, v.seq);
}

/**
 * Moves on from whatever changed at `seq`: PREPAREs the proposals it allows (a child waits for
 * its parent's vote), collects prepared certificates and sends the COMMITs they allow, then
 * commits and executes blocks in height order while certificates allow, voting in the slots each
 * commit opens.
 */
export function tryProgress(r: ReplicaState, out: StepOutput, seq: number): void {
  let committable = false;
  for (let s = Math.max(seq, r.height + 1); s <= topSlot(r); s++) {
    considerProposal(r, out, s);
    const mine = myPrepare(r, s, r.view);
    if (!mine) break;
    committable = collectPrepared(r, out, s, mine) || committable;
  }
  if (seq > r.height + 1 && !committable) return;
  while (tryCommit(r, out, r.height + 1)) {
    for (let s = r.height + 1; s <= topSlot(r); s++) {
      considerProposal(r, out, s);
      const mine = myPrepare(r, s, r.view);
      if (!mine) break;
      collectPrepared(r, out, s, mine);
    }
  }
}

/**
 * Records a prepared certificate for this replica's PREPARE `mine` at `seq` once 2f+1 match,
 * starting the fast path's wait, then sends the COMMITs now due; true when a COMMIT for the next
 * slot to commit went out (it may complete its certificate).
 */
function collectPrepared(r: ReplicaState, out: StepOutput, seq: number, mine: Vote): boolean {
  if (r.inViewChange) return false;
  const slot = slotVotes(r, seq);
  if (slot.prepared.length === 0 || slot.prepared[0].view < mine.view) {
    const prepares = r.votes.matching(MessageType.Prepare, mine.view, seq, mine.digest);
    if (prepares.length < r.q.quorum) return false;
    slot.prepared = prepares.slice(0, r.q.quorum);
    slot.preparedBlock = slot.latestBlock;
    slot.preparedAt = r.now;
    slot.commitAt = r.now + r.health.fastWindow();
    out.hardDirty = true;
    return sendDueCommits(r, out);
  }
  return false;
}

/**
 * Sends COMMIT for every slot whose fast-path wait is over, walking up from height+1 while each
 * slot is prepared in this view (a COMMIT at s promises the prepared chain below s); true when
 * the one for height+1 went out.
 */
export function sendDueCommits(r: ReplicaState, out: StepOutput): boolean {
  if (r.inViewChange) return false;
  let next = false;
  for (let seq = r.height + 1; seq <= topSlot(r); seq++) {
    const slot = r.slots.get(seq);
    const p = slot?.prepared[0];
    if (!slot || !p || p.view !== r.view) break;
    if (slot.commitAt === null || r.now < slot.commitAt) continue;
    slot.commitAt = null;
    const key = `${r.view}:${seq}`;
    if (r.sentCommit.has(key)) continue;
    r.sentCommit.add(key);
    const frame = sign(r, out, MessageType.Commit, r.view, seq, p.digest);
    recordVote(r, out, decodeVote(frame));
    out.broadcast(frame);
    if (seq === r.height + 1) next = true;
  }
  return next;
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
  const candidates = new Map<string, { block: Block; digest: Uint8Array }>();
  for (const p of r.proposals.get(seq)?.values() ?? []) candidates.set(bytesToHex(p.digest), p);
  const slot = r.slots.get(seq);
  for (const b of [slot?.latestBlock ?? null, slot?.preparedBlock ?? null, boundAt(r, seq)?.block ?? null]) {
    if (b && b.height === seq) {
      const digest = blockHash(b, r.hash);
      candidates.set(bytesToHex(digest), { block: b, digest });
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
