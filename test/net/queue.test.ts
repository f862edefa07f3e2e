import { describe, expect, it } from 'vitest';
import { FRAME_HEADER_BYTES, SendQueue } from '../../src/net/index.js';

const frame = (tag: number, size = 1) => new Uint8Array(size).fill(tag);
const drain = (queue: SendQueue) => {
  const out: number[] = [];
  while (queue.length > 0) out.push(queue.shift()[0]);
  return out;
};

describe('SendQueue', () => {
  it('keeps frames in order and counts their wire bytes', () => {
    const queue = new SendQueue(10, 1000);
    for (let i = 1; i <= 3; i++) expect(queue.push(frame(i, 10))).toBe(0);
    expect(queue.length).toBe(3);
    expect(queue.bytes).toBe(3 * (10 + FRAME_HEADER_BYTES));
    expect(drain(queue)).toEqual([1, 2, 3]);
    expect(queue.bytes).toBe(0);
  });

  it('drops the oldest frames when the frame bound is reached', () => {
    const queue = new SendQueue(3, 1000);
    let dropped = 0;
    for (let i = 1; i <= 5; i++) dropped += queue.push(frame(i));
    expect(dropped).toBe(2);
    expect(drain(queue)).toEqual([3, 4, 5]);
  });

  it('drops as many of the oldest as a large frame needs under the byte bound', () => {
    const size = 10 + FRAME_HEADER_BYTES;
    const queue = new SendQueue(100, 4 * size);
    for (let i = 1; i <= 4; i++) queue.push(frame(i, 10));
    expect(queue.push(frame(9, 2 * size - FRAME_HEADER_BYTES))).toBe(2);
    expect(queue.bytes).toBeLessThanOrEqual(4 * size);
    expect(drain(queue)).toEqual([3, 4, 9]);
  });

  it('drops a frame larger than the byte bound itself, keeping the rest', () => {
    const queue = new SendQueue(10, 50);
    queue.push(frame(1));
    expect(queue.push(frame(2, 50))).toBe(1);
    expect(drain(queue)).toEqual([1]);
  });

  it('stays correct across many pushes and shifts (compaction)', () => {
    const queue = new SendQueue(1000, 1e9);
    let next = 0;
    let expected = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 37; i++) queue.push(frame(next++ & 0xff));
      for (let i = 0; i < 30; i++) expect(queue.shift()[0]).toBe(expected++ & 0xff);
    }
    expect(queue.length).toBe(next - expected);
    expect(queue.bytes).toBe(queue.length * (1 + FRAME_HEADER_BYTES));
  });
});
