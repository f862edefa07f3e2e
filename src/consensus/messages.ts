import { type Block, BLOCK_HEADER_BYTES, readBlock } from './block.js';
import { Reader, Writer } from './codec.js';
import { MAX_PIPELINE, MAX_VALIDATORS } from './config.js';
import type { Signer } from './crypto.js';
import { DecodeError } from './errors.js';
import { formatOfVersion, type SchemeFormat, schemeFormat } from './scheme.js';

/**
 * Wire format version of frames signed with Ed25519 (the default scheme): the first byte of
 * every such frame. A frame signed under another scheme has the same layout with that scheme's
 * signature and its own first byte (`schemeFormat(scheme).wireVersion`: 2 for 'ed25519+mldsa65').
 */
export const WIRE_VERSION = 1;

/** Length of every PREPARE, COMMIT and CHECKPOINT frame: header, view, seq, digest, signature (112 bytes under Ed25519). */
export function voteFrameBytes(format: SchemeFormat): number {
  return 4 + 4 + 8 + 32 + format.signatureBytes;
}
/** Length of every FETCH frame: header, from, view, signature. */
export function fetchFrameBytes(format: SchemeFormat): number {
  return 4 + 8 + 4 + format.signatureBytes;
}
/** Shortest VIEW-CHANGE frame: header, view, height, hash, three empty lists, an empty latest vote, signature. */
function minViewChangeBytes(format: SchemeFormat): number {
  return 4 + 4 + 8 + 32 + 2 + 2 + 4 + 2 + format.signatureBytes;
}

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

/** Anything carrying a signature: the signed prefix of its frame and the signature (the scheme's length). */
export interface SignedPart {
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
  /**
   * The same for the slots after it, height+2 onwards, in order (a pipelined replica votes in up
   * to `pipeline` slots at once); empty for one slot. Never ends with a slot without votes.
   */
  ahead: SlotReport[];
  /** Bodies of the blocks named by the prepared certificates and latest votes (at most two per slot). */
  blocks: Block[];
  bytes: Uint8Array;
}

/** What a VIEW-CHANGE reports for one slot: the highest prepared certificate and the sender's latest PREPARE. */
export interface SlotReport {
  prepared: Vote[];
  latest: Vote | null;
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
  /** Slots one VIEW-CHANGE may report (the pipeline depth); unset: `MAX_PIPELINE`. */
  slots?: number;
  /** The network's scheme: a frame of another is malformed. Unset: the scheme the frame names. */
  format?: SchemeFormat;
}

/** What `decodeMessage` allows when no replica's config sizes it (the largest validator set, any block, any scheme). */
const OPEN_LIMITS: FrameLimits = { votes: MAX_VALIDATORS, txs: 2 ** 32 - 1, transferBlocks: 65535 };

/** The scheme of a signer: Ed25519 unless it says otherwise. */
function formatOf(signer: Signer): SchemeFormat {
  return schemeFormat(signer.scheme ?? 'ed25519');
}

function header(type: MessageType, sender: number, capacity: number, format: SchemeFormat): Writer {
  return new Writer(capacity).u8(format.wireVersion).u8(type).u16(sender);
}

function seal(w: Writer, signer: Signer): Uint8Array {
  const signed = w.finish();
  const signature = signer.sign(signed);
  const out = new Uint8Array(signed.length + signature.length);
  out.set(signed);
  out.set(signature, signed.length);
  return out;
}

export function signVote(signer: Signer, type: VoteType, sender: number, view: number, seq: number, digest: Uint8Array): Uint8Array {
  return seal(header(type, sender, 64, formatOf(signer)).u32(view).u64(seq).raw(digest), signer);
}

/** A PRE-PREPARE: the primary's signed PREPARE `vote` and the block; the frame takes the vote's wire version. */
export function encodePrePrepare(sender: number, vote: Uint8Array, blockBytes: Uint8Array): Uint8Array {
  return new Writer(blockBytes.length + vote.length + 16).u8(vote[0]).u8(MessageType.PrePrepare).u16(sender).bytes(vote).bytes(blockBytes).finish();
}

