import { describe, expect, it } from 'vitest';
import { type Block, blockHash, decodeDurable, decodeMessage, defaultTxRoot, encodeBlock, isValidViewChange, MessageType, persistOps, quorums, sameSlotReports, signViewChange, signVote, type ViewChange } from '../../src/consensus/index.js';
import { signedParts } from '../../src/consensus/signedParts.js';
import { nodeSha256 } from '../../src/node/index.js';
import { MemoryStorage } from '../../src/storage/index.js';
import { request } from '../_support/requests.js';
import { testSigners } from '../_support/testNetwork.js';

// The pipelined parts of the wire and the disk: a VIEW-CHANGE's reports for the slots after the
// first, the hard state's votes in them, and the equivocation check over every slot.

const signers = testSigners(4);
const q = quorums(4);
const txRoot = defaultTxRoot();
const genesis = new Uint8Array(32).fill(1);
const start = { height: 0, hash: genesis };

function chain(length: number, tag: string): Block[] {
  const blocks: Block[] = [];
  let parent: Uint8Array = genesis;
  for (let height = 1; height <= length; height++) {
    const txs = [request(tag, height)];
    const b = { height, parent, txRoot: txRoot(txs), txs };
    blocks.push(b);
    parent = blockHash(b, nodeSha256);
  }
  return blocks;
}

const digest = (b: Block) => blockHash(b, nodeSha256);
const prepare = (i: number, view: number, b: Block) => signVote(signers[i], MessageType.Prepare, i, view, b.height, digest(b));
const cert = (view: number, b: Block) => [0, 1, 2].map((i) => prepare(i, view, b));

/** Replica 3's VIEW-CHANGE for view 1 at height 0, with votes in `slots` slots of `blocks`. */
function viewChange(blocks: Block[], slots: number, latestView = 0): Uint8Array {
  const reports = blocks.slice(0, slots).map((b) => ({ prepared: cert(0, b), latest: prepare(3, latestView, b) }));
  return signViewChange(signers[3], 3, {
    newView: 1,
    committed: { height: 0, hash: genesis, cert: [] },
    prepared: reports[0].prepared,
    latest: reports[0].latest,
    ahead: reports.slice(1),
    blocks: blocks.slice(0, slots).map(encodeBlock),
  });
}

describe('pipelined VIEW-CHANGE frames', () => {
  it('carry the slots after the first, decode them, and expose every vote to the signature batch', () => {
    const blocks = chain(3, 'a');
    const vc = decodeMessage(viewChange(blocks, 3)) as ViewChange;
    expect(vc.ahead.map((s) => [s.prepared[0].seq, s.latest?.seq])).toEqual([
      [2, 2],
      [3, 3],
    ]);
    // Itself, then per slot 3 certificate votes and the latest vote.
    expect(signedParts(vc).length).toBe(1 + 3 * 4);
    expect(isValidViewChange(vc, q, start, nodeSha256, txRoot, 3)).toBe(true);
    expect(isValidViewChange(vc, q, start, nodeSha256, txRoot, 2)).toBe(false);
  });

  it('a one-slot frame is byte for byte what it was before pipelining', () => {
    const [b] = chain(1, 'a');
    const fields = { newView: 1, committed: { height: 0, hash: genesis, cert: [] }, prepared: cert(0, b), latest: prepare(3, 0, b), blocks: [encodeBlock(b)] };
    const withEmpty = signViewChange(signers[3], 3, { ...fields, ahead: [] });
    expect(withEmpty).toEqual(signViewChange(signers[3], 3, fields));
    expect((decodeMessage(withEmpty) as ViewChange).ahead).toEqual([]);
  });

  it('are refused when a slot report is for another slot, names a block it does not carry, or the last slot is empty', () => {
    const blocks = chain(2, 'a');
    const base = { newView: 1, committed: { height: 0, hash: genesis, cert: [] }, prepared: cert(0, blocks[0]), latest: prepare(3, 0, blocks[0]) };
    const valid = (f: Parameters<typeof signViewChange>[2]) => isValidViewChange(decodeMessage(signViewChange(signers[3], 3, f)) as ViewChange, q, start, nodeSha256, txRoot, 4);
    expect(valid({ ...base, ahead: [{ prepared: cert(0, blocks[1]), latest: null }], blocks: blocks.map(encodeBlock) })).toBe(true);
    // Slot 2's report placed as slot 3's.
    expect(valid({ ...base, ahead: [{ prepared: [], latest: null }, { prepared: cert(0, blocks[1]), latest: null }], blocks: blocks.map(encodeBlock) })).toBe(false);
    // Slot 2's block not carried.
    expect(valid({ ...base, ahead: [{ prepared: cert(0, blocks[1]), latest: null }], blocks: [encodeBlock(blocks[0])] })).toBe(false);
    // A trailing slot without votes.
    expect(valid({ ...base, ahead: [{ prepared: [], latest: null }], blocks: [encodeBlock(blocks[0])] })).toBe(false);
    // Another replica's PREPARE as its own latest vote in slot 2.
    expect(valid({ ...base, ahead: [{ prepared: [], latest: prepare(0, 0, blocks[1]) }], blocks: blocks.map(encodeBlock) })).toBe(false);
  });

  it('two VIEW-CHANGEs of one replica at one height that differ only in a later slot are equivocation', () => {
    const a = chain(2, 'a');
    const held = decodeMessage(viewChange(a, 2)) as ViewChange;
    const other = decodeMessage(viewChange(a, 2, 0)) as ViewChange;
    expect(sameSlotReports(held, other)).toBe(true);
    const b = [a[0], chain(2, 'b')[1]];
    b[1] = { ...b[1], parent: digest(a[0]) };
    const lying = decodeMessage(viewChange(b, 2)) as ViewChange;
    expect(sameSlotReports(held, lying)).toBe(false);
    const shorter = decodeMessage(viewChange(a, 1)) as ViewChange;
    expect(sameSlotReports(held, shorter)).toBe(false);
  });
});

describe('pipelined hard state', () => {
  it('round-trips the votes of every slot and keeps the bodies they name twice', () => {
    const blocks = chain(3, 'a');
    const slot = (b: Block) => ({ latest: prepare(0, 0, b), prepared: cert(0, b) });
    const hardState = { seq: 1, view: 0, inViewChange: false, committed: { height: 0, hash: genesis, cert: [] }, ...slot(blocks[0]), ahead: [slot(blocks[1]), slot(blocks[2])] };
    const bodies = blocks.map((b) => ({ digest: digest(b), block: b }));
    const s = new MemoryStorage();
    void s.write(persistOps({ blocks: bodies, votedBlocks: bodies, entries: [], hardState, dropEntries: [], dropBlocks: [] }));
    const d = decodeDurable(s.records());
    expect(d.hardState).toEqual(hardState);
    expect(d.votedBlocks.map((b) => b.height).sort()).toEqual([1, 2, 3]);
    // A one-slot hard state reads back without `ahead`, as it was written before pipelining.
    const one = new MemoryStorage();
    const { ahead: _ahead, ...single } = hardState;
    void one.write(persistOps({ blocks: bodies.slice(0, 1), votedBlocks: bodies.slice(0, 1), entries: [], hardState: single, dropEntries: [], dropBlocks: [] }));
    expect(decodeDurable(one.records()).hardState).toEqual(single);
  });
});
