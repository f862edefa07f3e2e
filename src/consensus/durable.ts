import { bytesToHex } from '../bytes/index.js';
import { requireObject } from '../check/index.js';
import { encodeBlock } from './block.js';
import { Reader, Writer } from './codec.js';
import { crc32 } from './crc32.js';
import { DecodeError } from './errors.js';
import { decodeMessage } from './messages.js';
import type { CheckpointRecord, EpochStart, HardState, LogEntry, PersistBatch } from './step.js';

// A replica's durable state as records under string keys (any `Storage` holds them):
//   hard/a, hard/b        the hard state, twice (view, own latest vote, prepared certificate,
//                         committed height with its certificate, a write counter)
//   newview/a, newview/b  the NEW-VIEW frame that started the current view, twice
//   viewchange            own VIEW-CHANGE for the view left without it installing (re-sent)
//   checkpoint            the stable checkpoint (snapshot and certificates)
//   entry/<height>        a committed block's log entry (digest, view, certificate, path)
//   block/<hex digest>    a block body, stored once however many records name it
//   voted/<hex digest>    a second copy of a body the hard state's votes name
//   start/a, start/b      the epoch start of a replica begun with `Replica.startEpoch`, twice
// Each record is [version][payload][CRC-32 of key ‖ version ‖ payload]: a flipped bit, a torn
// write or a record under the wrong key fails the check. What breaks a promise already made if
// lost (the votes, the view's NEW-VIEW, the voted bodies) and what no peer can prove (the
// epoch start: this set has no certificate for it) is kept twice; what peers can send
// again with certificates (log entries, their bodies, the checkpoint) once. See recovery.ts.

const RECORD_VERSION = 2;
export const HARD = ['hard/a', 'hard/b'] as const;
export const NEW_VIEW = ['newview/a', 'newview/b'] as const;
export const START = ['start/a', 'start/b'] as const;
export const CHECKPOINT = 'checkpoint';
export const VIEW_CHANGE = 'viewchange';
export const ENTRY = 'entry/';
export const BLOCK = 'block/';
export const VOTED = 'voted/';
const VIA = ['fast', 'slow', 'transfer'] as const;
const encoder = new TextEncoder();

/** A storage operation, in the shape `Storage.write` takes (consensus does not import storage/). */
export type RecordOp = { type: 'put'; key: string; value: Uint8Array } | { type: 'del'; key: string };

/** Zero-padded so that key order is height order. */
export function entryKey(height: number): string {
  return ENTRY + String(height).padStart(16, '0');
}

export function blockKey(digest: Uint8Array, prefix: typeof BLOCK | typeof VOTED = BLOCK): string {
  return prefix + bytesToHex(digest);
}

/**
 * The key of the other copy of a record kept twice (`hard/a` ↔ `hard/b`, `newview/a` ↔
 * `newview/b`, `start/a` ↔ `start/b`, `block/<digest>` ↔ `voted/<digest>`), or null: recovery survives damage to one
 * copy, not to both (a fault model the simulator's disk follows).
 */
export function otherCopy(key: string): string | null {
  const pair = [HARD, NEW_VIEW, START].find((p) => (p as readonly string[]).includes(key));
  if (pair) return key === pair[0] ? pair[1] : pair[0];
  if (key.startsWith(BLOCK)) return VOTED + key.slice(BLOCK.length);
  if (key.startsWith(VOTED)) return BLOCK + key.slice(VOTED.length);
  return null;
}

/**
 * The storage operations of one Ready's `persist`, to apply in one write. Their order is what
 * makes a torn write recoverable (one that lands only a prefix of them): records that leftovers
 * of recovery are deleted first; an epoch start lands before anything that builds on it; every body lands before the records that name it; the first
 * copy of each record kept twice (NEW-VIEW, then the hard state) lands before the second copy of
 * any, so of two copies at least one is whole and consistent with the records before it.
 */
export function persistOps(batch: PersistBatch): RecordOp[] {
  requireObject(batch, 'persistOps', 'batch');
  const ops: RecordOp[] = [];
  const put = (key: string, payload: Uint8Array) => ops.push({ type: 'put', key, value: seal(key, payload) });
  for (const key of batch.discard ?? []) ops.push({ type: 'del', key });
  if (batch.start) {
    const start = encodeStart(batch.start);
    put(START[0], start);
    put(START[1], start);
  }
  for (const { digest, block } of batch.blocks) put(blockKey(digest), encodeBlock(block));
  for (const e of batch.entries) put(entryKey(e.height), encodeEntry(e));
  const hard = batch.hardState ? encodeHard(batch.hardState) : null;
  if (batch.newView) put(NEW_VIEW[0], batch.newView);
  if (hard) put(HARD[0], hard);
  for (const { digest, block } of batch.votedBlocks ?? []) put(blockKey(digest, VOTED), encodeBlock(block));
  if (batch.newView) put(NEW_VIEW[1], batch.newView);
  if (hard) put(HARD[1], hard);
  if (batch.previousViewChange) put(VIEW_CHANGE, batch.previousViewChange);
  else if (batch.previousViewChange === null) ops.push({ type: 'del', key: VIEW_CHANGE });
  if (batch.checkpoint) put(CHECKPOINT, encodeCheckpoint(batch.checkpoint));
  for (const height of batch.dropEntries) ops.push({ type: 'del', key: entryKey(height) });
  for (const digest of batch.dropBlocks) ops.push({ type: 'del', key: blockKey(digest) });
  for (const digest of batch.dropVoted ?? []) ops.push({ type: 'del', key: blockKey(digest, VOTED) });
  return ops;
}

