import { bytesToHex } from '../bytes/index.js';
import { requireObject } from '../check/index.js';
import { type Block, decodeBlock, encodeBlock } from './block.js';
import { Reader, Writer } from './codec.js';
import { crc32 } from './crc32.js';
import { CorruptStateError, DecodeError } from './errors.js';
import { decodeMessage, decodeVote, MessageType } from './messages.js';
import type { CheckpointRecord, CommittedBlock, DurableState, HardState, LogEntry, PersistBatch } from './step.js';

// A replica's durable state as records under string keys (any `Storage` holds them):
//   hard                  the hard state (view, own latest vote, prepared certificate)
//   newview               the NEW-VIEW frame that started the current view
//   checkpoint            the stable checkpoint (snapshot and certificates)
//   entry/<height>        a committed block's log entry (digest, view, certificate, path)
//   block/<hex digest>    a block body, stored once however many records name it
// Each record is [version][payload][CRC-32 of key ‖ version ‖ payload]: a flipped bit, a torn
// write or a record under the wrong key fails the check.

const RECORD_VERSION = 1;
const HARD = 'hard';
const NEW_VIEW = 'newview';
const CHECKPOINT = 'checkpoint';
const ENTRY = 'entry/';
const BLOCK = 'block/';
const VIA = ['fast', 'slow', 'transfer'] as const;
const encoder = new TextEncoder();

/** A storage operation, in the shape `Storage.write` takes (consensus does not import storage/). */
export type RecordOp = { type: 'put'; key: string; value: Uint8Array } | { type: 'del'; key: string };

/** Zero-padded so that key order is height order. */
function entryKey(height: number): string {
  return ENTRY + String(height).padStart(16, '0');
}

function blockKey(digest: Uint8Array): string {
  return BLOCK + bytesToHex(digest);
}

/** The storage operations of one Ready's `persist`, to apply in one atomic write. */
export function persistOps(batch: PersistBatch): RecordOp[] {
  requireObject(batch, 'persistOps', 'batch');
  const ops: RecordOp[] = [];
  const put = (key: string, payload: Uint8Array) => ops.push({ type: 'put', key, value: seal(key, payload) });
  for (const { digest, block } of batch.blocks) put(blockKey(digest), encodeBlock(block));
  for (const e of batch.entries) put(entryKey(e.height), encodeEntry(e));
  if (batch.hardState) put(HARD, encodeHard(batch.hardState));
  if (batch.newView) put(NEW_VIEW, batch.newView);
  if (batch.checkpoint) put(CHECKPOINT, encodeCheckpoint(batch.checkpoint));
  for (const height of batch.dropEntries) ops.push({ type: 'del', key: entryKey(height) });
  for (const digest of batch.dropBlocks) ops.push({ type: 'del', key: blockKey(digest) });
  return ops;
}

/**
 * Rebuilds `DurableState` from every stored record (any order). Throws `CorruptStateError`
 * naming the key when a record fails its checksum or does not decode, when a record names a body
 * or entry that is missing, or when the log has a gap: a replica never starts from corrupt
 * state silently.
 */
export function decodeDurable(records: Iterable<readonly [string, Uint8Array]>): DurableState {
  const found: Omit<DurableState, 'blocks' | 'votedBlocks'> = { hardState: null, newView: null, checkpoint: null };
  const entries: LogEntry[] = [];
  const bodies = new Map<string, Block>();
  for (const [key, value] of records) {
    const payload = open(key, value);
    decoding(key, () => {
      if (key === HARD) found.hardState = decodeHard(payload);
      else if (key === NEW_VIEW) found.newView = decodeNewViewFrame(payload);
      else if (key === CHECKPOINT) found.checkpoint = decodeCheckpoint(payload);
      else if (key.startsWith(ENTRY)) entries.push(decodeEntry(key, payload));
      else if (key.startsWith(BLOCK)) bodies.set(key, decodeBlock(payload));
      else throw new DecodeError('not a replica record');
    });
  }
  const base = found.checkpoint?.seq ?? 0;
  const blocks: CommittedBlock[] = [];
  entries.sort((a, b) => a.height - b.height);
  for (const e of entries) {
    const key = entryKey(e.height);
    if (e.height <= base) throw new CorruptStateError(key, `at or below the stable checkpoint ${base}`);
    if (e.height !== base + blocks.length + 1) throw new CorruptStateError(entryKey(base + blocks.length + 1), `missing below ${key}`);
    blocks.push({ height: e.height, hash: e.digest, view: e.view, block: body(bodies, e.digest, key), cert: e.cert, via: e.via });
  }
  const votedBlocks: Block[] = [];
  const hard = found.hardState;
  if (hard) {
    const votes = hard.latest ? [hard.latest, ...hard.prepared.slice(0, 1)] : hard.prepared.slice(0, 1);
    for (const vote of votes) {
      const block = body(bodies, decoding(HARD, () => decodeVote(vote, MessageType.Prepare)).digest, HARD);
      if (!votedBlocks.includes(block)) votedBlocks.push(block);
    }
  }
  return { ...found, blocks, votedBlocks };
}

