import { describe, expect, it } from 'vitest';
import { CorruptStateError, decodeDurable, decodeMessage, type EpochStart, MessageType, Replica, signFetch, signViewChange, signVote } from '../../src/consensus/index.js';
import { account, request } from '../_support/requests.js';
import { type Envelope, TestNetwork } from '../_support/testNetwork.js';

// Epoch reconfiguration on real replicas: a set with `lastHeight` stops there, and the next set
// (other keys, or the same keys under the next epoch) starts from its state with `startEpoch`.

/** The last height of the first set: a checkpoint (the networks' checkpoint interval is 4). */
const H = 8;

/** Every frame the network delivers, decoded to (type, seq) where it names a height (FETCHes as seq 0). */
function record(net: TestNetwork): { type: number; seq: number }[] {
  const seen: { type: number; seq: number }[] = [];
  net.filter = (e: Envelope) => {
    const type = e.bytes[1];
    if (type === MessageType.Fetch) seen.push({ type, seq: 0 });
    if (type === MessageType.PrePrepare || type === MessageType.Prepare || type === MessageType.Commit || type === MessageType.Checkpoint) {
      const m = decodeMessage(e.bytes);
      if (m.kind === 'preprepare') seen.push({ type, seq: m.vote.seq });
      else if (m.kind === 'vote') seen.push({ type, seq: m.seq });
    }
    return true;
  };
  return seen;
}

/** One block per request: heights `from` to `to`, each carrying `client`'s transaction of that nonce. */
function commitBlocks(net: TestNetwork, client: string, from: number, to: number): void {
  for (let s = from; s <= to; s++) {
    net.submit(request(client, s));
    net.run(60);
  }
}

/** A first set run to its last height H. */
function finishedSet(client: string): TestNetwork {
  const net = new TestNetwork(4, { lastHeight: H });
  commitBlocks(net, client, 1, H);
  expect(net.heights()).toEqual([H, H, H, H]);
  return net;
}

/** The next set (other keys, epoch 1), every replica started from `start`. */
function nextSet(start: EpochStart, options: { lastHeight?: number } = {}): TestNetwork {
  const net = new TestNetwork(4, { epoch: 1, ...options }, 'next');
  for (let i = 0; i < 4; i++) net.replicas[i] = Replica.startEpoch(net.config(i), start);
  return net;
}

describe('a validator set with a last height', () => {
  it('stops there: proposes and votes nothing above it, signs its checkpoint there, refuses new transactions', () => {
    const net = new TestNetwork(4, { lastHeight: H });
    const seen = record(net);
    commitBlocks(net, 'erin', 1, H - 1);
    expect(net.replica(0).status().finished).toBe(false);
    expect(net.replica(0).epochEnd()).toBeNull();
    // The primary proposes H, then holds a transaction the last block does not carry (so does a
    // backup): neither proposes it above H, and both drop it.
    net.step(0, { type: 'request', request: request('erin', H) });
    for (const i of [0, 1]) net.step(i, { type: 'request', request: request('fred', 1) });
    expect(net.replica(0).status().pending).toBe(2);
    net.deliver();
    expect(net.heights()).toEqual([H, H, H, H]);
    const later = net.step(2, { type: 'request', request: request('erin', H + 1) });
    expect(later.refused).toEqual([{ index: 0, reason: 'stale' }]);
    net.submit(request('erin', H + 1));
    const fetches = () => seen.filter((f) => f.type === MessageType.Fetch).length;
    const fetchedBefore = fetches();
    net.run(5000);
    expect(net.heights()).toEqual([H, H, H, H]);
    for (let i = 0; i < 4; i++) expect(net.replica(i).status()).toMatchObject({ finished: true, view: 0, inViewChange: false, stableCheckpoint: H, pending: 0 });
    expect(seen.filter((f) => f.seq > H)).toEqual([]);
    expect(seen.some((f) => f.type === MessageType.Checkpoint && f.seq === H)).toBe(true);
    // Finished, it has nothing left to fetch however long it idles.
    expect(fetches()).toBe(fetchedBefore);
    const end = net.replica(0).epochEnd() as EpochStart;
    expect(end.height).toBe(H);
    expect(end.blockHash).toEqual(net.replica(0).status().lastHash);
    for (let i = 1; i < 4; i++) expect(net.replica(i).epochEnd()).toEqual(end);
    // A replay of the last transaction still gets its stored result.
    const replay = net.step(3, { type: 'request', request: request('erin', H) });
    expect(replay.replies).toHaveLength(1);
  });

  it('ignores the votes, proposals and transfers of peers that go on above it', () => {
    const net = new TestNetwork(4);
    net.replicas[3] = new Replica({ ...net.config(3), lastHeight: H });
    const stopped = net.replica(3);
    // Its peers serve it blocks above H with their certificates (then, past their next checkpoint, that checkpoint): it takes none.
    const serve = () => {
      const served = net.replica(0).step({ type: 'message', bytes: signFetch(net.signers[3], 3, H + 1, net.replica(3).status().view) });
      const transfer = served.messages.find((m) => m.bytes[1] === MessageType.Transfer) as { bytes: Uint8Array };
      const t = decodeMessage(transfer.bytes);
      stopped.step({ type: 'message', bytes: transfer.bytes });
      return t.kind === 'transfer' ? { blocks: t.blocks.length, checkpoint: t.checkpoint?.seq ?? null } : null;
    };
    commitBlocks(net, 'gina', 1, H + 3);
    expect(net.heights()).toEqual([H + 3, H + 3, H + 3, H]);
    expect(serve()).toEqual({ blocks: 3, checkpoint: null });
    commitBlocks(net, 'gina', H + 4, H + 4);
    expect(serve()).toEqual({ blocks: 0, checkpoint: H + 4 });
    expect(stopped.status()).toMatchObject({ height: H, finished: true });
    // The votes above H it was sent were dropped, not kept.
    expect(stopped.status().totals.dropped.outOfWindow).toBeGreaterThan(0);
    expect(stopped.held()).toMatchObject({ votes: 0, checkpointVotes: 0, proposals: 0 });
    net.checkAgreement();
  });

  it('lets a member that fell behind catch up to it from peers that finished', () => {
    const net = new TestNetwork(4, { lastHeight: H });
    net.isolate(3);
    commitBlocks(net, 'hugo', 1, H);
    expect(net.heights()).toEqual([H, H, H, 0]);
    net.heal();
    net.run(3000);
    expect(net.replica(3).status()).toMatchObject({ height: H, finished: true });
    // The state it installed is the state the others executed, byte for byte.
    expect(net.replica(3).epochEnd()).toEqual(net.replica(0).epochEnd());
  });
});

