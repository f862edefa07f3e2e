import { equalBytes } from '../bytes/index.js';
import { blockHash, consensusDomain, decodeMessage, decodeVote, type Message, MessageType, sameSlotReports, type TxRootFunction, type Vote } from '../consensus/index.js';
import { sha256 } from '../hash/index.js';
import { ed25519 } from '../sig/index.js';
import { parseTransaction, type Transaction, verifyTransactions } from '../tx/index.js';
import { type Offence, OFFENCES } from './params.js';
import type { StakingRefusal } from './result.js';
import type { Committee } from './state.js';

// What two signed consensus frames of one validator prove on their own. Each frame is checked
// against the committee of the epoch the evidence names: a signature under that epoch's domain
// shows the frame was made in it. Pairs an honest replica of this codebase can sign (see
// docs/validators.md, "Evidence") are refused as `evidence-not-an-offence`.

export interface Conviction {
  offence: Offence;
  /** Index in the epoch's committee. */
  member: number;
  /** Height of the misbehaviour. */
  height: number;
  /** The infraction's id (epoch, member, offence, slot): the same misbehaviour convicts once, whichever frames show it. */
  id: Uint8Array;
}

export interface EvidenceContext {
  chainId: string;
  committee: Committee;
  /** First height of the committee's epoch. */
  epochStart: number;
  txRoot: TxRootFunction;
}

const signedFrames = new Set<number>([MessageType.Prepare, MessageType.Commit, MessageType.Checkpoint, MessageType.ViewChange, MessageType.NewView]);

function signaturesValid(ctx: EvidenceContext, parts: { sender: number; signed: Uint8Array; signature: Uint8Array }[]): boolean {
  const domain = consensusDomain({ chainId: ctx.chainId, epoch: ctx.committee.setEpoch, validators: ctx.committee.consensusKeys }, sha256);
  return parts.every((p) => {
    const key = ctx.committee.consensusKeys[p.sender];
    if (!key) return false;
    const message = new Uint8Array(domain.length + p.signed.length);
    message.set(domain);
    message.set(p.signed, domain.length);
    return ed25519.verify(p.signature, message, key);
  });
}

const ID_CONTEXT = new TextEncoder().encode('swarmguard/validators/infraction/v1\0');

/** `slot` is the height (votes, VIEW-CHANGEs, proposals) or the view (NEW-VIEWs) misbehaved at. */
function infractionId(ctx: EvidenceContext, offence: Offence, kind: number, member: number, slot: number): Uint8Array {
  const bytes = new Uint8Array(ID_CONTEXT.length + 20);
  bytes.set(ID_CONTEXT);
  const view = new DataView(bytes.buffer, ID_CONTEXT.length);
  // The set's epoch, not the staking epoch: with a fixed committee one signature is valid in every epoch, and must convict once.
  view.setBigUint64(0, BigInt(ctx.committee.setEpoch), true);
  view.setUint16(8, member, true);
  view.setUint8(10, OFFENCES.indexOf(offence));
  view.setUint8(11, kind);
  view.setBigUint64(12, BigInt(slot), true);
  return sha256(bytes);
}

const BLOCK_VOTES = new Set<number>([MessageType.Prepare, MessageType.Commit]);

/**
 * Two votes of one sender at one height and view for different digests. Two COMMITs are the
 * worst (they can make a fork); two PREPAREs, a PREPARE and a COMMIT, or two CHECKPOINTs are
 * equivocation. Across views nothing convicts on its own: an honest replica here may COMMIT a
 * block in one view and another in a later view whose NEW-VIEW freed the slot (docs/validators.md,
 * "Accountable safety").
 */
function voteOffence(a: Vote, b: Vote): Offence | null {
  if (a.seq !== b.seq || a.view !== b.view || equalBytes(a.digest, b.digest)) return null;
  if (a.type === MessageType.Commit && b.type === MessageType.Commit) return 'conflicting-commits';
  if (a.type === b.type || (BLOCK_VOTES.has(a.type) && BLOCK_VOTES.has(b.type))) return 'equivocation';
  return null;
}

