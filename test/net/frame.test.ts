import { describe, expect, it } from 'vitest';
import { encodeFrame, FRAME_HEADER_BYTES, FRAME_VERSION, FrameDecoder, type FrameError, FrameKind } from '../../src/net/index.js';
import { Rng, testSeed } from '../_support/seed.js';
import { concat } from '../tx/fixtures.js';

type Decoded = [FrameKind, number[]];

/** Feeds `chunks` one by one; returns the frames and the error, if any. */
function decode(chunks: Uint8Array[], max = 1024): { frames: Decoded[]; error: FrameError | null; decoder: FrameDecoder } {
  const decoder = new FrameDecoder(max);
  const frames: Decoded[] = [];
  let error: FrameError | null = null;
  for (const chunk of chunks) {
    error = decoder.push(chunk, (kind, body) => frames.push([kind, [...body]]));
    if (error !== null) break;
  }
  return { frames, error, decoder };
}


/** [u32 length][version][kind] then `body`, with any field chosen. */
const raw = (length: number, version: number, kind: number, body: number[] = []) =>
  Uint8Array.from([length >>> 24, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff, version, kind, ...body]);

describe('frames', () => {
  it('encodes [u32 BE length of the rest][version][kind][body]', () => {
    expect([...encodeFrame(FrameKind.data, Uint8Array.from([7, 8, 9]))]).toEqual([0, 0, 0, 5, FRAME_VERSION, 0, 7, 8, 9]);
    expect([...encodeFrame(FrameKind.heartbeat, new Uint8Array(0))]).toEqual([0, 0, 0, 2, FRAME_VERSION, 1]);
    expect(FRAME_HEADER_BYTES).toBe(6);
  });

  it('reads frames merged into one chunk and split at every byte', () => {
    const frames = [Uint8Array.from([1, 2, 3]), new Uint8Array(0), Uint8Array.from([4])];
    const wire = concat(...[encodeFrame(FrameKind.data, frames[0]), encodeFrame(FrameKind.heartbeat, frames[1]), encodeFrame(FrameKind.data, frames[2])]);
    const expected: Decoded[] = [
      [FrameKind.data, [1, 2, 3]],
      [FrameKind.heartbeat, []],
      [FrameKind.data, [4]],
    ];
    expect(decode([wire]).frames).toEqual(expected);
    expect(decode([...wire].map((b) => Uint8Array.of(b))).frames).toEqual(expected);
    for (let cut = 0; cut <= wire.length; cut++) expect(decode([wire.subarray(0, cut), wire.subarray(cut)]).frames, `cut at ${cut}`).toEqual(expected);
  });

  it('reads random frames cut into random chunks (seeded)', () => {
    const rng = new Rng(testSeed('frames in random chunks'));
    for (let round = 0; round < 50; round++) {
      const bodies = Array.from({ length: 1 + rng.int(10) }, () => rng.bytes(rng.int(300)));
      const wire = concat(...bodies.map((b) => encodeFrame(FrameKind.data, b)));
      const chunks: Uint8Array[] = [];
      for (let at = 0; at < wire.length; ) {
        const n = 1 + rng.int(200);
        chunks.push(wire.subarray(at, at + n));
        at += n;
      }
      const { frames, error, decoder } = decode(chunks);
      expect(error).toBeNull();
      expect(frames).toEqual(bodies.map((b) => [FrameKind.data, [...b]]));
      expect(decoder.midFrame).toBe(false);
    }
  });

  it('hands over copies the receiver owns, never views of the chunk', () => {
    const wire = encodeFrame(FrameKind.data, Uint8Array.from([1, 2, 3]));
    let body: Uint8Array | undefined;
    new FrameDecoder(16).push(wire, (_kind, b) => (body = b));
    expect(body!.buffer).not.toBe(wire.buffer);
    expect(body!.constructor).toBe(Uint8Array);
    wire[FRAME_HEADER_BYTES] = 9;
    expect([...body!]).toEqual([1, 2, 3]);
  });

  it('knows when the stream stops mid-frame, and how much it holds', () => {
    const wire = encodeFrame(FrameKind.data, new Uint8Array(100));
    const { decoder } = decode([wire.subarray(0, 3)]);
    expect(decoder.midFrame).toBe(true);
    decoder.push(wire.subarray(3, 50), () => undefined);
    expect(decoder.bufferedBytes).toBe(50);
    decoder.push(wire.subarray(50), () => undefined);
    expect(decoder.midFrame).toBe(false);
    expect(decoder.bufferedBytes).toBe(0);
  });

  it('accepts a body of exactly the maximum and refuses one byte more from the length prefix alone', () => {
    expect(decode([encodeFrame(FrameKind.data, new Uint8Array(64))], 64).frames).toHaveLength(1);
    const over = decode([raw(64 + 3, FRAME_VERSION, 0).subarray(0, 4)], 64);
    expect(over.error).toBe('oversize');
    // the largest length a u32 can state is refused as well, without waiting for its bytes
    expect(decode([Uint8Array.of(0xff, 0xff, 0xff, 0xff)]).error).toBe('oversize');
  });

  it('refuses another version as soon as its byte arrives', () => {
    expect(decode([raw(2, 2, 0).subarray(0, 5)]).error).toBe('badVersion');
    expect(decode([raw(2, 0, 0)]).error).toBe('badVersion');
  });

  it('refuses what does not decode: a length below 2, an unknown kind, a heartbeat with a body', () => {
    expect(decode([Uint8Array.of(0, 0, 0, 1)]).error).toBe('malformed');
    expect(decode([Uint8Array.of(0, 0, 0, 0)]).error).toBe('malformed');
    expect(decode([raw(2, FRAME_VERSION, 7)]).error).toBe('malformed');
    expect(decode([raw(3, FRAME_VERSION, FrameKind.heartbeat, [0])]).error).toBe('malformed');
  });

  it('reads nothing more after an error, and delivers the frames before it', () => {
    const wire = concat(...[encodeFrame(FrameKind.data, Uint8Array.of(5)), raw(2, 9, 0), encodeFrame(FrameKind.data, Uint8Array.of(6))]);
    const decoder = new FrameDecoder(16);
    const seen: number[][] = [];
    expect(decoder.push(wire, (_k, b) => seen.push([...b]))).toBe('badVersion');
    expect(decoder.push(encodeFrame(FrameKind.data, Uint8Array.of(7)), (_k, b) => seen.push([...b]))).toBe('badVersion');
    expect(seen).toEqual([[5]]);
  });
});
