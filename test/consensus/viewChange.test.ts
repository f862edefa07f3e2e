import { describe, expect, it } from 'vitest';
import {
  type Block,
  blockHash,
  decideNewView,
  decodeMessage,
  defaultTxRoot,
  encodeBlock,
  encodePrePrepare,
  MessageType,
  quorums,
  signNewView,
  signViewChange,
  signVote,
  type ViewChange,
} from '../../src/consensus/index.js';
import { nodeSha256 } from '../../src/node/index.js';
import { request } from '../_support/requests.js';
import { TestNetwork } from '../_support/testNetwork.js';

describe('view change', () => {
  it('elects the next primary after the primary crashes and keeps committing', () => {
    const net = new TestNetwork(4, { batchTimeout: 5 });
    for (let s = 1; s <= 4; s++) net.submit(request('alice', s));
    net.deliver();
    expect(net.heights()).toEqual([1, 1, 1, 1]);
    net.crash(0);
    for (let s = 5; s <= 8; s++) net.submit(request('alice', s));
    net.run(3000);
    for (const i of [1, 2, 3]) {
      expect(net.replica(i).status().view).toBe(1);
      expect(net.replica(i).status().height).toBe(2);
    }
    net.checkAgreement();
  });

  it('re-proposes a block that prepared but did not commit in the old view', () => {
    const net = new TestNetwork(4, { batchTimeout: 5, fastPath: false });
    // COMMITs of view 0 never arrive: the block prepares everywhere but commits nowhere in view 0.
    net.filter = (e) => e.bytes[1] !== MessageType.Commit || e.bytes[4] !== 0;
    for (let s = 1; s <= 4; s++) net.submit(request('bob', s));
    const pp = decodeMessage((net.queue.find((e) => e.bytes[1] === MessageType.PrePrepare) as { bytes: Uint8Array }).bytes);
    net.deliver();
    expect(net.heights()).toEqual([0, 0, 0, 0]);
    net.crash(0);
    net.run(3000);
    for (const i of [1, 2, 3]) expect(net.replica(i).status().height).toBe(1);
    expect(pp.kind === 'preprepare' && Buffer.from(pp.vote.digest).equals(Buffer.from(net.commits[1][0].hash))).toBe(true);
    const block = net.commits[1][0];
    expect(block.block.txs.length).toBe(4);
    expect(block.view).toBe(1);
    net.checkAgreement();
  });
});

/** Builds the Zyzzyva-style situation at slot 1: a stale prepared certificate for A in view 0,
 * while B collected all n PREPAREs in view 1 (and so may have committed on the fast path). */
function zyzzyvaScenario() {
  const net = new TestNetwork(4);
  const genesis = net.replica(1).genesisHash();
  const txRoot = defaultTxRoot();
  const make = (txs: Uint8Array[]): Block => ({ height: 1, parent: genesis, txRoot: txRoot(txs), txs });
  const A = make([request('a', 1)]);
  const B = make([request('b', 1)]);
  const a = blockHash(A, nodeSha256);
  const b = blockHash(B, nodeSha256);
  const s = net.signers;
  const preparedA = [0, 1, 2].map((i) => signVote(s[i], MessageType.Prepare, i, 0, 1, a));
  const voteB = (i: number) => signVote(s[i], MessageType.Prepare, i, 1, 1, b);
  const committed = { height: 0, hash: genesis, cert: [] };
  const vc = (i: number, prepared: Uint8Array[], blocks: Block[]) =>
    signViewChange(s[i], i, { newView: 2, committed, prepared, latest: voteB(i), blocks: blocks.map(encodeBlock) });
  const vcs = [vc(1, [], [B]), vc(2, [], [B]), vc(3, preparedA, [A, B])];
  return { net, A, B, a, b, vcs };
}

