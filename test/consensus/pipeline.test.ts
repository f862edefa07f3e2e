import { describe, expect, it } from 'vitest';
import { type Block, blockHash, decodeMessage, defaultTxRoot, encodeBlock, encodePrePrepare, MessageType, type PrePrepare, Replica, signVote, type ViewChange } from '../../src/consensus/index.js';
import { nodeSha256 } from '../../src/node/index.js';
import { request } from '../_support/requests.js';
import { type Envelope, TestNetwork } from '../_support/testNetwork.js';

// Pipelining (config.pipeline = W): the primary proposes W blocks ahead, a backup PREPAREs a
// child only after its parent, a COMMIT at slot s only once the slots below s are prepared in
// the view, blocks execute in height order, and a view change carries and re-proposes every
// slot in flight.

const typeOf = (e: Envelope) => e.bytes[1];
const prePrepares = (net: TestNetwork) => net.queue.filter((e) => typeOf(e) === MessageType.PrePrepare && e.to === 1).map((e) => decodeMessage(e.bytes) as PrePrepare);

/** Four pipelined replicas (full blocks of 4 transactions) with 16 transactions of one sender submitted: 4 blocks' worth. */
function pipelined(pipeline: number, options = {}): TestNetwork {
  const net = new TestNetwork(4, { pipeline, batchTimeout: 1000, ...options });
  for (let s = 1; s <= 16; s++) net.submit(request('alice', s));
  return net;
}

