import { equalBytes } from '../bytes/index.js';
import { consensusDomain, decodeVote, MessageType, quorums, type Vote } from '../consensus/index.js';
import { sha256 } from '../hash/index.js';
import { ed25519 } from '../sig/index.js';
import type { StakingRefusal } from './result.js';
import type { ValidatorState } from './state.js';
import { keyOf } from './table.js';

// Measured performance comes from the chain, never from what one replica saw: a `record-commit`
// transaction carries a commit certificate of the current committee for a height of this epoch
// (2f+1 COMMITs, or all n PREPAREs on the fast path). The first valid record of a height counts;
// its signers signed that commit, and the primary of its view proposed the block. Only committee
// members (their operator accounts) may send records.

/** First and last height of `epoch` (epochs are `epochBlocks` long, the first starting at height 1). */
export function epochBounds(epoch: number, epochBlocks: number): { first: number; last: number } {
  return { first: epoch * epochBlocks + 1, last: (epoch + 1) * epochBlocks };
}

export function recordCommit(s: ValidatorState, chainId: string, sender: string, height: number, frames: Uint8Array[]): StakingRefusal | null {
  const c = s.committee;
  const n = c.consensusKeys.length;
  // Records are the committee's duty, and cost signature checks nobody pays for: only members send them, of at most n frames.
  if (!c.operators.some((o) => keyOf(o) === sender)) return 'record-not-a-member';
  const { first, last } = epochBounds(s.epoch, s.params.epochBlocks);
  if (height < first || height > last || height > s.height) return 'record-out-of-epoch';
  if (s.recordedHeights.has(height)) return 'record-duplicate';
  if (frames.length > n) return 'record-invalid';
  let votes: Vote[];
  try {
    votes = frames.map((f) => decodeVote(f));
  } catch {
    return 'record-invalid';
  }
  if (!votes.length) return 'record-invalid';
  const { type, view, digest } = votes[0];
  const needed = type === MessageType.Commit ? quorums(n).quorum : type === MessageType.Prepare ? n : Infinity;
  const senders = new Set<number>();
  for (const v of votes) {
    if (v.type !== type || v.view !== view || v.seq !== height || !equalBytes(v.digest, digest) || v.sender >= n || senders.has(v.sender)) return 'record-invalid';
    senders.add(v.sender);
  }
  if (senders.size < needed) return 'record-invalid';
  const domain = consensusDomain({ chainId, epoch: c.setEpoch, validators: c.consensusKeys }, sha256);
  const checks = ed25519.verifyBatch(
    votes.map((v) => {
      const message = new Uint8Array(domain.length + v.signed.length);
      message.set(domain);
      message.set(v.signed, domain.length);
      return { signature: v.signature, message, publicKey: c.consensusKeys[v.sender] };
    }),
  );
  if (!checks.every(Boolean)) return 'record-invalid';
  s.recordedHeights.add(height);
  for (const sender of senders) s.activity.signed[sender]++;
  // The replica's primary of a view is view mod n.
  s.activity.proposed[view % n]++;
  return null;
}
