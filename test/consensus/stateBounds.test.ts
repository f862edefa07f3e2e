import { describe, expect, it } from 'vitest';
import {
  type Block,
  blockHash,
  decodeMessage,
  defaultTxRoot,
  encodeBlock,
  encodePrePrepare,
  MessageType,
  signFetch,
  signNewView,
  signViewChange,
  signVote,
} from '../../src/consensus/index.js';
import { nodeSha256 } from '../../src/node/index.js';
import { request, TEST_CHAIN } from '../_support/requests.js';
import { TestNetwork } from '../_support/testNetwork.js';

// Each refusal that bounds what one validator's signed frames can make a replica hold: counted,
// and the count of what is held does not move.

const txRoot = defaultTxRoot();

function block1(net: TestNetwork, client: string): Block {
  const txs = [request(client, 1)];
  return { height: 1, parent: net.replica(0).genesisHash(), txRoot: txRoot(txs), txs };
}

/** A VIEW-CHANGE of `sender` for `newView` from genesis, optionally reporting its PREPARE for `latest` (view 0, slot 1). */
function viewChange(net: TestNetwork, sender: number, newView: number, latest: Block | null = null): Uint8Array {
  const genesis = net.replica(0).genesisHash();
  const vote = latest ? signVote(net.signers[sender], MessageType.Prepare, sender, 0, 1, blockHash(latest, nodeSha256)) : null;
  return signViewChange(net.signers[sender], sender, { newView, committed: { height: 0, hash: genesis, cert: [] }, prepared: [], latest: vote, blocks: latest ? [encodeBlock(latest)] : [] });
}

describe('VIEW-CHANGEs held per sender', () => {
  it('keeps only a sender’s highest view above the current one: a lower one after it is stale', () => {
    const net = new TestNetwork(4);
    const r = net.replica(1);
    expect(r.step({ type: 'message', bytes: viewChange(net, 3, 10) }).stats.dropped.stale).toBe(0);
    for (let view = 9; view >= 1; view--) expect(r.step({ type: 'message', bytes: viewChange(net, 3, view) }).stats.dropped.stale).toBe(1);
    expect(r.held().viewChanges).toBe(1);
    for (let view = 11; view <= 40; view++) r.step({ type: 'message', bytes: viewChange(net, 3, view) });
    expect(r.held().viewChanges).toBe(1);
    expect(r.status()).toMatchObject({ view: 0, inViewChange: false });
  });

  it('a VIEW-CHANGE re-sent is a counted duplicate, not evidence', () => {
    const net = new TestNetwork(4);
    const r = net.replica(1);
    const vc = viewChange(net, 3, 2, block1(net, 'a'));
    r.step({ type: 'message', bytes: vc });
    const again = r.step({ type: 'message', bytes: vc });
    expect(again.stats.dropped.duplicate).toBe(1);
    expect(again.evidence).toEqual([]);
  });
});

describe('view-change equivocation', () => {
  it('two VIEW-CHANGEs of one validator for one view, at one committed height with other votes, are evidence, reported once', () => {
    const net = new TestNetwork(4);
    const r = net.replica(1);
    const withVote = viewChange(net, 3, 2, block1(net, 'a'));
    const withoutVote = viewChange(net, 3, 2);
    r.step({ type: 'message', bytes: withVote });
    const out = r.step({ type: 'message', bytes: withoutVote });
    expect(out.evidence).toEqual([{ kind: 'view-change-equivocation', validator: 3, publicKey: net.validators[3], view: 2, first: withVote, second: withoutVote }]);
    expect(out.stats.dropped.duplicate).toBe(1);
    expect(r.step({ type: 'message', bytes: withoutVote }).evidence).toEqual([]);
    // Another vote for the slot (another block) is a lie too.
    const other = new TestNetwork(4).replica(2);
    other.step({ type: 'message', bytes: withVote });
    expect(other.step({ type: 'message', bytes: viewChange(net, 3, 2, block1(net, 'b')) }).evidence.map((e) => e.kind)).toEqual(['view-change-equivocation']);
  });

  it('a VIEW-CHANGE rebuilt at a higher committed height (what a restarted honest replica sends) is not evidence', () => {
    const net = new TestNetwork(4);
    for (let s = 1; s <= 4; s++) net.submit(request('grace', s));
    net.deliver();
    const c = net.commits[3][0];
    const first = viewChange(net, 3, 5, block1(net, 'a'));
    const rebuilt = signViewChange(net.signers[3], 3, { newView: 5, committed: { height: 1, hash: c.hash, cert: c.cert }, prepared: [], latest: null, blocks: [] });
    const r = new TestNetwork(4).replica(1);
    r.step({ type: 'message', bytes: first });
    const out = r.step({ type: 'message', bytes: rebuilt });
    expect(out.stats.dropped.invalid).toBe(0);
    expect(out.evidence).toEqual([]);
  });
});

