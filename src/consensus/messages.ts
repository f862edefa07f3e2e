import { type Block, BLOCK_HEADER_BYTES, readBlock } from './block.js';
import { Reader, Writer } from './codec.js';
import { MAX_VALIDATORS } from './config.js';
import type { SignatureCheck, Signer } from './crypto.js';
import { DecodeError } from './errors.js';

/** Wire format version: the first byte of every frame. */
export const WIRE_VERSION = 1;
const SIG = 64;
/** Length of every PREPARE, COMMIT and CHECKPOINT frame: header, view, seq, digest, signature. */
export const VOTE_FRAME_BYTES = 4 + 4 + 8 + 32 + SIG;
/** Length of every FETCH frame: header, from, view, signature. */
export const FETCH_FRAME_BYTES = 4 + 8 + 4 + SIG;
/** Shortest VIEW-CHANGE frame: header, view, height, hash, three empty lists, an empty latest vote, signature. */
const MIN_VIEW_CHANGE_BYTES = 4 + 4 + 8 + 32 + 2 + 2 + 4 + 2 + SIG;
/** A VIEW-CHANGE carries at most the bodies of its prepared and its latest block (`isValidViewChange`). */
const VIEW_CHANGE_BLOCKS = 2;

export const MessageType = {
  PrePrepare: 1,
  Prepare: 2,
  Commit: 3,
  Checkpoint: 4,
  ViewChange: 5,
  NewView: 6,
  Fetch: 7,
  Transfer: 8,
  /** A replica's (non-binding) wish to leave a view: see complaints.ts. Vote-shaped, seq 0, zero digest. */
  Complaint: 9,
  /** Client transactions a backup passes on to the primary. */
  Forward: 10,
  /** The f+1 COMPLAINTs about a view that made the sender leave it, passed on so that every replica can follow. */
  Complaints: 11,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];
export type VoteType = typeof MessageType.Prepare | typeof MessageType.Commit | typeof MessageType.Checkpoint | typeof MessageType.Complaint;

/** Anything carrying a signature: the signed prefix of its frame and the 64-byte signature. */
interface SignedPart {
  sender: number;
  signed: Uint8Array;
  signature: Uint8Array;
}

/** A signed vote on (view, seq, digest): PREPARE, COMMIT or CHECKPOINT (view 0, digest = state digest). */
export interface Vote extends SignedPart {
  kind: 'vote';
  type: VoteType;
  view: number;
  seq: number;
  digest: Uint8Array;
  /** The whole frame, as embedded in certificates. */
  bytes: Uint8Array;
}

export interface PrePrepare {
  kind: 'preprepare';
  sender: number;
  /** The primary's own PREPARE vote, binding the block by digest. */
  vote: Vote;
  block: Block;
}

/** What a replica reports when it leaves a view (see viewChange.ts for how it is used). */
export interface ViewChange extends SignedPart {
  kind: 'viewchange';
  newView: number;
  /** Highest committed height with its commit certificate (empty at genesis). */
  committed: { height: number; hash: Uint8Array; cert: Vote[] };
  /** Highest prepared certificate for slot height+1: 2f+1 PREPAREs, or empty. */
  prepared: Vote[];
  /** The sender's latest signed PREPARE for slot height+1, or null. */
  latest: Vote | null;
  /** Bodies of the blocks named by `prepared` and `latest`. */
  blocks: Block[];
  bytes: Uint8Array;
}

export interface NewView extends SignedPart {
  kind: 'newview';
  view: number;
  viewChanges: ViewChange[];
  bytes: Uint8Array;
}

export interface Fetch extends SignedPart {
  kind: 'fetch';
  from: number;
  view: number;
}

interface CertifiedBlock {
  block: Block;
  cert: Vote[];
}

export interface CheckpointProof {
  seq: number;
  blockHash: Uint8Array;
  snapshot: Uint8Array;
  cert: Vote[];
  /** Commit certificate of the block at `seq`, so the receiver can later prove its height in a view change. */
  blockCert: Vote[];
}

export interface Transfer extends SignedPart {
  kind: 'transfer';
  checkpoint: CheckpointProof | null;
  blocks: CertifiedBlock[];
  newView: NewView | null;
}

/** Client transactions a backup received and passes on to the primary (each signed by its client). */
export interface Forward extends SignedPart {
  kind: 'forward';
  txs: Uint8Array[];
}