export interface ViewChangeFields {
  newView: number;
  committed: { height: number; hash: Uint8Array; cert: Uint8Array[] };
  prepared: Uint8Array[];
  latest: Uint8Array | null;
  /** Slots height+2 onwards (pipelining); omitted or empty for one slot, which keeps the frame as it was. */
  ahead?: { prepared: Uint8Array[]; latest: Uint8Array | null }[];
  blocks: Uint8Array[];
}

export function signViewChange(signer: Signer, sender: number, f: ViewChangeFields): Uint8Array {
  const w = header(MessageType.ViewChange, sender, 1024, formatOf(signer)).u32(f.newView);
  w.u64(f.committed.height).raw(f.committed.hash).list(f.committed.cert);
  w.list(f.prepared).bytes(f.latest ?? new Uint8Array(0)).list(f.blocks);
  // Only a pipelined replica's frame has the slots after the first: a one-slot frame ends here.
  const ahead = f.ahead ?? [];
  if (ahead.length > 0) {
    w.u16(ahead.length);
    for (const slot of ahead) w.list(slot.prepared).bytes(slot.latest ?? new Uint8Array(0));
  }
  return seal(w, signer);
}

export function signNewView(signer: Signer, sender: number, view: number, viewChanges: Uint8Array[]): Uint8Array {
  return seal(header(MessageType.NewView, sender, 4096, formatOf(signer)).u32(view).list(viewChanges), signer);
}

export function signFetch(signer: Signer, sender: number, from: number, view: number): Uint8Array {
  return seal(header(MessageType.Fetch, sender, 32, formatOf(signer)).u64(from).u32(view), signer);
}

export function signForward(signer: Signer, sender: number, txs: Uint8Array[]): Uint8Array {
  return seal(header(MessageType.Forward, sender, 1024, formatOf(signer)).list(txs), signer);
}

export function signComplaints(signer: Signer, sender: number, view: number, complaints: Uint8Array[], viewChanges: Uint8Array[] = []): Uint8Array {
  const format = formatOf(signer);
  return seal(header(MessageType.Complaints, sender, 64 + complaints.length * voteFrameBytes(format), format).u32(view).list(complaints).list(viewChanges), signer);
}

export interface TransferFields {
  checkpoint: { seq: number; blockHash: Uint8Array; snapshot: Uint8Array; cert: Uint8Array[]; blockCert: Uint8Array[] } | null;
  blocks: { block: Uint8Array; cert: Uint8Array[] }[];
  newView: Uint8Array | null;
}

