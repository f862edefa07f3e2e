import { equalBytes } from '../bytes/index.js';
import { MessageType, type Vote, type VoteType } from './messages.js';

/** Fault threshold and quorum sizes of n = 3f+1 (or more) validators. */
export interface Quorums {
  n: number;
  f: number;
  /** 2f+1: prepared, committed (slow path), checkpoint, view change. */
  quorum: number;
}

export function quorums(n: number): Quorums {
  const f = Math.floor((n - 1) / 3);
  return { n, f, quorum: n - f };
}

/** True when `votes` are at least `count` votes of `type` on (view, seq, digest) from distinct senders. */
export function isCertificate(votes: Vote[], type: VoteType, view: number, seq: number, digest: Uint8Array, count: number): boolean {
  if (votes.length < count) return false;
  const seen = new Set<number>();
  for (const v of votes) {
    if (v.type !== type || v.view !== view || v.seq !== seq || !equalBytes(v.digest, digest) || seen.has(v.sender)) return false;
    seen.add(v.sender);
  }
  return true;
}

/**
 * A commit certificate for block `digest` at `seq`: 2f+1 COMMITs of one view (slow path) or all
 * n PREPAREs of one view (fast path). Signatures are checked separately, in the step's batch.
 */
export function isCommitCertificate(cert: Vote[], q: Quorums, seq: number, digest: Uint8Array): boolean {
  if (cert.length === 0) return false;
  const { type, view } = cert[0];
  if (type === MessageType.Commit) return isCertificate(cert, type, view, seq, digest, q.quorum);
  if (type === MessageType.Prepare) return isCertificate(cert, type, view, seq, digest, q.n);
  return false;
}

/** A prepared certificate: 2f+1 PREPAREs of one view on (seq, digest). */
export function isPreparedCertificate(cert: Vote[], q: Quorums): boolean {
  if (cert.length === 0) return false;
  const { view, seq, digest } = cert[0];
  return isCertificate(cert, MessageType.Prepare, view, seq, digest, q.quorum);
}