describe('the next validator set', () => {
  it('starts from the last set’s state and commits on from it under its own keys', () => {
    const old = finishedSet('hana');
    const end = old.replica(0).epochEnd() as EpochStart;
    const next = nextSet(end);
    expect(next.replica(0).status()).toMatchObject({ height: H, stableCheckpoint: H, finished: false, lastHash: end.blockHash });
    expect(next.apps[0].get(`k${H}`)).toBe(`v${H}`);
    expect(next.replica(0).lastNonce(account('hana').publicKey)).toBe(H);
    // Its start has no certificate of this set: a FETCH from below it gets no checkpoint.
    const served = next.replica(0).step({ type: 'message', bytes: signFetch(next.signers[1], 1, 1, 0) });
    for (const m of served.messages.filter((x) => x.bytes[1] === MessageType.Transfer)) {
      const t = decodeMessage(m.bytes);
      expect(t.kind === 'transfer' && t.checkpoint === null && t.blocks.length === 0).toBe(true);
    }
    commitBlocks(next, 'hana', H + 1, H + 8);
    expect(next.heights()).toEqual([H + 8, H + 8, H + 8, H + 8]);
    const first = next.commits[0][0];
    expect(first.height).toBe(H + 1);
    expect(first.block.parent).toEqual(end.blockHash);
    expect(next.replica(0).status().stableCheckpoint).toBe(H + 8);
    next.checkAgreement();
  });

  it('drops the last set’s frames: they are signed under another set', () => {
    const net = new TestNetwork(4, { lastHeight: H });
    const frames: Uint8Array[] = [];
    net.filter = (e) => {
      if (e.to === 0 && e.from !== 0) frames.push(e.bytes);
      return true;
    };
    commitBlocks(net, 'ines', 1, H);
    const next = nextSet(net.replica(0).epochEnd() as EpochStart);
    expect(frames.length).toBeGreaterThan(0);
    const out = next.replica(0).step({ type: 'messages', messages: frames });
    expect(out.stats.dropped.badSignature).toBe(frames.length);
    expect(next.replica(0).status().height).toBe(H);
  });

  it('refuses a VIEW-CHANGE reporting a height below its start, before checking a signature', () => {
    const next = nextSet(finishedSet('iris').replica(0).epochEnd() as EpochStart);
    // Even with a certificate every member signed (more than f would have to lie): no block below the start is this set's.
    const digest = new Uint8Array(32).fill(7);
    const cert = [1, 2, 3].map((i) => signVote(next.signers[i], MessageType.Commit, i, 0, H - 1, digest));
    const vc = signViewChange(next.signers[1], 1, { newView: 1, committed: { height: H - 1, hash: digest, cert }, prepared: [], latest: null, blocks: [] });
    const out = next.replica(0).step({ type: 'message', bytes: vc });
    expect(out.stats.dropped.invalid).toBe(1);
    expect(out.stats.verified).toBe(0);
  });

  it('replaces a primary that crashed at the last height, and the set still ends there', () => {
    const net = new TestNetwork(4, { lastHeight: H });
    commitBlocks(net, 'ivy', 1, H - 1);
    const seen = record(net);
    // The primary proposes H to replica 1 alone, then crashes.
    net.step(0, { type: 'request', request: request('ivy', H) });
    net.queue = net.queue.filter((e) => e.from !== 0 || e.to === 1);
    net.crash(0);
    for (const i of [1, 2, 3]) net.step(i, { type: 'request', request: request('ivy', H) });
    net.run(8000);
    for (const i of [1, 2, 3]) expect(net.replica(i).status()).toMatchObject({ height: H, finished: true, view: 1, inViewChange: false });
    expect(seen.filter((f) => f.seq > H)).toEqual([]);
    net.checkAgreement();
  });

  it('replaces its own first primary when it crashed at the height after the start', () => {
    const old = finishedSet('jana');
    const end = old.replica(0).epochEnd() as EpochStart;
    const next = nextSet(end);
    next.crash(0);
    for (let s = H + 1; s <= H + 4; s++) next.submit(request('jana', s));
    next.run(8000);
    // One block of the four transactions, by the primary of view 1.
    for (const i of [1, 2, 3]) expect(next.replica(i).status()).toMatchObject({ height: H + 1, view: 1, inViewChange: false });
    expect(next.commits[1][0]).toMatchObject({ height: H + 1, view: 1 });
    expect(next.commits[1][0].block.txs).toHaveLength(4);
    expect(next.commits[1][0].block.parent).toEqual(end.blockHash);
    next.checkAgreement();
  });
});

