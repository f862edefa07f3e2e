import { bytesToHex } from '../bytes/index.js';
import { ArgumentTypeError, describe, requireArray, requireBytes, requireObject, requireString } from '../check/index.js';
import { type Block, decodeBlock } from './block.js';
import {
  BLOCK,
  blockKey,
  CHECKPOINT,
  decodeCheckpoint,
  decodeEntry,
  decoded,
  decodeHard,
  decodeStart,
  ENTRY,
  entryKey,
  HARD,
  hardStateVotes,
  NEW_VIEW,
  newViewOf,
  open,
  START,
  VIEW_CHANGE,
  viewChangeOf,
  VOTED,
} from './durable.js';
import { CorruptStateError } from './errors.js';
import { decodeVote, MessageType } from './messages.js';
import type { CheckpointRecord, CommittedBlock, DurableState, EpochStart, HardState, LogEntry } from './step.js';

/** A record as read: its value, or 'bad' when it failed its checksum or did not decode. */
type Read<T> = T | 'bad';

interface StoredNewView {
  frame: Uint8Array;
  view: number;
}

/** Every record of a store, sorted by kind. */
interface Records {
  hard: (Read<HardState> | undefined)[];
  newView: (Read<StoredNewView> | undefined)[];
  /** Own VIEW-CHANGE for a view left without installing (`view` is the view it asks for). */
  viewChange: Read<StoredNewView> | undefined;
  checkpoint: Read<CheckpointRecord> | undefined;
  start: (Read<EpochStart> | undefined)[];
  entries: Map<number, Read<LogEntry>>;
  /** Bodies by hex digest: `block/` (every body) and `voted/` (second copies of voted ones). */
  bodies: Map<string, Read<Block>>;
  voted: Map<string, Read<Block>>;
}

/**
 * Rebuilds `DurableState` from every stored record (any order), recovering from what crashes,
 * torn writes and flipped bits leave (docs/consensus.md, "Recovery"):
 *
 * - hard state, NEW-VIEW, voted bodies (kept twice): the newer whole copy. A torn write never
 *   had its messages sent, so an older copy is as safe as the one it replaced;
 * - the log: cut before the first entry that is damaged or missing or whose body is damaged; its
 *   blocks come back from peers with their certificates, and the hard state's committed height
 *   keeps the replica from voting again where it may have voted (the floor, see `Replica`);
 * - a damaged checkpoint: start from genesis (or the epoch start), and peers send a checkpoint again;
 * - the epoch start of a replica begun with `Replica.startEpoch` (kept twice): a whole copy;
 * - own VIEW-CHANGE for a view left without installing: kept while the hard state is still in
 *   the view change after it (else left over); a damaged one is dropped (it serves liveness only);
 * - leftovers (entries at or below the checkpoint or past the cut, bodies nothing names, damaged
 *   single records) are listed in `discarded`, for the replica's first write to delete.
 *
 * Throws `CorruptStateError` (with the key) only where a promise could not be kept: both copies
 * of the hard state or of the epoch start damaged, the current view's NEW-VIEW or a voted body damaged or missing in
 * both copies, or a record that is not a replica's.
 */
export function decodeDurable(records: Iterable<readonly [string, Uint8Array]>): DurableState {
  const read = readRecords(records);
  const discarded: string[] = [];
  const hardState = chooseHard(read.hard);
  const start = chooseStart(read.start);
  const newView = chooseNewView(read.newView, hardState);
  const left = wholeOf(read.viewChange);
  const previousViewChange = left && hardState?.inViewChange && left.view < hardState.view ? left.frame : null;
  if (read.viewChange !== undefined && previousViewChange === null) discarded.push(VIEW_CHANGE);
  let checkpoint: CheckpointRecord | null = null;
  // A checkpoint at or below the epoch start cannot be this set's: left over.
  if (read.checkpoint === 'bad' || (read.checkpoint && read.checkpoint.seq <= (start?.height ?? 0))) discarded.push(CHECKPOINT);
  else if (read.checkpoint) checkpoint = read.checkpoint;
  const base = Math.max(checkpoint?.seq ?? 0, start?.height ?? 0);
  const named = new Set<string>();
  const blocks: CommittedBlock[] = [];
  for (let height = base + 1; ; height++) {
    const e = wholeOf(read.entries.get(height));
    const block = e && wholeOf(read.bodies.get(bytesToHex(e.digest)));
    if (!e || !block) break;
    named.add(bytesToHex(e.digest));
    blocks.push({ height, hash: e.digest, view: e.view, block, cert: e.cert, via: e.via });
  }
  const top = base + blocks.length;
  for (const height of read.entries.keys()) if (height <= base || height > top) discarded.push(entryKey(height));
  const votedBlocks: Block[] = [];
  for (const vote of hardState ? hardStateVotes(hardState).flatMap((slot) => [slot.latest, slot.prepared[0]]) : []) {
    if (!vote) continue;
    const digest = decodeVote(vote).digest;
    const hex = bytesToHex(digest);
    const block = wholeOf(read.bodies.get(hex)) ?? wholeOf(read.voted.get(hex));
    if (!block) throw new CorruptStateError(blockKey(digest), 'damaged or missing in both copies, named by the hard state');
    named.add(hex);
    if (!votedBlocks.includes(block)) votedBlocks.push(block);
  }
  for (const [map, prefix] of [
    [read.bodies, BLOCK],
    [read.voted, VOTED],
  ] as const) {
    for (const hex of map.keys()) if (!named.has(hex)) discarded.push(prefix + hex);
  }
  return { hardState, newView: newView?.frame ?? null, previousViewChange, checkpoint, start, blocks, votedBlocks, discarded };
}

