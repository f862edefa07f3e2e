import { describe, expect, it } from 'vitest';
import {
  blockHash,
  decodeMessage,
  defaultTxRoot,
  encodeBlock,
  encodePrePrepare,
  MessageType,
  signFetch,
  signTransfer,
  signVote,
} from '../../src/consensus/index.js';
import { nodeSha256 } from '../../src/node/index.js';
import { request } from './helpers.js';
import { TestNetwork } from './network.js';

function commitSequentially(net: TestNetwork, client: string, from: number, to: number): void {
  for (let s = from; s <= to; s++) {
    net.submit(request(client, s));
    net.deliver();
    net.run(20);
  }
}

describe('checkpoints and garbage collection', () => {
  it('stabilises a checkpoint every K blocks with 2f+1 votes and discards older log entries', () => {
    const net = new TestNetwork(4, { batchSize: 1, checkpointInterval: 4 });
    commitSequentially(net, 'alice', 1, 10);
    expect(net.heights()).toEqual([10, 10, 10, 10]);
    for (let i = 0; i < 4; i++) {
      expect(net.replica(i).status().stableCheckpoint).toBe(8);
      const durable = net.durable(i);
      expect(durable.checkpoint?.seq).toBe(8);
      expect(durable.checkpoint?.cert.length).toBe(3);
      expect(durable.blocks.map((b) => b.height)).toEqual([9, 10]);
    }
  });
});

describe('state transfer and restart', () => {
  it('restarts from persisted state with the same chain and application state', () => {
    const net = new TestNetwork(4, { batchSize: 1, checkpointInterval: 4 });
    commitSequentially(net, 'bob', 1, 6);
    const before = net.replica(2).status();
    net.crash(2);
    net.restart(2);
    const after = net.replica(2).status();
    expect(after.height).toBe(before.height);
    expect(after.lastHash).toEqual(before.lastHash);
    expect(net.apps[2].get('k6')).toBe('v6');
    commitSequentially(net, 'bob', 7, 8);
    expect(net.heights()).toEqual([8, 8, 8, 8]);
    net.checkAgreement();
  });

  it('a replica that missed a checkpoint fetches the snapshot and later blocks with certificates', () => {
    const net = new TestNetwork(4, { batchSize: 1, checkpointInterval: 4 });
    net.crash(3);
    commitSequentially(net, 'carol', 1, 10);
    expect(net.heights()).toEqual([10, 10, 10, -1]);
    net.restart(3);
    net.submit(request('carol', 11));
    net.deliver();
    net.run(500);
    expect(net.heights()).toEqual([11, 11, 11, 11]);
    expect(net.commits[3].map((c) => c.via)).toContain('transfer');
    expect(net.apps[3].snapshot()).toEqual(net.apps[0].snapshot());
    net.checkAgreement();
  });

  it('serves a fetch with certified blocks, and the receiver verifies and applies them', () => {
    const net = new TestNetwork(4, { batchSize: 1, checkpointInterval: 100 });
    net.crash(3);
    commitSequentially(net, 'dan', 1, 2);
    net.restart(3);
    const answer = net.replica(0).step({ type: 'message', bytes: signFetch(net.signers[3], 3, 1, 0) });
    const transfer = answer.messages[0].bytes;
    const decoded = decodeMessage(transfer);
    expect(decoded.kind === 'transfer' && decoded.blocks.length).toBe(2);
    // A certificate cut below 2f+1 COMMITs (re-signed by the sender) is refused.
    if (decoded.kind !== 'transfer') throw new Error('expected a transfer');
    const r = net.replica(3);
    const short = signTransferFrom(net, 0, decoded.blocks.map((b) => ({ block: encodeBlock(b.block), cert: b.cert.slice(0, 2).map((v) => v.bytes) })));
    r.step({ type: 'message', bytes: short });
    expect(r.status().height).toBe(0);
    const out = r.step({ type: 'message', bytes: transfer });
    expect(r.status().height).toBe(2);
    expect(out.committed.map((c) => c.via)).toEqual(['transfer', 'transfer']);
  });
});

function signTransferFrom(net: TestNetwork, from: number, blocks: { block: Uint8Array; cert: Uint8Array[] }[]): Uint8Array {
  return signTransfer(net.signers[from], from, { checkpoint: null, blocks, newView: null });
}

describe('equivocation evidence', () => {
  it('turns two conflicting pre-prepares of one primary into Evidence', () => {
    const net = new TestNetwork(4);
    const r = net.replica(1);
    const genesis = r.genesisHash();
    const s0 = net.signers[0];
    const rootOf = defaultTxRoot();
    const mk = (client: string) => {
      const txs = [request(client, 1)];
      const block = { height: 1, parent: genesis, txRoot: rootOf(txs), txs };
      const d = blockHash(block, nodeSha256);
      return encodePrePrepare(0, signVote(s0, MessageType.Prepare, 0, 0, 1, d), encodeBlock(block));
    };
    const first = r.step({ type: 'message', bytes: mk('x') });
    expect(first.messages.length).toBe(1);
    const second = r.step({ type: 'message', bytes: mk('y') });
    expect(second.evidence.length).toBe(1);
    const ev = second.evidence[0];
    expect(ev.validator).toBe(0);
    const [a, b] = [decodeMessage(ev.first), decodeMessage(ev.second)];
    expect(a.kind === 'vote' && b.kind === 'vote' && a.view === b.view && a.seq === b.seq).toBe(true);
    expect(second.messages.length).toBe(0);
  });

  it('turns two conflicting PREPARE votes of a backup into Evidence', () => {
    const net = new TestNetwork(4);
    const r = net.replica(0);
    const s2 = net.signers[2];
    r.step({ type: 'message', bytes: signVote(s2, MessageType.Prepare, 2, 0, 1, new Uint8Array(32).fill(1)) });
    const out = r.step({ type: 'message', bytes: signVote(s2, MessageType.Prepare, 2, 0, 1, new Uint8Array(32).fill(2)) });
    expect(out.evidence.map((e) => e.validator)).toEqual([2]);
  });
});

