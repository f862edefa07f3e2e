import { constants as bufferConstants } from 'node:buffer';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CorruptSnapshotError, compressSnapshot, decompressSnapshot, SnapshotCodecUnavailableError, SnapshotTooLargeError } from '../../src/node/index.js';
import { expectRejection } from '../_support/refusals.js';
import { Rng, testSeed } from '../_support/seed.js';

const hasZstd = typeof (zlib as unknown as { zstdCompressSync?: unknown }).zstdCompressSync === 'function';
const BROTLI = 1;
const ZSTD = 2;

/** A snapshot-like blob: key-value records, repetitive enough to compress. */
function snapshot(rng: Rng, records: number): Uint8Array {
  const parts: string[] = [];
  for (let i = 0; i < records; i++) parts.push(`account/${String(rng.int(10_000)).padStart(5, '0')}=${rng.int(1_000_000)};`);
  return new TextEncoder().encode(parts.join(''));
}

async function refusal(call: Promise<unknown>): Promise<Error> {
  return call.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: Error) => e,
  );
}

describe('snapshot compression', () => {
  it(`round-trips, led by the codec byte of ${hasZstd ? 'zstd' : 'brotli'} (this Node), and shrinks a snapshot`, async () => {
    const rng = new Rng(testSeed('compressSnapshot round trip'));
    for (const bytes of [new Uint8Array(0), new Uint8Array([7]), rng.bytes(5_000), snapshot(rng, 20_000)]) {
      const blob = await compressSnapshot(bytes);
      expect(blob[0]).toBe(hasZstd ? ZSTD : BROTLI);
      const back = await decompressSnapshot(blob, bytes.length);
      expect(Object.getPrototypeOf(back)).toBe(Uint8Array.prototype);
      expect(back.length === bytes.length && back.every((b, i) => b === bytes[i])).toBe(true);
    }
    const big = snapshot(rng, 20_000);
    expect((await compressSnapshot(big)).length).toBeLessThan(big.length / 2);
  });

  it('reads a brotli blob on any Node, and a zstd blob where zlib has zstd', async () => {
    const bytes = new TextEncoder().encode('hard state '.repeat(100));
    const brotli = Uint8Array.of(BROTLI, ...zlib.brotliCompressSync(bytes));
    expect(await decompressSnapshot(brotli, bytes.length)).toEqual(bytes);
    // A zstd frame of 'abc' (RFC 8878: magic, header, one raw block), as a newer Node writes one.
    const zstdAbc = Uint8Array.of(ZSTD, 0x28, 0xb5, 0x2f, 0xfd, 0x20, 0x03, 0x19, 0x00, 0x00, 0x61, 0x62, 0x63);
    if (hasZstd) {
      expect(new TextDecoder().decode(await decompressSnapshot(zstdAbc, 3))).toBe('abc');
    } else {
      const err = await refusal(decompressSnapshot(zstdAbc, 3));
      expect(err).toBeInstanceOf(SnapshotCodecUnavailableError);
      expect((err as SnapshotCodecUnavailableError).code).toBe('ERR_SNAPSHOT_CODEC_UNAVAILABLE');
      expect(err.message).toBe(`decompressSnapshot: the snapshot is compressed with zstd, which this Node (${process.version}) lacks`);
    }
  });

  it('refuses to decompress past maxBytes: a bomb stops at the bound', async () => {
    const bomb = await compressSnapshot(new Uint8Array(16 << 20));
    expect(bomb.length).toBeLessThan(16 << 10);
    for (const maxBytes of [0, 1 << 20, (16 << 20) - 1]) {
      const err = await refusal(decompressSnapshot(bomb, maxBytes));
      expect(err).toBeInstanceOf(SnapshotTooLargeError);
      expect((err as SnapshotTooLargeError).code).toBe('ERR_SNAPSHOT_TOO_LARGE');
      expect(err.message).toBe(`decompressSnapshot: the snapshot decompresses to more than maxBytes (${maxBytes})`);
    }
    expect((await decompressSnapshot(bomb, 16 << 20)).length).toBe(16 << 20);
  });

  it('refuses a bad blob with CorruptSnapshotError: empty, unknown codec, damaged or truncated stream', async () => {
    const good = await compressSnapshot(new TextEncoder().encode('checkpoint '.repeat(500)));
    const damaged = good.slice();
    damaged[Math.floor(damaged.length / 2)] ^= 0xff;
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(0), /^decompressSnapshot: the blob is empty \(no codec byte\)$/],
      [Uint8Array.of(9, 1, 2, 3), /^decompressSnapshot: unknown codec byte 9$/],
      [Uint8Array.of(0), /^decompressSnapshot: unknown codec byte 0$/],
      [damaged, /^decompressSnapshot: the (brotli|zstd) stream is damaged: /],
      [good.subarray(0, good.length - 3), /^decompressSnapshot: the (brotli|zstd) stream is damaged: /],
      [Uint8Array.of(BROTLI, 0xff, 0xff, 0xff, 0xff), /^decompressSnapshot: the brotli stream is damaged: /],
    ];
    for (const [blob, message] of cases) {
      const err = await refusal(decompressSnapshot(blob, 1 << 20));
      expect(err, String(message)).toBeInstanceOf(CorruptSnapshotError);
      expect((err as CorruptSnapshotError).code).toBe('ERR_SNAPSHOT_CORRUPT');
      expect(err.message).toMatch(message);
    }
  });

  it('refuses bad arguments naming the function and the argument', async () => {
    await expectRejection(() => compressSnapshot('abc' as never), 'type', 'compressSnapshot', 'bytes');
    await expectRejection(() => decompressSnapshot([1] as never, 10), 'type', 'decompressSnapshot', 'bytes');
    await expectRejection(() => decompressSnapshot(Uint8Array.of(1), -1), 'range', 'decompressSnapshot', 'maxBytes');
    await expectRejection(() => decompressSnapshot(Uint8Array.of(1), 1.5), 'range', 'decompressSnapshot', 'maxBytes');
    await expectRejection(() => decompressSnapshot(Uint8Array.of(1), bufferConstants.MAX_LENGTH + 1), 'range', 'decompressSnapshot', 'maxBytes');
    await expectRejection(() => decompressSnapshot(Uint8Array.of(1), '10' as never), 'type', 'decompressSnapshot', 'maxBytes');
  });
});
