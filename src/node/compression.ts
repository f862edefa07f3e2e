import { constants as bufferConstants } from 'node:buffer';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { requireBytes, requireInteger } from '../check/index.js';
import { SwarmguardError } from '../errors/index.js';

// Snapshot blobs: [codec byte][compressed bytes]. The codec byte lets a store written by one
// Node read on another: zstd where node:zlib has it (Node ≥ 22.15), else brotli. Every blob
// decompresses with a bound on its output, so a hostile or corrupt one cannot blow memory.

/** The leading byte of a compressed snapshot, naming its codec. */
const SNAPSHOT_CODEC = { brotli: 1, zstd: 2 } as const;

/** A blob that is not a compressed snapshot: empty, an unknown codec byte, or bytes the codec rejects. */
export class CorruptSnapshotError extends SwarmguardError {
  override readonly name: string = 'CorruptSnapshotError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_SNAPSHOT_CORRUPT', `decompressSnapshot: ${message}`, options);
  }
}

/** A snapshot that decompresses to more than the caller's bound (a decompression bomb, or a bound set too low). */
export class SnapshotTooLargeError extends SwarmguardError {
  override readonly name: string = 'SnapshotTooLargeError';
  constructor(maxBytes: number) {
    super('ERR_SNAPSHOT_TOO_LARGE', `decompressSnapshot: the snapshot decompresses to more than maxBytes (${maxBytes})`);
  }
}

/** A snapshot compressed with a codec this Node's zlib lacks (zstd before Node 22.15). */
export class SnapshotCodecUnavailableError extends SwarmguardError {
  override readonly name: string = 'SnapshotCodecUnavailableError';
  constructor(codec: string) {
    super('ERR_SNAPSHOT_CODEC_UNAVAILABLE', `decompressSnapshot: the snapshot is compressed with ${codec}, which this Node (${process.version}) lacks`);
  }
}

/** The largest buffer Node can make: the ceiling of `maxOutputLength`. */
const MAX_LENGTH = bufferConstants.MAX_LENGTH;

type Codec = (input: Uint8Array, options: zlib.ZlibOptions | zlib.BrotliOptions) => Promise<Buffer>;

/** zstd's functions on a Node that has them (its types are newer than @types/node 20). */
const zstd = zlib as unknown as { zstdCompress?: unknown; zstdDecompress?: unknown; constants: Record<string, number> };
const hasZstd = typeof zstd.zstdCompress === 'function' && typeof zstd.zstdDecompress === 'function';

const brotliCompress = promisify(zlib.brotliCompress) as Codec;
const brotliDecompress = promisify(zlib.brotliDecompress) as Codec;
const zstdCompress = hasZstd ? (promisify(zstd.zstdCompress as typeof zlib.brotliCompress) as Codec) : null;
const zstdDecompress = hasZstd ? (promisify(zstd.zstdDecompress as typeof zlib.brotliDecompress) as Codec) : null;

/**
 * Compresses a snapshot, off the event loop (zlib's thread pool): zstd level 3 with its frame
 * checksum where this Node has it, else brotli quality 4 (the fast end: snapshots are sent while
 * a node keeps committing). Not an integrity check (brotli has no checksum): a snapshot is
 * trusted by its certified hash, checked after decompressing.
 */
export async function compressSnapshot(bytes: Uint8Array): Promise<Uint8Array> {
  requireBytes(bytes, 'compressSnapshot', 'bytes');
  const body =
    zstdCompress !== null
      ? await zstdCompress(bytes, { params: { [zstd.constants.ZSTD_c_compressionLevel]: 3, [zstd.constants.ZSTD_c_checksumFlag]: 1 } })
      : await brotliCompress(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } });
  const out = new Uint8Array(1 + body.length);
  out[0] = zstdCompress !== null ? SNAPSHOT_CODEC.zstd : SNAPSHOT_CODEC.brotli;
  out.set(body, 1);
  return out;
}

/** Decompresses a blob `compressSnapshot` wrote (on any Node), refusing to produce more than `maxBytes`. */
export async function decompressSnapshot(bytes: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  requireBytes(bytes, 'decompressSnapshot', 'bytes');
  requireInteger(maxBytes, 'decompressSnapshot', 'maxBytes', 0, MAX_LENGTH);
  if (bytes.length === 0) throw new CorruptSnapshotError('the blob is empty (no codec byte)');
  let decompress: Codec | null;
  if (bytes[0] === SNAPSHOT_CODEC.brotli) decompress = brotliDecompress;
  else if (bytes[0] === SNAPSHOT_CODEC.zstd) decompress = zstdDecompress;
  else throw new CorruptSnapshotError(`unknown codec byte ${bytes[0]}`);
  if (decompress === null) throw new SnapshotCodecUnavailableError('zstd');
  try {
    const out = await decompress(bytes.subarray(1), { maxOutputLength: Math.max(1, maxBytes) });
    if (out.length > maxBytes) throw new SnapshotTooLargeError(maxBytes);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (err) {
    if (err instanceof SwarmguardError) throw err;
    if ((err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') throw new SnapshotTooLargeError(maxBytes);
    throw new CorruptSnapshotError(`the ${bytes[0] === SNAPSHOT_CODEC.zstd ? 'zstd' : 'brotli'} stream is damaged: ${(err as Error).message}`, { cause: err });
  }
}
