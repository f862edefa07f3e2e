import { ArgumentRangeError, requireBytes, requireInteger, requireObject } from '../check/index.js';
import { Reader, Writer } from './codec.js';
import type { HashFunction } from './crypto.js';
import { DecodeError } from './errors.js';

const BLOCK_VERSION = 1;
const MAX_CLIENT_ID = 64;

/** A client's request: executed at most once per (clientId, seq). */
export interface ClientRequest {
  /** Up to 64 bytes naming the client. */
  clientId: Uint8Array;
  /** Strictly increasing per client; a request with seq ≤ the last executed one is ignored. */
  seq: number;
  payload: Uint8Array;
}

/** A block: hash-linked to its parent, committing to its transactions by their Merkle root. */
export interface Block {
  height: number;
  parent: Uint8Array;
  txRoot: Uint8Array;
  /** Encoded client requests (the Merkle leaves). */
  txs: Uint8Array[];
}

export function encodeRequest(request: ClientRequest): Uint8Array {
  requireObject(request, 'encodeRequest', 'request');
  const id = requireBytes(request.clientId, 'encodeRequest', 'request.clientId');
  if (id.length > MAX_CLIENT_ID) throw new ArgumentRangeError('encodeRequest', 'request.clientId', `must be at most ${MAX_CLIENT_ID} bytes, got ${id.length}`);
  requireInteger(request.seq, 'encodeRequest', 'request.seq', 0);
  requireBytes(request.payload, 'encodeRequest', 'request.payload');
  const w = new Writer(16 + request.clientId.length + request.payload.length);
  w.u8(request.clientId.length).raw(request.clientId).u64(request.seq).bytes(request.payload);
  return w.finish();
}

/** Parses an encoded request without a Reader: it runs for every transaction several times per block. */
export function decodeRequest(bytes: Uint8Array): ClientRequest {
  const idLength = bytes.length > 0 ? bytes[0] : -1;
  if (idLength < 0 || idLength > MAX_CLIENT_ID) throw new DecodeError('request: bad clientId length');
  const at = 1 + idLength;
  if (bytes.length < at + 12) throw new DecodeError('request: truncated');
  const lo = (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
  const hi = (bytes[at + 4] | (bytes[at + 5] << 8) | (bytes[at + 6] << 16) | (bytes[at + 7] << 24)) >>> 0;
  if (hi >= 2 ** 21) throw new DecodeError('request: seq above 2^53');
  const length = (bytes[at + 8] | (bytes[at + 9] << 8) | (bytes[at + 10] << 16) | (bytes[at + 11] << 24)) >>> 0;
  if (at + 12 + length !== bytes.length) throw new DecodeError('request: payload length does not match');
  return { clientId: bytes.subarray(1, at), seq: hi * 2 ** 32 + lo, payload: bytes.subarray(at + 12) };
}

/** Stable text key of a request's client, for maps: one char per byte (cheaper than hex on the hot path). */
export function clientKey(clientId: Uint8Array): string {
  return String.fromCharCode.apply(null, clientId as unknown as number[]);
}

/** The 77-byte header whose hash is the block's identity. */
function encodeHeader(block: Block): Uint8Array {
  return new Writer(80).u8(BLOCK_VERSION).u64(block.height).raw(block.parent).raw(block.txRoot).u32(block.txs.length).finish();
}

export function blockHash(block: Block, hash: HashFunction): Uint8Array {
  return hash(encodeHeader(block));
}

export function encodeBlock(block: Block): Uint8Array {
  let size = 80;
  for (const tx of block.txs) size += tx.length + 4;
  const w = new Writer(size);
  w.raw(encodeHeader(block));
  for (const tx of block.txs) w.bytes(tx);
  return w.finish();
}

export function decodeBlock(bytes: Uint8Array): Block {
  const r = new Reader(requireBytes(bytes, 'decodeBlock', 'bytes'));
  if (r.u8() !== BLOCK_VERSION) throw new DecodeError('unknown block version');
  const height = r.u64();
  const parent = r.raw(32);
  const txRoot = r.raw(32);
  const count = r.u32();
  if (count > r.remaining / 4) throw new DecodeError('transaction count exceeds block size');
  const txs: Uint8Array[] = [];
  for (let i = 0; i < count; i++) txs.push(r.bytes());
  r.end();
  return { height, parent, txRoot, txs };
}
