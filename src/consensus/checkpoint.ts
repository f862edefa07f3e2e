import { equalBytes } from '../bytes/index.js';
import { AccountTable, encodeSnapshot, restoreSnapshot } from './application.js';
import { isCertificate, isCommitCertificate } from './certificates.js';
import { DecodeError } from './errors.js';
import { type CheckpointProof, decodeVote, MessageType, type Vote } from './messages.js';
import { forgetSlotsUpTo, recordVote, type ReplicaState, sign } from './state.js';
import type { StepOutput } from './step.js';

// Checkpoints: every K blocks each replica signs CHECKPOINT on hash(blockHash ‖ hash(snapshot));
// 2f+1 matching votes make it stable, and what lies below it is garbage.

function checkpointDigest(r: ReplicaState, blockHash: Uint8Array, snapshot: Uint8Array): Uint8Array {
  const h = r.hash(snapshot);
  const both = new Uint8Array(64);
  both.set(blockHash);
  both.set(h, 32);
  return r.hash(both);
}

/** At a height divisible by K: snapshot, sign and broadcast this replica's checkpoint. */
export function takeCheckpoint(r: ReplicaState, out: StepOutput): void {
  const snapshot = encodeSnapshot(r.accounts, r.cfg.application);
  const digest = checkpointDigest(r, r.lastHash, snapshot);
  const frame = sign(r, out, MessageType.Checkpoint, 0, r.height, digest);
  r.myCheckpoint = { seq: r.height, digest, snapshot, blockHash: r.lastHash, frame };
  recordVote(r, out, decodeVote(frame));
  out.broadcast(frame);
  tryStabilize(r, out);
}

/**
 * A peer's CHECKPOINT vote. Only votes a replica can use are stored: view 0, a multiple of K, in
 * the window above the stable checkpoint or at this replica's own pending checkpoint, so at most
 * n · (window / K + 1) are held however many a peer signs.
 */
export function onCheckpointVote(r: ReplicaState, out: StepOutput, v: Vote): void {
  if (v.view !== 0 || v.seq % r.cfg.checkpointInterval !== 0) return out.drop('invalid');
  if (v.seq > r.cfg.lastHeight) return out.drop('outOfWindow');
  if (v.seq <= r.stable.seq) {
    // The peer still lacks a certificate we hold: send it (rate-limited).
    if (v.seq === r.stable.seq) out.serveTo(v.sender, v.seq);
    return out.drop('stale');
  }
  if (v.seq > r.stable.seq + r.window && v.seq !== r.myCheckpoint?.seq) {
    // Peers this far ahead: catch up from them (a vote above our height) or wait for the retransmission.
    if (v.seq > r.height) out.fetchFrom(v.sender);
    return out.drop('outOfWindow');
  }
  if (!recordVote(r, out, v)) return;
  if (v.seq > r.height) {
    const agreeing = r.votes.matching(MessageType.Checkpoint, 0, v.seq, v.digest);
    if (agreeing.length >= r.q.f + 1) out.fetchFrom(v.sender);
  }
  tryStabilize(r, out);
}

function tryStabilize(r: ReplicaState, out: StepOutput): void {
  const mine = r.myCheckpoint;
  if (!mine || mine.seq <= r.stable.seq) return;
  const votes = r.votes.matching(MessageType.Checkpoint, 0, mine.seq, mine.digest);
  if (votes.length < r.q.quorum) return;
  r.stable = {
    seq: mine.seq,
    blockHash: mine.blockHash,
    snapshot: mine.snapshot,
    cert: votes.slice(0, r.q.quorum).map((v) => v.bytes),
    blockCert: r.lastCert.height === mine.seq ? r.lastCert.cert : (r.log.get(mine.seq)?.cert ?? []),
  };
  out.checkpoint = r.stable;
  collectGarbage(r);
}

/** Discards log entries, votes and proposals the stable checkpoint makes unnecessary. */
function collectGarbage(r: ReplicaState): void {
  const low = r.stable.seq;
  for (const h of r.log.keys()) if (h < low) r.log.delete(h);
  for (const h of r.committedAt.keys()) if (h < low) r.committedAt.delete(h);
  r.votes.forgetUpTo(low, true);
  for (const seq of r.proposals.keys()) if (seq <= low) r.proposals.delete(seq);
  for (const key of r.sentCommit) if (Number(key.split(':')[1]) <= low) r.sentCommit.delete(key);
}

/** A certified checkpoint at a height already executed here: make it stable without reinstalling state. */
export function adoptCheckpoint(r: ReplicaState, out: StepOutput, cp: CheckpointProof): void {
  const own = cp.seq === r.height ? r.lastHash : r.log.get(cp.seq)?.hash;
  if (!own || !equalBytes(own, cp.blockHash)) return;
  const digest = checkpointDigest(r, cp.blockHash, cp.snapshot);
  if (!isCertificate(cp.cert, MessageType.Checkpoint, 0, cp.seq, digest, r.q.quorum)) return out.drop('invalid');
  // The block certificate is what this replica proves its height with later (TRANSFERs, VIEW-CHANGEs after a restart).
  if (!isCommitCertificate(cp.blockCert, r.q, cp.seq, cp.blockHash)) return out.drop('invalid');
  r.stable = { seq: cp.seq, blockHash: cp.blockHash, snapshot: cp.snapshot, cert: cp.cert.map((v) => v.bytes), blockCert: cp.blockCert.map((v) => v.bytes) };
  out.checkpoint = r.stable;
  collectGarbage(r);
}

/** A certified checkpoint above this replica's height: replace its state with the snapshot. */
export function installCheckpoint(r: ReplicaState, out: StepOutput, cp: CheckpointProof): void {
  const digest = checkpointDigest(r, cp.blockHash, cp.snapshot);
  if (!isCertificate(cp.cert, MessageType.Checkpoint, 0, cp.seq, digest, r.q.quorum)) return out.drop('invalid');
  if (!isCommitCertificate(cp.blockCert, r.q, cp.seq, cp.blockHash)) return out.drop('invalid');
  const table = new AccountTable();
  try {
    restoreSnapshot(cp.snapshot, table, r.cfg.application);
  } catch (err) {
    if (err instanceof DecodeError) return out.drop('invalid');
    throw err;
  }
  r.accounts = table;
  r.pool.prune((key) => table.lastNonceOf(key));
  r.height = cp.seq;
  r.lastHash = cp.blockHash;
  r.log.clear();
  r.stable = { seq: cp.seq, blockHash: cp.blockHash, snapshot: cp.snapshot, cert: cp.cert.map((v) => v.bytes), blockCert: cp.blockCert.map((v) => v.bytes) };
  r.lastCert = { height: cp.seq, cert: r.stable.blockCert };
  r.myCheckpoint = null;
  out.checkpoint = r.stable;
  // Votes above the checkpoint stay: below a recovery floor they bar a second vote in their slot.
  forgetSlotsUpTo(r, cp.seq);
  out.hardDirty = true;
  collectGarbage(r);
}