describe('new-view equivocation', () => {
  it('two different NEW-VIEWs of one primary for one view are evidence; the same one again is not', () => {
    const net = new TestNetwork(4);
    const r = net.replica(1);
    const vcs = [0, 1, 2, 3].map((i) => viewChange(net, i, 2));
    const first = signNewView(net.signers[2], 2, 2, [vcs[2], vcs[0], vcs[1]]);
    const second = signNewView(net.signers[2], 2, 2, [vcs[2], vcs[3], vcs[1]]);
    r.step({ type: 'message', bytes: first });
    expect(r.status()).toMatchObject({ view: 2, inViewChange: false });
    expect(r.step({ type: 'message', bytes: first }).evidence).toEqual([]);
    const out = r.step({ type: 'message', bytes: second });
    expect(out.evidence).toEqual([{ kind: 'new-view-equivocation', validator: 2, publicKey: net.validators[2], view: 2, first, second }]);
    expect(out.stats.dropped.stale).toBe(1);
    expect(r.step({ type: 'message', bytes: second }).evidence).toEqual([]);
  });
});

describe('CHECKPOINT votes held', () => {
  it('only for view 0 and multiples of K inside the window (K = 4, window 8)', () => {
    const net = new TestNetwork(4);
    const r = net.replica(1);
    const vote = (view: number, seq: number) => r.step({ type: 'message', bytes: signVote(net.signers[3], MessageType.Checkpoint, 3, view, seq, new Uint8Array(32).fill(seq)) });
    expect(vote(1, 4).stats.dropped.invalid).toBe(1);
    expect(vote(0, 3).stats.dropped.invalid).toBe(1);
    expect(vote(0, 12).stats.dropped.outOfWindow).toBe(1);
    expect(vote(0, 4000).stats.dropped.outOfWindow).toBe(1);
    expect(r.held().checkpointVotes).toBe(0);
    vote(0, 4);
    vote(0, 8);
    expect(r.held().checkpointVotes).toBe(2);
  });
});

describe('the vote inside a PRE-PREPARE', () => {
  it('is recorded only inside the view window', () => {
    const net = new TestNetwork(4);
    const r = net.replica(2);
    const b = block1(net, 'a');
    const d = blockHash(b, nodeSha256);
    const prePrepare = (view: number) => encodePrePrepare(view % 4, signVote(net.signers[view % 4], MessageType.Prepare, view % 4, view, 1, d), encodeBlock(b));
    expect(r.step({ type: 'message', bytes: prePrepare(5) }).stats.dropped.outOfWindow).toBe(1);
    expect(r.held().votes).toBe(0);
    r.step({ type: 'message', bytes: prePrepare(4) });
    expect(r.held().votes).toBe(1);
  });
});

describe('FETCH answers', () => {
  it('are rate-limited per peer whatever `from` it asks', () => {
    const net = new TestNetwork(4);
    for (let s = 1; s <= 12; s++) net.submit(request('heidi', s));
    net.run(200);
    const r = net.replica(1);
    expect(r.status().height).toBeGreaterThanOrEqual(3);
    const fetch = (from: number) => r.step({ type: 'message', bytes: signFetch(net.signers[3], 3, from, 0) });
    let transfers = 0;
    let limited = 0;
    for (let i = 0; i < 40; i++) {
      const out = fetch(1 + (i % 2));
      transfers += out.messages.filter((m) => m.bytes[1] === MessageType.Transfer).length;
      limited += out.stats.dropped.rateLimited + out.stats.dropped.duplicate;
    }
    // window 8, 16 blocks per answer: ⌈8/16⌉ + 1 = 2 answers per retransmission interval.
    expect(transfers).toBe(2);
    expect(limited).toBe(38);
    expect(r.status().totals.dropped.rateLimited).toBeGreaterThanOrEqual(19);
    r.step({ type: 'tick', now: net.now + 100 });
    expect(fetch(1).messages.filter((m) => m.bytes[1] === MessageType.Transfer).length).toBe(1);
  });
});