describe('pipelining', () => {
  it('the primary proposes W blocks at once, each the child of the one before, before any commits', () => {
    const net = pipelined(4);
    const proposals = prePrepares(net);
    expect(proposals.map((p) => p.block.height)).toEqual([1, 2, 3, 4]);
    expect(net.heights()).toEqual([0, 0, 0, 0]);
    for (let i = 1; i < 4; i++) expect(proposals[i].block.parent).toEqual(blockHash(proposals[i - 1].block, nodeSha256));
    net.deliver();
    expect(net.heights()).toEqual([4, 4, 4, 4]);
    // One sender's 16 consecutive nonces, spread over four blocks in flight together.
    expect(net.commits[2].map((c) => c.block.txs.length)).toEqual([4, 4, 4, 4]);
    expect(net.commits[2].map((c) => c.height)).toEqual([1, 2, 3, 4]);
    net.checkAgreement();
  });

  it('with W = 1 the primary proposes one block and the next only after it commits', () => {
    const net = pipelined(1);
    expect(prePrepares(net).map((p) => p.block.height)).toEqual([1]);
    net.deliver();
    expect(net.heights()).toEqual([4, 4, 4, 4]);
  });

  it('a backup PREPAREs a child only once it PREPAREd its parent, whatever order the proposals arrive in', () => {
    const net = pipelined(2);
    const [first, second] = net.queue.filter((e) => typeOf(e) === MessageType.PrePrepare && e.to === 1);
    const early = net.replica(1).step({ type: 'message', bytes: second.bytes });
    expect(early.messages).toEqual([]);
    const both = net.replica(1).step({ type: 'message', bytes: first.bytes });
    const votes = both.messages.map((m) => decodeMessage(m.bytes)).filter((m) => m.kind === 'vote');
    expect(votes.map((v) => v.kind === 'vote' && [v.type, v.seq])).toEqual([
      [MessageType.Prepare, 1],
      [MessageType.Prepare, 2],
    ]);
  });

  it('refuses a child whose parent is not the block it PREPAREd one slot below (a primary proposing two chains)', () => {
    const net = pipelined(2);
    const [first] = prePrepares(net);
    const r = net.replica(1);
    r.step({ type: 'message', bytes: net.queue.find((e) => typeOf(e) === MessageType.PrePrepare && e.to === 1)?.bytes as Uint8Array });
    // A second chain's block at slot 2: valid transactions (nonces 5–8), another parent.
    const txs = [5, 6, 7, 8].map((s) => request('alice', s));
    const stray: Block = { height: 2, parent: new Uint8Array(32).fill(7), txRoot: defaultTxRoot()(txs), txs };
    const digest = blockHash(stray, nodeSha256);
    const frame = encodePrePrepare(0, signVote(net.signers[0], MessageType.Prepare, 0, 0, 2, digest), encodeBlock(stray));
    const out = r.step({ type: 'message', bytes: frame });
    expect(out.stats.dropped.invalid).toBe(1);
    expect(out.messages).toEqual([]);
    expect(first.block.height).toBe(1);
  });

  it('checks a child block\'s nonces against its ancestors in flight: a replay of the parent\'s transactions is the primary\'s fault', () => {
    const net = pipelined(2);
    const [first] = prePrepares(net);
    const r = net.replica(1);
    r.step({ type: 'message', bytes: net.queue.find((e) => typeOf(e) === MessageType.PrePrepare && e.to === 1)?.bytes as Uint8Array });
    const txs = first.block.txs; // nonces 1–4 again, at slot 2
    const replay: Block = { height: 2, parent: blockHash(first.block, nodeSha256), txRoot: defaultTxRoot()(txs), txs };
    const frame = encodePrePrepare(0, signVote(net.signers[0], MessageType.Prepare, 0, 0, 2, blockHash(replay, nodeSha256)), encodeBlock(replay));
    const out = r.step({ type: 'message', bytes: frame });
    expect(out.stats.dropped.invalid).toBe(1);
    expect(out.messages.some((m) => m.bytes[1] === MessageType.Prepare)).toBe(false);
    // A complaint about the primary follows: an invalid block is its doing.
    expect(out.messages.some((m) => m.bytes[1] === MessageType.Complaint)).toBe(true);
  });

  it('sends COMMIT for a slot only once every slot below it is prepared in the view', () => {
    const net = pipelined(2, { fastPath: false });
    // Replica 1 never sees the others' PREPAREs of slot 1, nor any COMMIT or TRANSFER: it prepares slot 2 alone.
    net.filter = (e) => !(e.to === 1 && (typeOf(e) === MessageType.Commit || typeOf(e) === MessageType.Transfer || (typeOf(e) === MessageType.Prepare && (decodeMessage(e.bytes) as { seq: number }).seq === 1)));
    const sent: Envelope[] = [];
    const apply = net.apply.bind(net);
    net.apply = (from, ready) => {
      if (from === 1) for (const m of ready.messages) sent.push({ from, to: -1, bytes: m.bytes });
      return apply(from, ready);
    };
    net.deliver();
    const votes = sent.filter((e) => typeOf(e) === MessageType.Prepare || typeOf(e) === MessageType.Commit).map((e) => decodeMessage(e.bytes) as { type: number; seq: number });
    expect(votes.map((v) => [v.type, v.seq])).toEqual([
      [MessageType.Prepare, 1],
      [MessageType.Prepare, 2],
    ]);
    // The others committed both blocks (replica 1's PREPAREs count for them), then two more.
    expect(net.heights()).toEqual([4, 0, 4, 4]);
  });

  it('a view change carries every slot in flight, and the next view re-proposes and commits the same blocks', () => {
    const net = pipelined(4, { fastPath: false, batchTimeout: 5 });
    const digests = prePrepares(net).map((p) => Buffer.from(blockHash(p.block, nodeSha256)).toString('hex'));
    // Every slot prepares in view 0; no COMMIT of view 0 arrives.
    net.filter = (e) => !(typeOf(e) === MessageType.Commit && e.bytes[4] === 0);
    net.deliver();
    expect(net.heights()).toEqual([0, 0, 0, 0]);
    net.crash(0);
    const viewChanges: ViewChange[] = [];
    const apply = net.apply.bind(net);
    net.apply = (from, ready) => {
      for (const m of ready.messages) if (typeOf({ from, to: 0, bytes: m.bytes }) === MessageType.ViewChange) viewChanges.push(decodeMessage(m.bytes) as ViewChange);
      return apply(from, ready);
    };
    net.run(3000);
    const vc = viewChanges.find((v) => v.sender === 2) as ViewChange;
    expect(vc.committed.height).toBe(0);
    expect([vc, ...vc.ahead].map((s) => s.prepared[0]?.seq)).toEqual([1, 2, 3, 4]);
    expect(vc.blocks.length).toBe(4);
    for (const i of [1, 2, 3]) {
      expect(net.replica(i).status().view).toBe(1);
      expect(net.replica(i).status().height).toBeGreaterThanOrEqual(4);
      expect(net.commits[i].slice(0, 4).map((c) => Buffer.from(c.hash).toString('hex'))).toEqual(digests);
    }
    net.checkAgreement();
  });

  it('a replica below the new view\'s base re-runs the base\'s ancestors in the new view when no peer sends it the blocks', () => {
    const net = pipelined(2, { fastPath: false, batchTimeout: 5 });
    // Only replica 3 gets COMMITs in view 0: it alone commits blocks 1 and 2, the others only prepare them.
    net.filter = (e) => !(typeOf(e) === MessageType.Commit && e.to !== 3);
    net.deliver();
    expect(net.heights()).toEqual([0, 0, 0, 2]);
    net.crash(0);
    // Replica 3 serves no blocks: the others must order blocks 1 and 2 again in view 1.
    net.filter = (e) => !(e.from === 3 && typeOf(e) === MessageType.Transfer);
    net.run(3000);
    for (const i of [1, 2]) {
      expect(net.replica(i).status().view).toBe(1);
      expect(net.replica(i).status().height).toBeGreaterThanOrEqual(2);
      expect(net.commits[i].slice(0, 2).map((c) => [c.height, c.view])).toEqual([
        [1, 1],
        [2, 1],
      ]);
    }
    net.checkAgreement();
  });

  it('a new primary re-proposing blocks whose transactions its pool never had still proposes what its pool holds after them', () => {
    const net = new TestNetwork(4, { pipeline: 3, batchTimeout: 1000, fastPath: false });
    // Alice's eight transactions reach only the primary of view 0; it proposes blocks 1 and 2, which prepare but do not commit.
    for (let s = 1; s <= 8; s++) net.step(0, { type: 'request', request: request('alice', s) });
    net.filter = (e) => !(typeOf(e) === MessageType.Commit && e.bytes[4] === 0);
    net.deliver();
    expect(net.heights()).toEqual([0, 0, 0, 0]);
    // Bob's four reach everyone but the primary; it crashes.
    net.crash(0);
    for (let s = 1; s <= 4; s++) for (const i of [1, 2, 3]) net.step(i, { type: 'request', request: request('bob', s) });
    const proposed: { height: number; committedBefore: number }[] = [];
    const apply = net.apply.bind(net);
    net.apply = (from, ready) => {
      for (const m of ready.messages) if (from === 1 && m.bytes[1] === MessageType.PrePrepare) proposed.push({ height: (decodeMessage(m.bytes) as PrePrepare).block.height, committedBefore: net.commits[1].length });
      return apply(from, ready);
    };
    net.run(3000);
    // Block 3 (Bob's) goes out with the re-proposed blocks 1 and 2, before replica 1 commits either.
    expect(proposed.find((p) => p.height === 3)).toEqual({ height: 3, committedBefore: 0 });
    expect(net.replica(1).status().height).toBe(3);
    net.checkAgreement();
  });

  it('persists its votes in every slot, and after a restart keeps them: the same PREPAREs, never others', () => {
    const net = pipelined(3);
    // Replica 1 PREPAREs all three blocks, then crashes before any commit.
    for (const e of net.queue.filter((x) => typeOf(x) === MessageType.PrePrepare && x.to === 1)) net.step(1, { type: 'message', bytes: e.bytes });
    const hard = net.durable(1).hardState;
    expect(hard?.latest && decodeMessage(hard.latest)).toMatchObject({ seq: 1 });
    expect(hard?.ahead?.map((s) => s.latest && (decodeMessage(s.latest) as { seq: number }).seq)).toEqual([2, 3]);
    expect(net.durable(1).votedBlocks.length).toBe(3);
    net.crash(1);
    net.restart(1);
    const restarted = net.replica(1);
    // The same proposals again: nothing new to vote for (its votes are held), no second PREPARE.
    const again = prePrepares(net).map((p) => restarted.step({ type: 'message', bytes: encodePrePrepare(0, signVote(net.signers[0], MessageType.Prepare, 0, 0, p.block.height, blockHash(p.block, nodeSha256)), encodeBlock(p.block)) }));
    expect(again.flatMap((o) => o.messages).filter((m) => m.bytes[1] === MessageType.Prepare)).toEqual([]);
    net.queue = net.queue.filter((e) => e.to !== 1 && e.from !== 1);
    net.deliver();
    net.run(500);
    expect(net.heights().every((h) => h >= 3)).toBe(true);
    net.checkAgreement();
  });

  it('refuses a pipeline depth outside 1 … min(64, 2 × checkpointInterval)', () => {
    const config = new TestNetwork(4).config(0);
    expect(() => new Replica({ ...config, pipeline: 0 })).toThrow(/Replica: config\.pipeline must be an integer in \[1, 8\], got 0/);
    expect(() => new Replica({ ...config, pipeline: 9 })).toThrow(RangeError);
    expect(() => new Replica({ ...config, checkpointInterval: 64, pipeline: 65 })).toThrow(/\[1, 64\]/);
    expect(() => new Replica({ ...config, pipeline: 1.5 })).toThrow(RangeError);
    expect(() => new Replica({ ...config, pipeline: '2' as unknown as number })).toThrow(TypeError);
    expect(new Replica({ ...config, pipeline: 8 }).status().height).toBe(0);
  });

  it('drops a VIEW-CHANGE reporting more slots than the pipeline depth, before verifying it', () => {
    const deep = pipelined(4, { fastPath: false });
    deep.filter = (e) => !(typeOf(e) === MessageType.Commit);
    deep.deliver();
    deep.crash(0);
    let frame: Uint8Array | null = null;
    const apply = deep.apply.bind(deep);
    deep.apply = (from, ready) => {
      for (const m of ready.messages) if (m.bytes[1] === MessageType.ViewChange && from === 2) frame = m.bytes;
      return apply(from, ready);
    };
    deep.run(3000);
    expect(frame).not.toBeNull();
    // A replica of a network with W = 2 (same keys): four slots are more than it allows.
    const shallow = new TestNetwork(4, { pipeline: 2 });
    const out = shallow.replica(1).step({ type: 'message', bytes: frame as unknown as Uint8Array });
    expect(out.stats.dropped.malformed + out.stats.dropped.invalid).toBe(1);
    expect(out.stats.verified).toBe(0);
  });
});