/** `decodeDurable` over a store's entries (e.g. `loadDurable(storage)` at startup). */
export async function loadDurable(store: { entries(): AsyncIterable<[string, Uint8Array]> }): Promise<DurableState> {
  const records: [string, Uint8Array][] = [];
  for await (const record of requireObject<typeof store>(store, 'loadDurable', 'store').entries()) records.push(record);
  return decodeDurable(records);
}

function readRecords(records: Iterable<readonly [string, Uint8Array]>): Records {
  const out: Records = { hard: [undefined, undefined], newView: [undefined, undefined], viewChange: undefined, checkpoint: undefined, start: [undefined, undefined], entries: new Map(), bodies: new Map(), voted: new Map() };
  if (records === null || typeof (records as Partial<Iterable<unknown>>)?.[Symbol.iterator] !== 'function') {
    throw new ArgumentTypeError('decodeDurable', 'records', `must be an iterable of [key, value] pairs, got ${describe(records)}`);
  }
  let i = 0;
  for (const record of records) {
    const pair = requireArray(record, 'decodeDurable', `records[${i}]`);
    const key = requireString(pair[0], 'decodeDurable', `records[${i}][0]`);
    const payload = open(key, requireBytes(pair[1], 'decodeDurable', `records[${i++}][1]`));
    const read = <T>(decode: (p: Uint8Array) => T): Read<T> => (payload === null ? 'bad' : (decoded(() => decode(payload)) ?? 'bad'));
    const rest = key.slice(key.indexOf('/') + 1);
    if (key === HARD[0] || key === HARD[1]) out.hard[HARD.indexOf(key)] = read(decodeHardChecked);
    else if (key === NEW_VIEW[0] || key === NEW_VIEW[1]) out.newView[NEW_VIEW.indexOf(key)] = read((frame) => ({ frame, view: newViewOf(frame) }));
    else if (key === VIEW_CHANGE) out.viewChange = read((frame) => ({ frame, view: viewChangeOf(frame) }));
    else if (key === CHECKPOINT) out.checkpoint = read(decodeCheckpoint);
    else if (key === START[0] || key === START[1]) out.start[START.indexOf(key)] = read(decodeStart);
    else if (key.startsWith(ENTRY) && /^\d{16}$/.test(rest)) out.entries.set(Number(rest), read((p) => decodeEntry(key, p)));
    else if (key.startsWith(BLOCK) && isHex(rest)) out.bodies.set(rest, read(decodeBlock));
    else if (key.startsWith(VOTED) && isHex(rest)) out.voted.set(rest, read(decodeBlock));
    else throw new CorruptStateError(key, 'not a replica record');
  }
  return out;
}

/** A hard-state record whose vote frames decode too. */
function decodeHardChecked(payload: Uint8Array): HardState {
  const h = decodeHard(payload);
  for (const slot of hardStateVotes(h)) for (const vote of [slot.latest, ...slot.prepared]) if (vote) decodeVote(vote, MessageType.Prepare);
  return h;
}

/** The newer whole copy; none when neither was written, or when the very first write was torn (it sent nothing). */
function chooseHard(copies: (Read<HardState> | undefined)[]): HardState | null {
  const [a, b] = copies.map(wholeOf);
  if (a && b) return b.seq > a.seq ? b : a;
  if (a || b) return (a ?? b) as HardState;
  if (copies[0] === 'bad' && copies[1] === 'bad') throw new CorruptStateError(HARD[0], 'both copies of the hard state are damaged');
  return null;
}

/**
 * The newest whole copy from a view the hard state has reached (a newer one belongs to a torn
 * write). Outside a view change the current view's NEW-VIEW is required: without it the replica
 * could vote against the view's decision.
 */
function chooseNewView(copies: (Read<StoredNewView> | undefined)[], hard: HardState | null): StoredNewView | null {
  if (!hard) return null;
  let chosen: StoredNewView | null = null;
  for (const copy of copies.map(wholeOf)) if (copy && copy.view <= hard.view && (!chosen || copy.view > chosen.view)) chosen = copy;
  if (!hard.inViewChange && hard.view > 0 && chosen?.view !== hard.view) {
    throw new CorruptStateError(NEW_VIEW[0], `the NEW-VIEW of view ${hard.view} is damaged or missing in both copies`);
  }
  return chosen;
}

/** A whole copy of the epoch start (both are written alike, once); none when neither landed or the first write was torn (it sent nothing). */
function chooseStart(copies: (Read<EpochStart> | undefined)[]): EpochStart | null {
  const whole = copies.map(wholeOf).find((c) => c !== undefined);
  if (whole) return whole;
  if (copies[0] === 'bad' && copies[1] === 'bad') throw new CorruptStateError(START[0], 'both copies of the epoch start are damaged');
  return null;
}

function wholeOf<T>(read: Read<T> | undefined): T | undefined {
  return read === 'bad' ? undefined : read;
}

function isHex(s: string): boolean {
  return s.length > 0 && s.length % 2 === 0 && /^[0-9a-f]+$/.test(s);
}