describe('the request pool', () => {
  it('holds at most nonceWindow pending transactions of one sender', () => {
    const r = new TestNetwork(4, { nonceWindow: 3 }).replica(1);
    for (let s = 1; s <= 3; s++) expect(r.step({ type: 'request', request: request('kim', s) }).stats.dropped.nonceGap).toBe(0);
    expect(r.step({ type: 'request', request: request('kim', 4) }).stats.dropped.nonceGap).toBe(1);
    expect(r.held().pending).toBe(3);
  });

  it('refuses past maxPendingBytes', () => {
    const size = request('leo', 1).length;
    const r = new TestNetwork(4, { maxPendingBytes: 2 * size + 1 }).replica(1);
    r.step({ type: 'request', request: request('leo', 1) });
    r.step({ type: 'request', request: request('mia', 1) });
    expect(r.step({ type: 'request', request: request('ned', 1) }).stats.dropped.poolFull).toBe(1);
    expect(r.held()).toMatchObject({ pending: 2, pendingBytes: 2 * size });
  });

  it('never takes a transaction that can never be proposed: nonce 0', () => {
    const r = new TestNetwork(4).replica(1);
    const tx = request('olga', 1).slice();
    // version, chain id length, chain id, sender: then the nonce (u64, little-endian), set to 0.
    tx.fill(0, 2 + TEST_CHAIN.length + 32, 2 + TEST_CHAIN.length + 32 + 8);
    expect(r.step({ type: 'request', request: tx }).stats.dropped.malformed).toBe(1);
    expect(r.held().pending).toBe(0);
  });
});

describe('an honest replica restarted in a view change', () => {
  it('rebuilds its VIEW-CHANGE at the height a transfer brought it meanwhile, and peers holding the first see no evidence', () => {
    const net = new TestNetwork(4, { batchTimeout: 5 });
    net.isolate(3);
    for (let s = 1; s <= 4; s++) net.submit(request('pat', s));
    net.run(200);
    expect(net.heights()).toEqual([1, 1, 1, 0]);
    net.heal();
    net.crash(0);
    const sent: Uint8Array[] = [];
    net.filter = (e) => {
      if (e.from === 3 && e.bytes[1] === MessageType.ViewChange) sent.push(e.bytes);
      return e.bytes[1] !== MessageType.NewView && e.bytes[1] !== MessageType.Transfer;
    };
    for (let s = 5; s <= 8; s++) net.submit(request('pat', s));
    net.run(1500);
    const r3 = net.replica(3).status();
    expect(r3).toMatchObject({ inViewChange: true, height: 0 });
    // A peer answers replica 3's FETCH while it waits in the view change: it commits height 1.
    net.replica(1).step({ type: 'tick', now: net.now + 100 }); // past the answer the filter dropped
    const answer = net.replica(1).step({ type: 'message', bytes: signFetch(net.signers[3], 3, 1, r3.view) });
    net.step(3, { type: 'message', bytes: answer.messages.find((m) => m.bytes[1] === MessageType.Transfer)?.bytes as Uint8Array });
    expect(net.replica(3).status()).toMatchObject({ inViewChange: true, height: 1, view: r3.view });
    net.crash(3);
    net.restart(3);
    sent.length = 0;
    net.run(300);
    const again = sent.map((b) => decodeMessage(b)).filter((m) => m.kind === 'viewchange' && m.newView === r3.view);
    expect(again.length).toBeGreaterThan(0);
    expect(again.every((m) => m.kind === 'viewchange' && m.committed.height === 1)).toBe(true);
    expect(net.evidence).toEqual([]);
  });
});