export function signTransfer(signer: Signer, sender: number, t: TransferFields): Uint8Array {
  const w = header(MessageType.Transfer, sender, 4096, formatOf(signer));
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

function splitSigned(bytes: Uint8Array, format: SchemeFormat): { signed: Uint8Array; signature: Uint8Array; body: Reader } {
  const length = format.signatureBytes;
  if (bytes.length < 4 + length) throw new DecodeError('frame shorter than header and signature');
  const signed = bytes.subarray(0, bytes.length - length);
  const body = new Reader(signed);
  body.pos = 4;
  return { signed, signature: bytes.subarray(bytes.length - length), body };
}

/**
 * The header of a frame: its type, its sender, and the scheme it is signed under (from its wire
 * version). A frame embedded in another must be of the outer frame's scheme (`within`).
 */
function frameHeader(bytes: Uint8Array, within?: SchemeFormat): { type: number; sender: number; format: SchemeFormat } {
  if (bytes.length < 4) throw new DecodeError('frame shorter than its header');
  const format = formatOfVersion(bytes[0]);
  if (format === undefined) throw new DecodeError(`unknown wire version ${bytes[0]}`);
  if (within !== undefined && format !== within) throw new DecodeError(`a '${format.scheme}' frame where '${within.scheme}' frames are expected`);
  return { type: bytes[1], sender: bytes[2] | (bytes[3] << 8), format };
}

/** One vote frame (PREPARE, COMMIT, CHECKPOINT or COMPLAINT), of type `expected` when given; its scheme from its first byte. */
export function decodeVote(bytes: Uint8Array, expected?: VoteType): Vote {
  return readVote(bytes, expected);
}

function readVote(bytes: Uint8Array, expected?: VoteType, within?: SchemeFormat): Vote {
  const { type, sender, format } = frameHeader(bytes, within);
  if (type !== MessageType.Prepare && type !== MessageType.Commit && type !== MessageType.Checkpoint && type !== MessageType.Complaint) throw new DecodeError(`type ${type} is not a vote`);
  if (expected !== undefined && type !== expected) throw new DecodeError(`expected vote type ${expected}, got ${type}`);
  const { signed, signature, body } = splitSigned(bytes, format);
  const view = body.u32();
  const seq = body.u64();
  const digest = body.raw(32);
  body.end();
  return { kind: 'vote', type: type as VoteType, sender, view, seq, digest, signed, signature, bytes };
}

/** A list of at most `limits.votes` vote frames (a certificate) of scheme `format`. */
function readVotes(body: Reader, limits: FrameLimits, format: SchemeFormat, expected?: VoteType): Vote[] {
  return body.list(limits.votes, voteFrameBytes(format)).map((v) => readVote(v, expected, format));
}

function decodeViewChange(bytes: Uint8Array, limits: FrameLimits, format: SchemeFormat): ViewChange {
  const { sender } = frameHeader(bytes, format);
  const { signed, signature, body } = splitSigned(bytes, format);
  const newView = body.u32();
  const height = body.u64();
  const hash = body.raw(32);
  const cert = readVotes(body, limits, format);
  const prepared = readVotes(body, limits, format, MessageType.Prepare);
  const latest = readLatest(body.bytes(), format);
  const slots = limits.slots ?? MAX_PIPELINE;
  const blocks = body.list(2 * slots, BLOCK_HEADER_BYTES).map((b) => readBlock(b, limits.txs));
  const ahead: SlotReport[] = [];
  if (body.remaining > 0) {
    const count = body.u16();
    if (count === 0 || count > slots - 1) throw new DecodeError(`view change reporting ${count + 1} slots, not 2 to ${slots}`);
    if (count * 6 > body.remaining) throw new DecodeError(`${count} slot reports cannot fit in ${body.remaining} bytes`);
    for (let i = 0; i < count; i++) ahead.push({ prepared: readVotes(body, limits, format, MessageType.Prepare), latest: readLatest(body.bytes(), format) });
  }
  body.end();
  return { kind: 'viewchange', sender, newView, committed: { height, hash, cert }, prepared, latest, ahead, blocks, signed, signature, bytes };
}

function readLatest(bytes: Uint8Array, format: SchemeFormat): Vote | null {
  return bytes.length ? readVote(bytes, MessageType.Prepare, format) : null;
}

/** A list of at most `limits.votes` VIEW-CHANGE frames (one per validator). */
function readViewChanges(body: Reader, limits: FrameLimits, format: SchemeFormat): ViewChange[] {
  return body.list(limits.votes, minViewChangeBytes(format)).map((vc) => {
    if (frameHeader(vc, format).type !== MessageType.ViewChange) throw new DecodeError('expected a view-change message');
    return decodeViewChange(vc, limits, format);
  });
}

function decodeNewView(bytes: Uint8Array, limits: FrameLimits, format: SchemeFormat): NewView {
  const { sender } = frameHeader(bytes, format);
  const { signed, signature, body } = splitSigned(bytes, format);
  const view = body.u32();
  const viewChanges = readViewChanges(body, limits, format);
  body.end();
  return { kind: 'newview', sender, view, viewChanges, signed, signature, bytes };
}

function decodeTransfer(bytes: Uint8Array, sender: number, limits: FrameLimits, format: SchemeFormat): Transfer {
  const { signed, signature, body } = splitSigned(bytes, format);
  let checkpoint: CheckpointProof | null = null;
  if (body.u8() === 1) {
    const seq = body.u64();
    const blockHash = body.raw(32);
    const snapshot = body.bytes();
    const cert = readVotes(body, limits, format, MessageType.Checkpoint);
    const blockCert = readVotes(body, limits, format);
    checkpoint = { seq, blockHash, snapshot, cert, blockCert };
  }
  const count = body.u16();
  if (count > limits.transferBlocks) throw new DecodeError(`transfer of ${count} blocks exceeds ${limits.transferBlocks}`);
  // Each block is at least a length prefix, a header and an empty certificate.
  if (count * (4 + BLOCK_HEADER_BYTES + 2) > body.remaining) throw new DecodeError(`transfer of ${count} blocks cannot fit in ${body.remaining} bytes`);
  const blocks: CertifiedBlock[] = [];
  for (let i = 0; i < count; i++) {
    const block = readBlock(body.bytes(), limits.txs);
    blocks.push({ block, cert: readVotes(body, limits, format) });
  }
  const nv = body.bytes();
  body.end();
  const newView = nv.length ? (frameHeader(nv, format).type === MessageType.NewView ? decodeNewView(nv, limits, format) : null) : null;
  if (nv.length && !newView) throw new DecodeError('transfer carries a non-new-view message');
  return { kind: 'transfer', sender, checkpoint, blocks, newView, signed, signature };
}

/**
 * Parses one frame of any scheme (its first byte says which; every frame embedded in it must be
 * of the same); throws `DecodeError` on anything malformed. Signatures are not checked here.
 */
export function decodeMessage(bytes: Uint8Array): Message {
  return decodeFrame(bytes, OPEN_LIMITS);
}

/**
 * `decodeMessage` within `limits`: every list count is checked against its limit and against the
 * bytes left before anything is allocated for it, and a frame of another scheme than
 * `limits.format` is refused. Structure (who may send what, whether a certificate is one) is
 * checked after, by the replica (see precheck.ts).
 */
export function decodeFrame(bytes: Uint8Array, limits: FrameLimits): Message {
  const { type, sender, format } = frameHeader(bytes, limits.format);
  switch (type) {
    case MessageType.Prepare:
    case MessageType.Commit:
    case MessageType.Checkpoint:
    case MessageType.Complaint:
      return readVote(bytes, undefined, format);
    case MessageType.PrePrepare: {
      const r = new Reader(bytes);
      r.pos = 4;
      const vote = readVote(r.bytes(), MessageType.Prepare, format);
      const block = readBlock(r.bytes(), limits.txs);
      r.end();
      return { kind: 'preprepare', sender, vote, block };
    }
    case MessageType.ViewChange:
      return decodeViewChange(bytes, limits, format);
    case MessageType.NewView:
      return decodeNewView(bytes, limits, format);
    case MessageType.Fetch: {
      const { signed, signature, body } = splitSigned(bytes, format);
      const from = body.u64();
      const view = body.u32();
      body.end();
      return { kind: 'fetch', sender, from, view, signed, signature };
    }
    case MessageType.Transfer:
      return decodeTransfer(bytes, sender, limits, format);
    case MessageType.Forward: {
      const { signed, signature, body } = splitSigned(bytes, format);
      const txs = body.list(limits.txs);
      body.end();
      return { kind: 'forward', sender, txs, signed, signature };
    }
    case MessageType.Complaints: {
      const { signed, signature, body } = splitSigned(bytes, format);
      const view = body.u32();
      const complaints = readVotes(body, limits, format, MessageType.Complaint);
      const viewChanges = readViewChanges(body, limits, format);
      body.end();
      return { kind: 'complaints', sender, view, complaints, viewChanges, signed, signature };
    }
    default:
      throw new DecodeError(`unknown message type ${type}`);
  }
}

