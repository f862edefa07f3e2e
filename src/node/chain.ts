import { crc32 } from 'node:zlib';
import { bytesToHex } from '../bytes/index.js';
import { type Block, type CommittedBlock, decodeBlock, encodeBlock, type RecordOp, type Reply } from '../consensus/index.js';

// The node's archive, beside the replica's own records (which keep the log only back to the
// stable checkpoint): every block this node committed, with its certificate, for
// `GET /v1/blocks/:height`, commit proofs of old transactions and peers that sync; and an index
// from transaction id to (height, position, result). Written in the same atomic batch as the
// Ready's persist, so the archive and the consensus state never disagree after a crash.
//   chain/<height, 16 digits>   [crc32][view u32][via u8][block][cert frames]
//   tx/<hex id>                 [crc32][height u64][index u32][result]
//   gap/<height, 16 digits>     [crc32]: the archive resumes here after a jump (state sync adopted
//                               a certified checkpoint above its tip): the blocks below are not held

export const CHAIN = 'chain/';
export const TX = 'tx/';
export const GAP = 'gap/';
const VIA = ['fast', 'slow', 'transfer'] as const;

export function chainKey(height: number): string {
  return CHAIN + String(height).padStart(16, '0');
}

function gapKey(height: number): string {
  return GAP + String(height).padStart(16, '0');
}

export function txKey(id: Uint8Array): string {
  return TX + bytesToHex(id);
}

/** A transaction's place in the chain, as the index holds it. */
export interface TxLocation {
  height: number;
  index: number;
  result: Uint8Array;
}

class Out {
  private parts: Uint8Array[] = [];
  private size = 4;
  u32(v: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v, true);
    return this.raw(b);
  }
  u64(v: number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(v), true);
    return this.raw(b);
  }
  u8(v: number): this {
    return this.raw(Uint8Array.of(v));
  }
  bytes(b: Uint8Array): this {
    return this.u32(b.length).raw(b);
  }
  raw(b: Uint8Array): this {
    this.parts.push(b);
    this.size += b.length;
    return this;
  }
  /** The record with its CRC-32 (over the key and the body) in front. */
  seal(key: string): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 4;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    new DataView(out.buffer).setUint32(0, crc32(out.subarray(4), crc32(key)), true);
    return out;
  }
}

/** Reads a sealed record; every read past the end or a failed checksum throws `RecordError`. */
class In {
  private pos = 4;
  private readonly view: DataView;
  constructor(
    private readonly b: Uint8Array,
    key: string,
  ) {
    this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    if (b.length < 4 || this.view.getUint32(0, true) !== crc32(b.subarray(4), crc32(key))) throw new RecordError('checksum mismatch');
  }
  private take(n: number): number {
    if (this.pos + n > this.b.length) throw new RecordError('record ends early');
    const at = this.pos;
    this.pos += n;
    return at;
  }
  u8(): number {
    return this.b[this.take(1)];
  }
  u32(): number {
    return this.view.getUint32(this.take(4), true);
  }
  u64(): number {
    return Number(this.view.getBigUint64(this.take(8), true));
  }
  bytes(): Uint8Array {
    const n = this.u32();
    const at = this.take(n);
    return this.b.subarray(at, at + n);
  }
  end(): void {
    if (this.pos !== this.b.length) throw new RecordError('trailing bytes');
  }
}

/** An archive record that fails its checksum or does not decode. */
export class RecordError extends Error {
  override readonly name: string = 'RecordError';
}

/**
 * The archive operations for one Ready: its committed blocks and their transactions' index
 * entries (`ids[b]`: the ids of block b's transactions, hashed once by the caller), and a gap
 * marker when the first of them does not follow the archive's `tip`.
 */
export function archiveOps(committed: CommittedBlock[], ids: Uint8Array[][], replies: Reply[], tip: number): RecordOp[] {
  if (committed.length === 0) return [];
  const results = new Map<string, Uint8Array>();
  for (const r of replies) results.set(bytesToHex(r.txId), r.result);
  const ops: RecordOp[] = [];
  if (committed[0].height > tip + 1) {
    const key = gapKey(committed[0].height);
    ops.push({ type: 'put', key, value: new Out().seal(key) });
  }
  for (let b = 0; b < committed.length; b++) {
    const c = committed[b];
    const key = chainKey(c.height);
    const w = new Out().u32(c.view).u8(VIA.indexOf(c.via)).bytes(encodeBlock(c.block)).u32(c.cert.length);
    for (const frame of c.cert) w.bytes(frame);
    ops.push({ type: 'put', key, value: w.seal(key) });
    const blockIds = ids[b];
    for (let i = 0; i < blockIds.length; i++) {
      const tk = txKey(blockIds[i]);
      ops.push({ type: 'put', key: tk, value: new Out().u64(c.height).u32(i).bytes(results.get(bytesToHex(blockIds[i])) ?? new Uint8Array(0)).seal(tk) });
    }
  }
  return ops;
}

/** Decodes `chain/<height>`; throws `RecordError` on damage (including a record under the wrong key). */
export function decodeArchived(key: string, record: Uint8Array, hash: (block: Block) => Uint8Array): CommittedBlock {
  const r = new In(record, key);
  const view = r.u32();
  const via = VIA[r.u8()];
  let block: Block;
  try {
    block = decodeBlock(r.bytes());
  } catch (err) {
    throw new RecordError(`block does not decode: ${(err as Error).message}`);
  }
  const count = r.u32();
  const cert: Uint8Array[] = [];
  for (let i = 0; i < count; i++) cert.push(r.bytes().slice());
  r.end();
  if (via === undefined) throw new RecordError('unknown commit path');
  if (key !== chainKey(block.height)) throw new RecordError(`holds height ${block.height}`);
  return { height: block.height, hash: hash(block), view, block, cert, via };
}

export function decodeTxLocation(key: string, record: Uint8Array): TxLocation {
  const r = new In(record, key);
  const loc = { height: r.u64(), index: r.u32(), result: r.bytes().slice() };
  r.end();
  return loc;
}

/** The height a `chain/` or `gap/` key names. */
export function heightOf(key: string): number {
  return Number(key.slice(key.indexOf('/') + 1));
}

/** Checks a gap marker's checksum; throws `RecordError` when damaged. */
export function checkGap(key: string, record: Uint8Array): void {
  new In(record, key).end();
}
