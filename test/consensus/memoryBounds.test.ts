import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  type Block,
  blockHash,
  defaultTxRoot,
  encodeBlock,
  encodePrePrepare,
  MessageType,
  type Replica,
  signFetch,
  signNewView,
  signViewChange,
  signVote,
} from '../../src/consensus/index.js';
import { VIEWS_PER_SLOT } from '../../src/consensus/voteStore.js';
import { nodeSha256 } from '../../src/node/index.js';
import { request } from '../_support/requests.js';
import { TestNetwork } from '../_support/testNetwork.js';

// docs/consensus.md, "Memory bounds": one Byzantine validator (3) floods replica 1 with every kind
// of frame it may sign, and with client requests; what replica 1 holds stays under the formula.

const n = 4;
const K = 4;
const W = 2 * K;
const BATCH = 4;
const MAX_PENDING_BYTES = 64 * 1024;
const FETCH_ANSWERS = Math.ceil(W / 16) + 1;

/**
 * The documented bound on each count, for what one sender can make a replica hold (the other
 * validators stay silent here): n times this, for all of them.
 */
const bound = {
  votes: 2 * W * VIEWS_PER_SLOT,
  checkpointVotes: W / K + 1,
  viewChanges: 2,
  proposals: W,
  pendingBytes: MAX_PENDING_BYTES,
  served: n - 1,
};

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

function inBatches(r: Replica, frames: Uint8Array[]): { transfers: number; dropped: number } {
  let transfers = 0;
  let dropped = 0;
  for (let i = 0; i < frames.length; i += 256) {
    const out = r.step({ type: 'messages', messages: frames.slice(i, i + 256) });
    transfers += out.messages.filter((m) => m.bytes[1] === MessageType.Transfer).length;
    dropped += Object.values(out.stats.dropped).reduce((a, b) => a + b, 0);
  }
  return { transfers, dropped };
}

function expectWithinBound(r: Replica): void {
  const held = r.held();
  expect(held.votes).toBeLessThanOrEqual(bound.votes);
  expect(held.checkpointVotes).toBeLessThanOrEqual(bound.checkpointVotes);
  expect(held.viewChanges).toBeLessThanOrEqual(bound.viewChanges);
  expect(held.proposals).toBeLessThanOrEqual(bound.proposals);
  expect(held.pendingBytes).toBeLessThanOrEqual(bound.pendingBytes);
  expect(held.served).toBeLessThanOrEqual(bound.served);
}

/** Every kind of frame validator 3 may sign, many times over; replica 1 is in view 7, whose primary is 3. */
function floodFrames(net: TestNetwork): Uint8Array[] {
  const s3 = net.signers[3];
  const genesis = net.replica(1).genesisHash();
  const txRoot = defaultTxRoot();
  const digest = (seq: number) => new Uint8Array(32).fill(seq & 0xff);
  const frames: Uint8Array[] = [];
  // PREPAREs and COMMITs across 40 views and 30 seqs.
  for (let view = 0; view < 40; view++) {
    for (let seq = 1; seq <= 30; seq++) {
      frames.push(signVote(s3, MessageType.Prepare, 3, view, seq, digest(seq)));
      frames.push(signVote(s3, MessageType.Commit, 3, view, seq, digest(seq)));
    }
  }
  // CHECKPOINT votes at every seq, in view 0 and in view 1.
  for (let seq = 1; seq <= 300; seq++) frames.push(signVote(s3, MessageType.Checkpoint, 3, seq % 2, seq, digest(seq)));
  // VIEW-CHANGEs for ascending, then descending views.
  for (let view = 8; view <= 200; view++) frames.push(viewChange(net, 3, view));
  for (let view = 400; view > 200; view--) frames.push(viewChange(net, 3, view));
  // PRE-PREPAREs of its own view at every seq of the window and beyond, and of views beyond reach.
  for (const view of [7, 11, 15, 19, 103]) {
    for (let seq = 2; seq <= 20; seq++) {
      const txs = [request(`pp-${seq}`, 1)];
      const block: Block = { height: seq, parent: seq === 1 ? genesis : digest(seq - 1), txRoot: txRoot(txs), txs };
      frames.push(encodePrePrepare(3, signVote(s3, MessageType.Prepare, 3, view, seq, blockHash(block, nodeSha256)), encodeBlock(block)));
    }
  }
  return frames;
}

function viewChange(net: TestNetwork, sender: number, newView: number): Uint8Array {
  const committed = { height: 0, hash: net.replica(1).genesisHash(), cert: [] };
  return signViewChange(net.signers[sender], sender, { newView, committed, prepared: [], latest: null, blocks: [] });
}

describe('memory bound under a flood from one Byzantine validator', () => {
  it('holds at most the documented counts of each kind, and answers FETCHes at the documented rate', () => {
    const net = new TestNetwork(n, { checkpointInterval: K, batchSize: BATCH, maxPendingBytes: MAX_PENDING_BYTES });
    const victim = net.replica(1);
    // Into view 7, whose primary is the Byzantine 3: votes of views 0..11 are then all in reach.
    victim.step({ type: 'message', bytes: signNewView(net.signers[3], 3, 7, [viewChange(net, 3, 7), viewChange(net, 0, 7), viewChange(net, 2, 7)]) });
    expect(victim.status()).toMatchObject({ view: 7, inViewChange: false });
    const heapBefore = heapAfterGc();

    const flood = inBatches(victim, floodFrames(net));
    expect(flood.dropped).toBeGreaterThan(2500);
    expectWithinBound(victim);

    // Requests from many clients, past the pool's byte bound.
    const admitted = victim.step({ type: 'requests', requests: Array.from({ length: 1500 }, (_, i) => request(`client-${i}`, 1)) });
    expect(admitted.stats.dropped.poolFull).toBeGreaterThan(0);
    expectWithinBound(victim);

    // FETCHes alternating `from`, over 10 retransmission intervals.
    let transfers = 0;
    for (let interval = 0; interval < 10; interval++) {
      victim.step({ type: 'tick', now: (interval + 1) * 100 });
      const answered = inBatches(victim, Array.from({ length: 100 }, (_, i) => signFetch(net.signers[3], 3, 1 + (i % 2), 0))).transfers;
      expect(answered).toBeLessThanOrEqual(FETCH_ANSWERS);
      transfers += answered;
    }
    expect(transfers).toBeGreaterThan(0);
    expect(victim.status().totals.dropped.rateLimited).toBeGreaterThan(0);
    expectWithinBound(victim);

    // What it holds, as heap: the pool's bytes plus a generous allowance per held frame and per
    // verified transaction id (the admission cache), and 4 MiB for the rest.
    const held = victim.held();
    const allowance = held.pendingBytes * 4 + (held.votes + held.checkpointVotes + held.viewChanges + held.proposals + held.pending + 1500) * 2048 + 4 * 1024 * 1024;
    const grown = heapAfterGc() - heapBefore;
    console.log(`flood: held ${JSON.stringify(held)}; heap grew ${(grown / 1024).toFixed(0)} KiB (allowed ${(allowance / 1024).toFixed(0)} KiB)`);
    expect(grown).toBeLessThan(allowance);
  });
});