/** `decodeDurable` over a store's entries (e.g. `loadDurable(storage)` at startup). */
export async function loadDurable(store: { entries(): AsyncIterable<[string, Uint8Array]> }): Promise<DurableState> {
  const records: [string, Uint8Array][] = [];
  for await (const record of requireObject<typeof store>(store, 'loadDurable', 'store').entries()) records.push(record);
  return decodeDurable(records);
}

function body(bodies: Map<string, Block>, digest: Uint8Array, namedBy: string): Block {
  const key = blockKey(digest);
  const block = bodies.get(key);
  if (!block) throw new CorruptStateError(key, `missing, named by ${namedBy}`);
  return block;
}

function seal(key: string, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(payload.length + 5);
  out[0] = RECORD_VERSION;
  out.set(payload, 1);
  const sum = crc32(out.subarray(0, payload.length + 1), crc32(encoder.encode(key)));
  new DataView(out.buffer).setUint32(payload.length + 1, sum, true);
  return out;
}

/** The payload of a sealed record, after checking its version and checksum. */
function open(key: string, record: Uint8Array): Uint8Array {
  if (!(record instanceof Uint8Array) || record.length < 5) throw new CorruptStateError(key, 'shorter than a record');
  const end = record.length - 4;
  const stored = new DataView(record.buffer, record.byteOffset, record.byteLength).getUint32(end, true);
  if (crc32(record.subarray(0, end), crc32(encoder.encode(key))) !== stored) throw new CorruptStateError(key, 'checksum mismatch');
  if (record[0] !== RECORD_VERSION) throw new CorruptStateError(key, `unknown record version ${record[0]}`);
  return record.subarray(1, end);
}

/** Runs a decoder, turning its `DecodeError` into `CorruptStateError` for `key`. */
function decoding<T>(key: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof DecodeError) throw new CorruptStateError(key, `does not decode (${err.message})`, { cause: err });
    throw err;
  }
}

function encodeHard(h: HardState): Uint8Array {
  return new Writer(64 + 128 * (h.prepared.length + 1))
    .u32(h.view)
    .u8(h.inViewChange ? 1 : 0)
    .bytes(h.latest ?? new Uint8Array(0))
    .list(h.prepared)
    .finish();
}

function decodeHard(payload: Uint8Array): HardState {
  const r = new Reader(payload);
  const view = r.u32();
  const inViewChange = r.u8() === 1;
  const latest = r.bytes();
  const prepared = r.list();
  r.end();
  return { view, inViewChange, latest: latest.length ? latest : null, prepared };
}

function decodeNewViewFrame(payload: Uint8Array): Uint8Array {
  if (decodeMessage(payload).kind !== 'newview') throw new DecodeError('not a NEW-VIEW frame');
  return payload;
}

function encodeCheckpoint(c: CheckpointRecord): Uint8Array {
  return new Writer(256 + c.snapshot.length).u64(c.seq).bytes(c.blockHash).bytes(c.snapshot).list(c.cert).list(c.blockCert).finish();
}

function decodeCheckpoint(payload: Uint8Array): CheckpointRecord {
  const r = new Reader(payload);
  const c = { seq: r.u64(), blockHash: r.bytes(), snapshot: r.bytes(), cert: r.list(), blockCert: r.list() };
  r.end();
  return c;
}

function encodeEntry(e: LogEntry): Uint8Array {
  return new Writer(64 + 128 * e.cert.length).u64(e.height).bytes(e.digest).u32(e.view).u8(VIA.indexOf(e.via)).list(e.cert).finish();
}

function decodeEntry(key: string, payload: Uint8Array): LogEntry {
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