function seal(key: string, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(payload.length + 5);
  out[0] = RECORD_VERSION;
  out.set(payload, 1);
  const sum = crc32(out.subarray(0, payload.length + 1), crc32(encoder.encode(key)));
  new DataView(out.buffer).setUint32(payload.length + 1, sum, true);
  return out;
}

/** The payload of a sealed record, or null when its checksum or version is wrong (a damaged record). */
export function open(key: string, record: Uint8Array): Uint8Array | null {
  if (!(record instanceof Uint8Array) || record.length < 5) return null;
  const end = record.length - 4;
  const stored = new DataView(record.buffer, record.byteOffset, record.byteLength).getUint32(end, true);
  if (crc32(record.subarray(0, end), crc32(encoder.encode(key))) !== stored || record[0] !== RECORD_VERSION) return null;
  return record.subarray(1, end);
}

/** Decodes a record's payload, or null when it does not decode (damaged in a way the checksum missed). */
export function decoded<T>(decode: () => T): T | null {
  try {
    return decode();
  } catch (err) {
    if (err instanceof DecodeError) return null;
    throw err;
  }
}

/** Every vote frame a hard state holds: each slot's latest PREPARE and prepared certificate, first slot first. */
export function hardStateVotes(h: HardState): { latest: Uint8Array | null; prepared: Uint8Array[] }[] {
  return [{ latest: h.latest, prepared: h.prepared }, ...(h.ahead ?? [])];
}

function encodeHard(h: HardState): Uint8Array {
  const w = new Writer(96 + 128 * (h.prepared.length + h.committed.cert.length + 1))
    .u64(h.seq)
    .u32(h.view)
    .u8(h.inViewChange ? 1 : 0)
    .u64(h.committed.height)
    .bytes(h.committed.hash)
    .list(h.committed.cert)
    .bytes(h.latest ?? new Uint8Array(0))
    .list(h.prepared);
  // Only a pipelined replica's record has the slots after the first: a one-slot record ends here.
  const ahead = h.ahead ?? [];
  if (ahead.length > 0) {
    w.u16(ahead.length);
    for (const slot of ahead) w.bytes(slot.latest ?? new Uint8Array(0)).list(slot.prepared);
  }
  return w.finish();
}

export function decodeHard(payload: Uint8Array): HardState {
  const r = new Reader(payload);
  const seq = r.u64();
  const view = r.u32();
  const inViewChange = r.u8() === 1;
  const committed = { height: r.u64(), hash: r.bytes(), cert: r.list() };
  const latest = r.bytes();
  const prepared = r.list();
  const ahead: { latest: Uint8Array | null; prepared: Uint8Array[] }[] = [];
  if (r.remaining > 0) {
    const count = r.u16();
    for (let i = 0; i < count; i++) {
      const vote = r.bytes();
      ahead.push({ latest: vote.length ? vote : null, prepared: r.list() });
    }
  }
  r.end();
  return { seq, view, inViewChange, committed, latest: latest.length ? latest : null, prepared, ...(ahead.length ? { ahead } : {}) };
}

/** The view a stored VIEW-CHANGE frame (which must be one) asks for. */
export function viewChangeOf(payload: Uint8Array): number {
  const m = decodeMessage(payload);
  if (m.kind !== 'viewchange') throw new DecodeError('not a VIEW-CHANGE frame');
  return m.newView;
}

/** The view of a stored NEW-VIEW frame (which must be one). */
export function newViewOf(payload: Uint8Array): number {
  const m = decodeMessage(payload);
  if (m.kind !== 'newview') throw new DecodeError('not a NEW-VIEW frame');
  return m.view;
}

function encodeCheckpoint(c: CheckpointRecord): Uint8Array {
  return new Writer(256 + c.snapshot.length).u64(c.seq).bytes(c.blockHash).bytes(c.snapshot).list(c.cert).list(c.blockCert).finish();
}

export function decodeCheckpoint(payload: Uint8Array): CheckpointRecord {
  const r = new Reader(payload);
  const c = { seq: r.u64(), blockHash: r.bytes(), snapshot: r.bytes(), cert: r.list(), blockCert: r.list() };
  r.end();
  return c;
}

function encodeStart(s: EpochStart): Uint8Array {
  return new Writer(96 + s.snapshot.length).u64(s.height).bytes(s.blockHash).bytes(s.snapshot).finish();
}

export function decodeStart(payload: Uint8Array): EpochStart {
  const r = new Reader(payload);
  const s = { height: r.u64(), blockHash: r.bytes(), snapshot: r.bytes() };
  r.end();
  return s;
}

function encodeEntry(e: LogEntry): Uint8Array {
  return new Writer(64 + 128 * e.cert.length).u64(e.height).bytes(e.digest).u32(e.view).u8(VIA.indexOf(e.via)).list(e.cert).finish();
}

export function decodeEntry(key: string, payload: Uint8Array): LogEntry {
  const r = new Reader(payload);
  const height = r.u64();
  const digest = r.bytes();
  const view = r.u32();
  const via = VIA[r.u8()];
  const cert = r.list();
  r.end();
  if (via === undefined) throw new DecodeError('unknown commit path');
  if (key !== entryKey(height)) throw new DecodeError(`holds height ${height}`);
  return { height, digest, view, cert, via };
}
