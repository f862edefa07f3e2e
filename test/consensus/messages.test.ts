import { describe, expect, it } from 'vitest';
import {
  DecodeError,
  decodeBlock,
  decodeMessage,
  decodeReply,
  defaultTxRoot,
  encodeBlock,
  encodeReply,
  MessageType,
  signFetch,
  signVote,
} from '../../src/consensus/index.js';
import { Rng, testSeed } from '../_support/seed.js';
import { request } from '../_support/requests.js';
import { TestNetwork } from '../_support/testNetwork.js';

describe('wire format', () => {
  it('round-trips blocks, votes and replies', () => {
    const txs = [request('x', 2 ** 40 + 5), request('x', 1)];
    const block = { height: 7, parent: new Uint8Array(32).fill(1), txRoot: defaultTxRoot()(txs), txs };
    expect(decodeBlock(encodeBlock(block))).toEqual(block);
    const net = new TestNetwork(4);
    const vote = decodeMessage(signVote(net.signers[2], MessageType.Commit, 2, 3, 99, new Uint8Array(32).fill(4)));
    expect(vote).toMatchObject({ kind: 'vote', type: MessageType.Commit, sender: 2, view: 3, seq: 99 });
    const reply = { replica: 1, txId: new Uint8Array(32).fill(1), sender: new Uint8Array(32).fill(2), nonce: 3, height: 9, result: new Uint8Array([1]), resultHash: new Uint8Array(32).fill(3) };
    expect(decodeReply(encodeReply(reply))).toEqual(reply);
  });

  it('rejects an unknown version, unknown type and trailing bytes with DecodeError', () => {
    const net = new TestNetwork(4);
    const frame = signFetch(net.signers[1], 1, 5, 0);
    const badVersion = frame.slice();
    badVersion[0] = 2;
    expect(() => decodeMessage(badVersion)).toThrow(DecodeError);
    const badType = frame.slice();
    badType[1] = 42;
    expect(() => decodeMessage(badType)).toThrow(DecodeError);
    expect(() => decodeBlock(new Uint8Array([1, 2, 3]))).toThrow(DecodeError);
  });

  it('survives fuzzed frames of every kind: step never throws and state stays consistent', () => {
    const rng = new Rng(testSeed('consensus frame fuzz'));
    const net = new TestNetwork(4, { batchTimeout: 5, checkpointInterval: 2, batchSize: 1 });
    const frames: Uint8Array[] = [];
    net.filter = (e) => {
      frames.push(e.bytes);
      return true;
    };
    for (let s = 1; s <= 4; s++) {
      net.submit(request('fuzz', s));
      net.deliver();
      net.run(20);
    }
    net.crash(0);
    net.submit(request('fuzz', 5));
    net.run(2500);
    expect(new Set(frames.map((f) => f[1])).size).toBeGreaterThanOrEqual(6);
    const victim = net.replica(2);
    const before = victim.status().height;
    for (let i = 0; i < 3000; i++) {
      const f = frames[rng.int(frames.length)].slice();
      const mode = rng.int(3);
      if (mode === 0) f[rng.int(f.length)] ^= 1 << rng.int(8);
      const bytes = mode === 1 ? f.subarray(0, rng.int(f.length)) : mode === 2 ? rng.bytes(rng.int(300)) : f;
      expect(() => victim.step({ type: 'message', bytes })).not.toThrow();
      try {
        decodeMessage(bytes);
      } catch (err) {
        expect(err).toBeInstanceOf(DecodeError);
      }
    }
    expect(victim.status().height).toBeGreaterThanOrEqual(before);
    net.checkAgreement();
  });
});