describe('fast path safety across view changes', () => {
  it('chooses the digest with f+1 newer vote reports over a stale prepared certificate', () => {
    const { a, b, vcs } = zyzzyvaScenario();
    const decoded = vcs.map((bytes) => decodeMessage(bytes) as ViewChange);
    const d = decideNewView(decoded, quorums(4), nodeSha256);
    expect(d.rule).toBe('votes');
    expect(d.digest).toEqual(b);
    // Without vote reports the stale certificate would win: the unsafe choice Zyzzyva made.
    const withoutVotes = decoded.map((vc) => ({ ...vc, latest: null }));
    expect(decideNewView(withoutVotes, quorums(4), nodeSha256).digest).toEqual(a);
  });

  it('backups re-run the choice and refuse a new primary that re-proposes the stale block', () => {
    const { net, A, B, b, vcs } = zyzzyvaScenario();
    const primary = net.signers[2];
    const nv = signNewView(primary, 2, 2, vcs);
    const r = net.replica(1);
    const entered = r.step({ type: 'message', bytes: nv });
    expect(entered.stats.dropped.invalid).toBe(0);
    expect(r.status().view).toBe(2);
    const pp = (block: Block) => encodePrePrepare(2, signVote(primary, MessageType.Prepare, 2, 2, 1, blockHash(block, nodeSha256)), encodeBlock(block));
    const wrong = r.step({ type: 'message', bytes: pp(A) });
    expect(wrong.stats.dropped.invalid).toBe(1);
    expect(wrong.messages.length).toBe(0);
    const right = r.step({ type: 'message', bytes: pp(B) });
    const vote = decodeMessage(right.messages[0].bytes);
    expect(vote.kind === 'vote' && vote.type === MessageType.Prepare && vote.view === 2).toBe(true);
    expect(vote.kind === 'vote' && Buffer.from(vote.digest).equals(Buffer.from(b))).toBe(true);
  });

  it('rejects a NEW-VIEW whose view changes claim certificates they do not have', () => {
    const { net, vcs } = zyzzyvaScenario();
    const s = net.signers;
    const genesis = net.replica(1).genesisHash();
    // Replica 3 is Byzantine: it claims a prepared certificate signed only by itself.
    const fakeCert = [0, 1, 2].map((i) => signVote(s[3], MessageType.Prepare, i, 1, 1, new Uint8Array(32)));
    const fake = signViewChange(s[3], 3, { newView: 2, committed: { height: 0, hash: genesis, cert: [] }, prepared: fakeCert, latest: null, blocks: [] });
    const nv = signNewView(s[2], 2, 2, [vcs[0], vcs[1], fake]);
    const r = net.replica(1);
    // Its prepared certificate names a block it does not carry: refused on structure, before any signature is checked.
    const out = r.step({ type: 'message', bytes: nv });
    expect([out.stats.dropped.invalid, out.stats.verified]).toEqual([1, 0]);
    expect(r.status().view).toBe(0);
    const alone = r.step({ type: 'message', bytes: fake });
    expect([alone.stats.dropped.invalid, alone.stats.verified]).toEqual([1, 0]);
  });
});

describe('a view left without installing', () => {
  it('keeps re-sending its VIEW-CHANGE across a restart (peers still in that view may need it for their quorum)', () => {
    const net = new TestNetwork(4, { batchTimeout: 5 });
    for (let s = 1; s <= 4; s++) net.submit(request('carol', s));
    net.deliver();
    // The primary of view 0 goes down and no NEW-VIEW gets through: 1, 2 and 3 give up on view 1 and move on.
    net.crash(0);
    net.filter = (e) => e.bytes[1] !== MessageType.NewView && e.bytes[1] !== MessageType.Transfer;
    for (let s = 5; s <= 8; s++) net.submit(request('carol', s));
    net.run(4000);
    expect(net.replica(3).status()).toMatchObject({ view: 2, inViewChange: true });
    const left = net.durable(3).previousViewChange;
    expect(left && decodeMessage(left)).toMatchObject({ kind: 'viewchange', sender: 3, newView: 1 });

    net.crash(3);
    net.restart(3);
    const sent: number[] = [];
    const original = net.filter;
    net.filter = (e) => {
      const m = e.from === 3 ? decodeMessage(e.bytes) : null;
      if (m?.kind === 'viewchange') sent.push(m.newView);
      return original(e);
    };
    net.run(300);
    expect(sent).toContain(1);
    expect(sent).toContain(2);
  });
});