describe('a replica begun at an epoch start, after a crash', () => {
  it('comes back to its start, then to its log and checkpoint above it', () => {
    const old = finishedSet('kim');
    const end = old.replica(0).epochEnd() as EpochStart;
    const next = nextSet(end);
    expect(decodeDurable(next.disks[2].records()).start).toBeNull();
    next.run(10);
    expect(decodeDurable(next.disks[2].records()).start).toEqual(end);
    next.crash(2);
    next.restart(2);
    expect(next.replica(2).status()).toMatchObject({ height: H, stableCheckpoint: H, lastHash: end.blockHash });
    commitBlocks(next, 'kim', H + 1, H + 2);
    next.crash(2);
    next.restart(2);
    expect(next.replica(2).status()).toMatchObject({ height: H + 2, stableCheckpoint: H });
    expect(next.apps[2].get(`k${H + 2}`)).toBe(`v${H + 2}`);
    commitBlocks(next, 'kim', H + 3, H + 6);
    expect(next.heights()).toEqual([H + 6, H + 6, H + 6, H + 6]);
    next.crash(2);
    next.restart(2);
    expect(next.replica(2).status()).toMatchObject({ height: H + 6, stableCheckpoint: H + 4 });
    // The peers' VIEW-CHANGEs still report heights against its start: a view change completes.
    next.crash(0);
    commitBlocks(next, 'kim', H + 7, H + 7);
    next.run(8000);
    for (const i of [1, 2, 3]) expect(next.replica(i).status()).toMatchObject({ height: H + 7, view: 1 });
    next.checkAgreement();
  });

  it('survives one damaged copy of its start and refuses to start without both', () => {
    const old = finishedSet('lena');
    const next = nextSet(old.replica(0).epochEnd() as EpochStart);
    next.run(10);
    const disk = next.disks[1];
    disk.flipBit('start/a', 20);
    expect(decodeDurable(disk.records()).start?.height).toBe(H);
    next.crash(1);
    next.restart(1);
    expect(next.replica(1).status().height).toBe(H);
    next.run(10); // the first write after the restart rewrites both copies
    disk.flipBit('start/b', 20);
    expect(decodeDurable(disk.records()).start?.height).toBe(H);
    disk.flipBit('start/a', 30);
    expect(() => decodeDurable(disk.records())).toThrow(CorruptStateError);
  });
});
