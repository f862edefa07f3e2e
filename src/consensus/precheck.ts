import { blockHash } from './block.js';
import { isCertificate, isCommitCertificate } from './certificates.js';
import type { ResolvedConfig } from './config.js';
import { type Complaints, fetchFrameBytes, type FrameLimits, type Message, MessageType, type Transfer, voteFrameBytes } from './messages.js';
import { isComplaint } from './complaints.js';
import { isValidViewChange } from './newViewRule.js';
import { schemeFormat } from './scheme.js';
import { primaryOf, type ReplicaState } from './state.js';
import type { DropReason } from './step.js';
import { validNewView } from './viewChange.js';

// Check before you spend: what a peer's frame may cost is decided from its length and its 4-byte
// header before its body is decoded, and from its structure before any of its signatures is
// verified. The order and the bounds are in docs/consensus.md ("Frame bounds").

/** The decoding limits of a replica: certificates and NEW-VIEWs sized from n, blocks from the batch size, frames of its network's scheme. */
export function frameLimits(cfg: ResolvedConfig): FrameLimits {
  return { votes: cfg.validators.length, txs: cfg.batchSize, transferBlocks: cfg.maxTransferBlocks, slots: cfg.pipeline, format: schemeFormat(cfg.signatures) };
}

/**
 * Checks a raw frame from its length and header alone: not longer than `maxFrameBytes`, the wire
 * version of the network's signature scheme, a known type, a sender that is a validator other
 * than this replica, and the fixed length of a vote or FETCH under the scheme. Returns why to
 * drop it, or null to decode it.
 */
export function screenFrame(r: ReplicaState, bytes: Uint8Array): DropReason | null {
  if (bytes.length > r.cfg.maxFrameBytes) return 'oversize';
  const format = schemeFormat(r.cfg.signatures);
  if (bytes.length < 4 || bytes[0] !== format.wireVersion) return 'malformed';
  const type = bytes[1];
  if (type < MessageType.PrePrepare || type > MessageType.Complaints) return 'malformed';
  const sender = bytes[2] | (bytes[3] << 8);
  if (sender >= r.q.n || sender === r.id) return 'unknownSender';
  if (type === MessageType.Prepare || type === MessageType.Commit || type === MessageType.Checkpoint || type === MessageType.Complaint) {
    if (bytes.length !== voteFrameBytes(format)) return 'malformed';
  } else if (type === MessageType.Fetch && bytes.length !== fetchFrameBytes(format)) {
    return 'malformed';
  }
  return null;
}

/**
 * Whether a decoded frame is structurally what an honest validator sends, judged without its
 * signatures: then a frame that could never be accepted costs no verification. A PRE-PREPARE
 * comes from the primary of its vote's view, with its own vote, for the block at the vote's
 * height; a VIEW-CHANGE passes `isValidViewChange`; a NEW-VIEW `validNewView`; a TRANSFER
 * carries certificates that are certificates (see `validTransfer`). Votes and FETCHes have no
 * structure beyond their fixed layout.
 */
export function wellFormed(r: ReplicaState, m: Message): boolean {
  switch (m.kind) {
    case 'vote':
      return m.type !== MessageType.Complaint || isComplaint(m);
    case 'fetch':
    case 'forward':
      return true;
    case 'complaints':
      return justifies(r, m);
    case 'preprepare':
      return m.vote.sender === m.sender && m.sender === primaryOf(r, m.vote.view) && m.block.height === m.vote.seq;
    case 'viewchange':
      return isValidViewChange(m, r.q, r.start, r.hash, r.cfg.txRoot, r.cfg.pipeline);
    case 'newview':
      return validNewView(r, m);
    case 'transfer':
      return validTransfer(r, m);
  }
}

/**
 * Signals of f+1 to n distinct replicas: COMPLAINTs about the frame's view or later ones, each as
 * `complain` signs it, and VIEW-CHANGEs for later views that `isValidViewChange` accepts.
 */
function justifies(r: ReplicaState, m: Complaints): boolean {
  const senders = new Set<number>();
  for (const c of m.complaints) {
    if (c.view < m.view || !isComplaint(c) || senders.has(c.sender)) return false;
    senders.add(c.sender);
  }
  for (const vc of m.viewChanges) {
    if (vc.newView <= m.view || senders.has(vc.sender) || !isValidViewChange(vc, r.q, r.start, r.hash, r.cfg.txRoot, r.cfg.pipeline)) return false;
    senders.add(vc.sender);
  }
  return senders.size >= r.q.f + 1;
}

/**
 * A TRANSFER as `serve` builds it: a checkpoint certificate of 2f+1 CHECKPOINTs on one digest at
 * the checkpoint's height, the checkpoint block's commit certificate (or none), each block's
 * commit certificate for that very block, and a NEW-VIEW that `validNewView` accepts. Whether
 * the checkpoint digest matches its snapshot is left to the install (it costs a hash of the snapshot).
 */
function validTransfer(r: ReplicaState, t: Transfer): boolean {
  const cp = t.checkpoint;
  if (cp) {
    if (cp.cert.length === 0 || !isCertificate(cp.cert, MessageType.Checkpoint, 0, cp.seq, cp.cert[0].digest, r.q.quorum)) return false;
    if (cp.blockCert.length > 0 && !isCommitCertificate(cp.blockCert, r.q, cp.seq, cp.blockHash)) return false;
  }
  for (const { block, cert } of t.blocks) if (!isCommitCertificate(cert, r.q, block.height, blockHash(block, r.hash))) return false;
  return t.newView === null || validNewView(r, t.newView);
}
