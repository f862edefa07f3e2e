import { requireArray, requireByteLength, requireBytes, requireInteger, requireObject } from '../check/index.js';
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

/** A block without its transactions: what its hash commits to. */
export interface BlockHeader {
  height: number;
  parent: Uint8Array;
  txRoot: Uint8Array;
  txCount: number;
}

/** Length of an encoded header: version, height, parent, txRoot, tx count. */
export const BLOCK_HEADER_BYTES = 77;

/** The 77-byte header whose hash is the block's identity (unchecked: the replica's own blocks). */
function headerBytes(block: Block): Uint8Array {
  return new Writer(80).u8(BLOCK_VERSION).u64(block.height).raw(block.parent).raw(block.txRoot).u32(block.txs.length).finish();
}

/** The 77-byte header whose hash is the block's identity: what a commit proof carries. */
export function encodeBlockHeader(block: Block): Uint8Array {
  return headerBytes(requireBlock(block, 'encodeBlockHeader', 'block'));
}

/** A block whose header fields are checked for `where` (the transactions only as an array). */
export function requireBlock(value: unknown, where: string, argument: string): Block {
  const block = requireObject<Block>(value, where, argument);
  requireInteger(block.height, where, `${argument}.height`, 0);
  requireByteLength(block.parent, where, `${argument}.parent`, 32);
  requireByteLength(block.txRoot, where, `${argument}.txRoot`, 32);
  requireArray(block.txs, where, `${argument}.txs`);
  return block;
}

/** Reads a header from `r`; throws `DecodeError` on an unknown version or too few bytes. */
function readHeader(r: Reader): BlockHeader {
  if (r.u8() !== BLOCK_VERSION) throw new DecodeError('unknown block version');
  return { height: r.u64(), parent: r.raw(32), txRoot: r.raw(32), txCount: r.u32() };
}

/** The header `encodeBlockHeader` wrote (exactly 77 bytes); throws `DecodeError` otherwise. */
export function decodeBlockHeader(bytes: Uint8Array): BlockHeader {
  const r = new Reader(requireBytes(bytes, 'decodeBlockHeader', 'bytes'));
  const header = readHeader(r);
  r.end();
  return header;
}

const GENESIS_PARENT = new TextEncoder().encode('swarmguard/pbft/genesis');

/** The parent hash of block 1 under `hash`: where every chain starts (a light client links its first header to it). */
export function genesisParent(hash: HashFunction): Uint8Array {
  return hash(GENESIS_PARENT);
}

export function blockHash(block: Block, hash: HashFunction): Uint8Array {
  return hash(headerBytes(block));
}

export function encodeBlock(block: Block): Uint8Array {
  let size = 80;
  for (const tx of block.txs) size += tx.length + 4;
  const w = new Writer(size);
  w.raw(headerBytes(block));
  for (const tx of block.txs) w.bytes(tx);
  return w.finish();
}

export function decodeBlock(bytes: Uint8Array): Block {
  return readBlock(requireBytes(bytes, 'decodeBlock', 'bytes'), 2 ** 32 - 1);
}

/**
 * A block inside a peer's frame (unchecked bytes): at most `maxTxs` transactions (the batch
 * size), a count refused from the header before any transaction is read.
 */
export function readBlock(bytes: Uint8Array, maxTxs: number): Block {
  const r = new Reader(bytes);
  const { height, parent, txRoot, txCount: count } = readHeader(r);
  if (count > maxTxs) throw new DecodeError(`block of ${count} transactions exceeds ${maxTxs}`);
  if (count > r.remaining / 4) throw new DecodeError('transaction count exceeds block size');
  const txs: Uint8Array[] = [];
  for (let i = 0; i < count; i++) txs.push(r.bytes());
  r.end();
  return { height, parent, txRoot, txs };
}