/**
 * What made the sender leave `view`: the signals of f+1 or more replicas, each a signed COMPLAINT
 * (about `view` or a later one) or a VIEW-CHANGE for a later view (see complaints.ts).
 */
export interface Complaints extends SignedPart {
  kind: 'complaints';
  view: number;
  complaints: Vote[];
  viewChanges: ViewChange[];
}

export type Message = Vote | PrePrepare | ViewChange | NewView | Fetch | Transfer | Forward | Complaints;

/** How much one frame may hold: a replica sizes these from its config, so a peer's frame costs what n allows and no more. */
export interface FrameLimits {
  /** Votes in one certificate, and view changes in one NEW-VIEW: n (a certificate holds at most n distinct votes). */
  votes: number;
  /** Transactions in one block: the batch size. */
  txs: number;
  /** Blocks in one TRANSFER. */
  transferBlocks: number;
}

/** What `decodeMessage` allows when no replica's config sizes it (the largest validator set, any block). */
const OPEN_LIMITS: FrameLimits = { votes: MAX_VALIDATORS, txs: 2 ** 32 - 1, transferBlocks: 65535 };

function header(type: MessageType, sender: number, capacity: number): Writer {
  return new Writer(capacity).u8(WIRE_VERSION).u8(type).u16(sender);
}

function seal(w: Writer, signer: Signer): Uint8Array {
  const signed = w.finish();
  const out = new Uint8Array(signed.length + SIG);
  out.set(signed);
  out.set(signer.sign(signed), signed.length);
  return out;
}

export function signVote(signer: Signer, type: VoteType, sender: number, view: number, seq: number, digest: Uint8Array): Uint8Array {
  return seal(header(type, sender, 64).u32(view).u64(seq).raw(digest), signer);
}

export function encodePrePrepare(sender: number, vote: Uint8Array, blockBytes: Uint8Array): Uint8Array {
  return header(MessageType.PrePrepare, sender, blockBytes.length + vote.length + 16).bytes(vote).bytes(blockBytes).finish();
}

export interface ViewChangeFields {
  newView: number;
  committed: { height: number; hash: Uint8Array; cert: Uint8Array[] };
  prepared: Uint8Array[];
  latest: Uint8Array | null;
  blocks: Uint8Array[];
}

export function signViewChange(signer: Signer, sender: number, f: ViewChangeFields): Uint8Array {
  const w = header(MessageType.ViewChange, sender, 1024).u32(f.newView);
  w.u64(f.committed.height).raw(f.committed.hash).list(f.committed.cert);
  w.list(f.prepared).bytes(f.latest ?? new Uint8Array(0)).list(f.blocks);
  return seal(w, signer);
}

export function signNewView(signer: Signer, sender: number, view: number, viewChanges: Uint8Array[]): Uint8Array {
  return seal(header(MessageType.NewView, sender, 4096).u32(view).list(viewChanges), signer);
}

export function signFetch(signer: Signer, sender: number, from: number, view: number): Uint8Array {
  return seal(header(MessageType.Fetch, sender, 32).u64(from).u32(view), signer);
}

export function signForward(signer: Signer, sender: number, txs: Uint8Array[]): Uint8Array {
  return seal(header(MessageType.Forward, sender, 1024).list(txs), signer);
}

export function signComplaints(signer: Signer, sender: number, view: number, complaints: Uint8Array[], viewChanges: Uint8Array[] = []): Uint8Array {
  return seal(header(MessageType.Complaints, sender, 64 + complaints.length * VOTE_FRAME_BYTES).u32(view).list(complaints).list(viewChanges), signer);
}

export interface TransferFields {
  checkpoint: { seq: number; blockHash: Uint8Array; snapshot: Uint8Array; cert: Uint8Array[]; blockCert: Uint8Array[] } | null;
  blocks: { block: Uint8Array; cert: Uint8Array[] }[];
  newView: Uint8Array | null;
}

export function signTransfer(signer: Signer, sender: number, t: TransferFields): Uint8Array {
  const w = header(MessageType.Transfer, sender, 4096);
  if (t.checkpoint) {
    const c = t.checkpoint;
    w.u8(1).u64(c.seq).raw(c.blockHash).bytes(c.snapshot).list(c.cert).list(c.blockCert);
  } else {
    w.u8(0);
  }
  w.u16(t.blocks.length);
  for (const b of t.blocks) w.bytes(b.block).list(b.cert);
  w.bytes(t.newView ?? new Uint8Array(0));
  return seal(w, signer);
}

