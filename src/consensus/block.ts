import { requireBytes } from '../check/index.js';
import { Reader, Writer } from './codec.js';
import type { HashFunction } from './crypto.js';
import { DecodeError } from './errors.js';

const BLOCK_VERSION = 1;

/** A block: hash-linked to its parent, committing to its transactions by their Merkle root. */
export interface Block {
  height: number;
  parent: Uint8Array;
  txRoot: Uint8Array;
  /** Signed transaction encodings (the Merkle leaves). */
  txs: Uint8Array[];
}

/** Stable text key of a sender's public key, for maps: one char per byte (cheaper than hex on the hot path). */
export function senderKey(sender: Uint8Array): string {
  return String.fromCharCode.apply(null, sender as unknown as number[]);
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
