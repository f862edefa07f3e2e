import { complain } from './complaints.js';
import { MessageType, signForward } from './messages.js';
import { sendDueCommits, topSlot, tryProgress } from './normalCase.js';
import { belowFloor, finished, myPrepare, primaryOf, type ReplicaState, viewTimeout } from './state.js';
import type { StepOutput } from './step.js';

// What happens on a clock tick: the fast-path wait, the view timers, retransmission, passing
// waiting transactions on to the primary, and fetching blocks this replica knows it lacks.

export function onTick(r: ReplicaState, out: StepOutput): void {
  // The fast path's wait is over for some prepared slot: send its COMMIT (and commit, if that completes a certificate).
  if (sendDueCommits(r, out)) tryProgress(r, out, r.height + 1);
  const timeout = viewTimeout(r);
  // 2f+1 replicas moved to this view but its primary has not produced NEW-VIEW, or the view
  // installed and stalled: complain (and look for what this replica may have missed). Leaving
  // takes f+1 complaints, so a replica whose timer fires first still takes the NEW-VIEW if it comes.
  if (r.inViewChange ? r.now - r.quorumAt >= timeout : stalled(r, timeout)) {
    if (!r.inViewChange) shareWaiting(r, out);
    complain(r, out);
    out.fetchFrom(rotatingPeer(r));
  }
  if (r.now - r.lastRetransmit >= r.cfg.retransmitInterval) {
    r.lastRetransmit = r.now;
    retransmit(r, out);
  }
  if (r.now - r.lastForward >= Math.min(r.cfg.forwardDelay, r.cfg.retransmitInterval)) {
    r.lastForward = r.now;
    forward(r, out);
  }
  // Blocks this replica must have and lacks (recovery lost them, or the view's base is above
  // it): ask each peer in turn, not only the one that claimed them, which may never answer. An
  // idle replica asks too, once per view timeout: when nothing more is proposed, nothing else
  // would tell one that missed the last blocks (or a NEW-VIEW) that it did. One whose set is
  // finished has nothing left to learn.
  const idle = !r.inViewChange && !finished(r) && r.pool.size === 0 && r.now - r.lastFetch >= timeout;
  if (belowFloor(r) || behindBase(r) || idle) out.fetchFrom(rotatingPeer(r));
}

/**
 * On complaining about the view, a backup passes the transaction waiting longest to every peer,
 * once per view: a client may have reached this replica alone, and leaving the view takes f+1
 * complaints, so the others must hold it for their own request timers to run. With an honest
 * primary the peers simply forward it on and a block commits it. Only that one: it is what the
 * request timer is about, and handing peers the whole pool cost a swarm run under a slowly
 * committing Byzantine primary its view change (withhold-commit, seed 2: 39 transactions in 5 s
 * instead of 227).
 */
function shareWaiting(r: ReplicaState, out: StepOutput): void {
  if (r.myComplaint?.view === r.view || r.pool.size === 0) return;
  out.stats.signed++;
  out.broadcast(signForward(r.signer, r.id, r.pool.waiting(1)));
}

/** Another replica, a different one every retransmission interval. */
function rotatingPeer(r: ReplicaState): number {
  return (r.id + 1 + (Math.floor(r.now / r.cfg.retransmitInterval) % (r.q.n - 1))) % r.q.n;
}

function behindBase(r: ReplicaState): boolean {
  return !r.inViewChange && r.decision !== null && r.decision.base.height > r.height;
}

/**
 * Whether the current view has failed this replica. Two timers, as in PBFT: no commit for
 * `timeout` while a proposal or request waits, and the per-request timer, which runs from when the
 * oldest pending transaction became the oldest (or the view began), so a primary that commits
 * empty blocks, or only other clients' transactions, while a request waits is replaced.
 */
function stalled(r: ReplicaState, timeout: number): boolean {
  const oldest = r.pool.oldest();
  const key = oldest ? `${oldest.key}:${oldest.nonce}` : null;
  if (key === null) r.head = null;
  else if (r.head?.key !== key) r.head = { key, since: r.now };
  if (r.head && r.now - Math.max(r.head.since, r.viewSince) >= timeout) return true;
  const waiting = r.pool.size > 0 || (r.proposals.get(r.height + 1)?.size ?? 0) > 0;
  if (!waiting) r.lastProgress = r.now;
  return waiting && r.now - r.lastProgress >= timeout;
}

/** Re-sends what peers may have lost: this replica's part of the current slot, checkpoint, complaint, view change or NEW-VIEW. */
function retransmit(r: ReplicaState, out: StepOutput): void {
  if (r.inViewChange) {
    const mine = r.viewChanges.get(r.view)?.get(r.id);
    if (mine) out.broadcast(mine.bytes);
    if (r.previousViewChange) out.broadcast(r.previousViewChange);
    if (r.leftOn) out.broadcast(r.leftOn);
    if (r.myComplaint && r.myComplaint.view === r.view) out.broadcast(r.myComplaint.frame);
    return;
  }
  // Every slot in flight: its proposal (from the primary), this replica's PREPARE and COMMIT. A
  // slot above the next one only once it has waited an interval (the pipeline keeps slots in
  // flight all the time; re-sending each at every tick would double the traffic).
  for (let seq = r.height + 1; seq <= topSlot(r); seq++) {
    const p = r.proposals.get(seq)?.get(r.view);
    if (seq > r.height + 1 && (!p || r.now - p.at < r.cfg.retransmitInterval)) break;
    if (p && p.frame.length) out.broadcast(p.frame);
    const mine = myPrepare(r, seq, r.view);
    if (mine && primaryOf(r, r.view) !== r.id) out.broadcast(mine.bytes);
    const commit = r.votes.of(MessageType.Commit, r.view, seq, r.id);
    if (commit) out.broadcast(commit.bytes);
  }
  if (sendDueCommits(r, out)) tryProgress(r, out, r.height + 1);
  if (r.myCheckpoint && r.myCheckpoint.seq > r.stable.seq) out.broadcast(r.myCheckpoint.frame);
  if (r.myComplaint && r.myComplaint.view === r.view) out.broadcast(r.myComplaint.frame);
  if (r.newView && primaryOf(r, r.view) === r.id && r.now - r.lastProgress >= r.cfg.retransmitInterval) out.broadcast(r.newView.bytes);
}

/**
 * A backup passes on to the primary the transactions that have waited here a retransmission
 * interval, again every interval while they wait: a client that left the primary out is served
 * without a view change. The primary drops what it already holds as duplicates.
 */
function forward(r: ReplicaState, out: StepOutput): void {
  const primary = primaryOf(r, r.view);
  if (r.inViewChange || primary === r.id || r.pool.size === 0) return;
  const txs = r.pool.forwardable(r.now, r.now - r.cfg.forwardDelay, r.now - r.cfg.retransmitInterval, r.view, r.cfg.batchSize);
  if (txs.length === 0) return;
  out.stats.signed++;
  out.send(primary, signForward(r.signer, r.id, txs));
}