function splitSigned(bytes: Uint8Array): { signed: Uint8Array; signature: Uint8Array; body: Reader } {
  if (bytes.length < 4 + SIG) throw new DecodeError('frame shorter than header and signature');
  const signed = bytes.subarray(0, bytes.length - SIG);
  const body = new Reader(signed);
  body.pos = 4;
  return { signed, signature: bytes.subarray(bytes.length - SIG), body };
}

function frameHeader(bytes: Uint8Array): { type: number; sender: number } {
  if (bytes.length < 4) throw new DecodeError('frame shorter than its header');
  if (bytes[0] !== WIRE_VERSION) throw new DecodeError(`unknown wire version ${bytes[0]}`);
  return { type: bytes[1], sender: bytes[2] | (bytes[3] << 8) };
}

export function decodeVote(bytes: Uint8Array, expected?: VoteType): Vote {
  const { type, sender } = frameHeader(bytes);
  if (type !== MessageType.Prepare && type !== MessageType.Commit && type !== MessageType.Checkpoint && type !== MessageType.Complaint) throw new DecodeError(`type ${type} is not a vote`);
  if (expected !== undefined && type !== expected) throw new DecodeError(`expected vote type ${expected}, got ${type}`);
  const { signed, signature, body } = splitSigned(bytes);
  const view = body.u32();
  const seq = body.u64();
  const digest = body.raw(32);
  body.end();
  return { kind: 'vote', type: type as VoteType, sender, view, seq, digest, signed, signature, bytes };
}

/** A list of at most `limits.votes` vote frames (a certificate). */
function readVotes(body: Reader, limits: FrameLimits, expected?: VoteType): Vote[] {
  return body.list(limits.votes, VOTE_FRAME_BYTES).map((v) => decodeVote(v, expected));
}

function decodeViewChange(bytes: Uint8Array, limits: FrameLimits): ViewChange {
  const { sender } = frameHeader(bytes);
  const { signed, signature, body } = splitSigned(bytes);
  const newView = body.u32();
  const height = body.u64();
  const hash = body.raw(32);
  const cert = readVotes(body, limits);
  const prepared = readVotes(body, limits, MessageType.Prepare);
  const latestBytes = body.bytes();
  const blocks = body.list(VIEW_CHANGE_BLOCKS, BLOCK_HEADER_BYTES).map((b) => readBlock(b, limits.txs));
  body.end();
  const latest = latestBytes.length ? decodeVote(latestBytes, MessageType.Prepare) : null;
  return { kind: 'viewchange', sender, newView, committed: { height, hash, cert }, prepared, latest, blocks, signed, signature, bytes };
}

/** A list of at most `limits.votes` VIEW-CHANGE frames (one per validator). */
function readViewChanges(body: Reader, limits: FrameLimits): ViewChange[] {
  return body.list(limits.votes, MIN_VIEW_CHANGE_BYTES).map((vc) => {
    if (frameHeader(vc).type !== MessageType.ViewChange) throw new DecodeError('expected a view-change message');
    return decodeViewChange(vc, limits);
  });
}

function decodeNewView(bytes: Uint8Array, limits: FrameLimits): NewView {
  const { sender } = frameHeader(bytes);
  const { signed, signature, body } = splitSigned(bytes);
  const view = body.u32();
  const viewChanges = readViewChanges(body, limits);
  body.end();
  return { kind: 'newview', sender, view, viewChanges, signed, signature, bytes };
}

function decodeTransfer(bytes: Uint8Array, sender: number, limits: FrameLimits): Transfer {
  const { signed, signature, body } = splitSigned(bytes);
  let checkpoint: CheckpointProof | null = null;
  if (body.u8() === 1) {
    const seq = body.u64();
    const blockHash = body.raw(32);
    const snapshot = body.bytes();
    const cert = readVotes(body, limits, MessageType.Checkpoint);
    const blockCert = readVotes(body, limits);
    checkpoint = { seq, blockHash, snapshot, cert, blockCert };
  }
  const count = body.u16();
  if (count > limits.transferBlocks) throw new DecodeError(`transfer of ${count} blocks exceeds ${limits.transferBlocks}`);
  // Each block is at least a length prefix, a header and an empty certificate.
  if (count * (4 + BLOCK_HEADER_BYTES + 2) > body.remaining) throw new DecodeError(`transfer of ${count} blocks cannot fit in ${body.remaining} bytes`);
  const blocks: CertifiedBlock[] = [];
  for (let i = 0; i < count; i++) {
    const block = readBlock(body.bytes(), limits.txs);
    blocks.push({ block, cert: readVotes(body, limits) });
  }
  const nv = body.bytes();
  body.end();
  const newView = nv.length ? (frameHeader(nv).type === MessageType.NewView ? decodeNewView(nv, limits) : null) : null;
  if (nv.length && !newView) throw new DecodeError('transfer carries a non-new-view message');
  return { kind: 'transfer', sender, checkpoint, blocks, newView, signed, signature };
}