/** Two messages of one sender that no honest replica sends both of (votes, VIEW-CHANGEs, NEW-VIEWs). */
function pairOffence(ctx: EvidenceContext, a: Message, b: Message): { offence: Offence; height: number; slot: number } | null {
  if (a.kind === 'vote' && b.kind === 'vote') {
    const offence = voteOffence(a, b);
    return offence && { offence, height: a.seq, slot: a.seq };
  }
  if (a.kind === 'viewchange' && b.kind === 'viewchange') {
    // The rule of consensus's equivocation check: one VIEW-CHANGE per new view and committed height.
    if (a.newView !== b.newView || a.committed.height !== b.committed.height) return null;
    if (sameSlotReports(a, b)) return null;
    return { offence: 'equivocation', height: a.committed.height + 1, slot: a.committed.height + 1 };
  }
  if (a.kind === 'newview' && b.kind === 'newview') {
    // A NEW-VIEW names no height: the infraction is dated to the start of the epoch it was signed in.
    return a.view === b.view ? { offence: 'equivocation', height: ctx.epochStart, slot: a.view } : null;
  }
  return null;
}

/**
 * A PRE-PREPARE whose block no honest replica would vote for: a wrong transaction root or a
 * transaction that does not parse (checked whole: hashing and parsing are cheap), or — with
 * `badTx`, the index of the one to check — a transaction whose signature fails. Only that one
 * signature is verified: evidence nobody pays for must not make every replica verify a block.
 */
function invalidProposal(ctx: EvidenceContext, frame: Uint8Array, badTx: number | null): Conviction | StakingRefusal {
  let m: Message;
  try {
    m = decodeMessage(frame);
  } catch {
    return 'evidence-invalid';
  }
  if (m.kind !== 'preprepare') return 'evidence-not-an-offence';
  const { vote, block } = m;
  if (vote.seq !== block.height || !equalBytes(vote.digest, blockHash(block, sha256))) return 'evidence-invalid';
  if (!signaturesValid(ctx, [vote])) return 'evidence-invalid';
  let bad = !equalBytes(ctx.txRoot(block.txs), block.txRoot);
  const txs: Transaction[] = [];
  for (const bytes of block.txs) {
    if (bad) break;
    try {
      txs.push(parseTransaction(bytes, 2 ** 32, ctx.chainId));
    } catch {
      bad = true;
    }
  }
  if (!bad && badTx !== null && badTx < txs.length && !verifyTransactions([txs[badTx]])[0]) bad = true;
  if (!bad) return 'evidence-not-an-offence';
  return { offence: 'invalid-proposal', member: vote.sender, height: vote.seq, id: infractionId(ctx, 'invalid-proposal', 0, vote.sender, vote.seq) };
}

/**
 * Checks `first` and `second` against the context's committee: a conviction, or why not. For an
 * invalid proposal `first` is the PRE-PREPARE and `second` empty, or the u32 (little-endian)
 * index of the transaction whose signature fails.
 */
export function convict(ctx: EvidenceContext, first: Uint8Array, second: Uint8Array): Conviction | StakingRefusal {
  if (second.length === 0) return invalidProposal(ctx, first, null);
  if (second.length === 4) return invalidProposal(ctx, first, new DataView(second.buffer, second.byteOffset, 4).getUint32(0, true));
  let a: Message;
  let b: Message;
  try {
    a = first[1] === MessageType.Prepare || first[1] === MessageType.Commit || first[1] === MessageType.Checkpoint ? decodeVote(first) : decodeMessage(first);
    b = second[1] === MessageType.Prepare || second[1] === MessageType.Commit || second[1] === MessageType.Checkpoint ? decodeVote(second) : decodeMessage(second);
  } catch {
    return 'evidence-invalid';
  }
  if (!signedFrames.has(first[1]) || !signedFrames.has(second[1])) return 'evidence-not-an-offence';
  const sa = a as Message & { sender: number; signed: Uint8Array; signature: Uint8Array };
  const sb = b as Message & { sender: number; signed: Uint8Array; signature: Uint8Array };
  if (sa.sender !== sb.sender || equalBytes(first, second)) return 'evidence-not-an-offence';
  const found = pairOffence(ctx, a, b);
  if (!found) return 'evidence-not-an-offence';
  if (!signaturesValid(ctx, [sa, sb])) return 'evidence-invalid';
  return { offence: found.offence, member: sa.sender, height: found.height, id: infractionId(ctx, found.offence, a.kind === 'vote' ? 0 : a.kind === 'viewchange' ? 1 : 2, sa.sender, found.slot) };
}