/** Parses one frame; throws `DecodeError` on anything malformed. Signatures are not checked here. */
export function decodeMessage(bytes: Uint8Array): Message {
  return decodeFrame(bytes, OPEN_LIMITS);
}

/**
 * `decodeMessage` within `limits`: every list count is checked against its limit and against the
 * bytes left before anything is allocated for it. Structure (who may send what, whether a
 * certificate is one) is checked after, by the replica (see precheck.ts).
 */
export function decodeFrame(bytes: Uint8Array, limits: FrameLimits): Message {
  const { type, sender } = frameHeader(bytes);
  switch (type) {
    case MessageType.Prepare:
    case MessageType.Commit:
    case MessageType.Checkpoint:
    case MessageType.Complaint:
      return decodeVote(bytes);
    case MessageType.PrePrepare: {
      const r = new Reader(bytes);
      r.pos = 4;
      const vote = decodeVote(r.bytes(), MessageType.Prepare);
      const block = readBlock(r.bytes(), limits.txs);
      r.end();
      return { kind: 'preprepare', sender, vote, block };
    }
    case MessageType.ViewChange:
      return decodeViewChange(bytes, limits);
    case MessageType.NewView:
      return decodeNewView(bytes, limits);
    case MessageType.Fetch: {
      const { signed, signature, body } = splitSigned(bytes);
      const from = body.u64();
      const view = body.u32();
      body.end();
      return { kind: 'fetch', sender, from, view, signed, signature };
    }
    case MessageType.Transfer:
      return decodeTransfer(bytes, sender, limits);
    case MessageType.Forward: {
      const { signed, signature, body } = splitSigned(bytes);
      const txs = body.list(limits.txs);
      body.end();
      return { kind: 'forward', sender, txs, signed, signature };
    }
    case MessageType.Complaints: {
      const { signed, signature, body } = splitSigned(bytes);
      const view = body.u32();
      const complaints = readVotes(body, limits, MessageType.Complaint);
      const viewChanges = readViewChanges(body, limits);
      body.end();
      return { kind: 'complaints', sender, view, complaints, viewChanges, signed, signature };
    }
    default:
      throw new DecodeError(`unknown message type ${type}`);
  }
}

/** Every signed object inside `m` (the message itself and all embedded votes and certificates). */
export function signedParts(m: Message): SignedPart[] {
  switch (m.kind) {
    case 'vote':
    case 'fetch':
    case 'forward':
      return [m];
    case 'preprepare':
      return [m.vote];
    case 'complaints':
      return [m, ...m.complaints, ...m.viewChanges.flatMap(viewChangeParts)];
    case 'viewchange':
      return viewChangeParts(m);
    case 'newview':
      return [m, ...m.viewChanges.flatMap(viewChangeParts)];
    case 'transfer':
      return [
        m,
        ...(m.checkpoint?.cert ?? []),
        ...(m.checkpoint?.blockCert ?? []),
        ...m.blocks.flatMap((b) => b.cert),
        ...(m.newView ? signedParts(m.newView) : []),
      ];
  }
}

function viewChangeParts(vc: ViewChange): SignedPart[] {
  return [vc, ...vc.committed.cert, ...vc.prepared, ...(vc.latest ? [vc.latest] : [])];
}

/** Signature checks for `parts`, or null if one names a sender outside the validator set. */
export function checksFor(parts: SignedPart[], validators: Uint8Array[]): SignatureCheck[] | null {
  const out: SignatureCheck[] = [];
  for (const p of parts) {
    const publicKey = validators[p.sender];
    if (publicKey === undefined) return null;
    out.push({ publicKey, message: p.signed, signature: p.signature });
  }
  return out;
}

