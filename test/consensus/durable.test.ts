import { describe, expect, it } from 'vitest';
import {
  blockHash,
  decodeDurable,
  decodeMessage,
  type DurableState,
  loadDurable,
  MessageType,
  otherCopy,
  type PersistBatch,
  persistOps,
  signNewView,
  signViewChange,
  signVote,
} from '../../src/consensus/index.js';
import { nodeSha256 } from '../../src/node/index.js';
import { MemoryStorage } from '../../src/storage/index.js';
import { request } from '../_support/requests.js';
import { TestNetwork, testSigners } from '../_support/testNetwork.js';
import { corruptionOf } from '../_support/corruption.js';
import { expectRefusals, expectRejection } from '../_support/refusals.js';

const signers = testSigners(4);
const txRoot = () => new Uint8Array(32).fill(9);

function block(height: number, txs: Uint8Array[]) {
  const b = { height, parent: new Uint8Array(32).fill(height), txRoot: txRoot(), txs };
  return { block: b, digest: blockHash(b, nodeSha256) };
}

/** A batch with every kind of record: bodies, log entries, hard state, NEW-VIEW, checkpoint. */
function fullBatch(): { batch: PersistBatch; expected: DurableState } {
  const b5 = block(5, [request('a', 1), request('a', 2)]);
  const b6 = block(6, [request('b', 1)]);
  const b7 = block(7, []);
  const prepare = (i: number) => signVote(signers[i], MessageType.Prepare, i, 2, 7, b7.digest);
  const commit = (i: number) => signVote(signers[i], MessageType.Commit, i, 1, 5, b5.digest);
  const hardState = { seq: 1, view: 2, inViewChange: false, committed: { height: 6, hash: b6.digest, cert: [commit(3)] }, latest: prepare(0), prepared: [prepare(0), prepare(1), prepare(2)] };
  const checkpoint = { seq: 4, blockHash: new Uint8Array(32).fill(4), snapshot: new Uint8Array([1, 2, 3]), cert: [commit(1)], blockCert: [commit(2), commit(3)] };
  const newView = signNewView(signers[2], 2, 2, []);
  const entry5 = { height: 5, digest: b5.digest, view: 1, cert: [commit(0), commit(1), commit(2)], via: 'slow' as const };
  const entry6 = { height: 6, digest: b6.digest, view: 1, cert: [commit(3)], via: 'transfer' as const };
  const batch: PersistBatch = { blocks: [b5, b6, b7], votedBlocks: [b7], entries: [entry5, entry6], hardState, newView, checkpoint, dropEntries: [], dropBlocks: [] };
  const expected: DurableState = {
    hardState,
    newView,
    previousViewChange: null,
    checkpoint,
    start: null,
    blocks: [
      { height: 5, hash: b5.digest, view: 1, block: b5.block, cert: entry5.cert, via: 'slow' },
      { height: 6, hash: b6.digest, view: 1, block: b6.block, cert: entry6.cert, via: 'transfer' },
    ],
    votedBlocks: [b7.block],
    discarded: [],
  };
  return { batch, expected };
}

function stored(batch: PersistBatch): MemoryStorage {
  const s = new MemoryStorage();
  void s.write(persistOps(batch));
  return s;
}

/** A 4-replica network that commits and checkpoints, plus a view change (so every record kind exists). */
function busyNetwork(): TestNetwork {
  const net = new TestNetwork(4, { batchSize: 1, checkpointInterval: 2 });
  for (let s = 1; s <= 5; s++) {
    net.submit(request('c', s));
    net.deliver();
  }
  net.isolate(0);
  net.submit(request('c', 6));
  net.run(3000);
  net.heal();
  net.run(500);
  net.submit(request('c', 7));
  net.deliver();
  net.run(100);
  expect(net.heights().slice(1)).toEqual([7, 7, 7]);
  return net;
}

describe('durable state records', () => {
  it('round-trips every record kind through persistOps, a MemoryStorage and decodeDurable', async () => {
    const { batch, expected } = fullBatch();
    const s = stored(batch);
    expect(s.records().map(([k]) => k.split('/')[0])).toEqual(['block', 'block', 'block', 'checkpoint', 'entry', 'entry', 'hard', 'hard', 'newview', 'newview', 'voted']);
    const kind = (key: string) => (/^(hard|newview)\//.test(key) ? key : key.split('/')[0]);
    expect(persistOps(batch).map((op) => kind(op.key))).toEqual(['block', 'block', 'block', 'entry', 'entry', 'newview/a', 'hard/a', 'voted', 'newview/b', 'hard/b', 'checkpoint']);
    expect(decodeDurable(s.records())).toEqual(expected);
    expect(await loadDurable(s)).toEqual(expected);
    expect(decodeMessage(expected.newView as Uint8Array).kind).toBe('newview');
  });

  it('deletes entries and bodies the batch drops, in the same write', () => {
    const { batch } = fullBatch();
    const s = stored(batch);
    const checkpoint = { ...(batch.checkpoint as NonNullable<PersistBatch['checkpoint']>), seq: 5 };
    void s.write(persistOps({ blocks: [], entries: [], checkpoint, dropEntries: [5], dropBlocks: [batch.blocks[0].digest] }));
    const d = decodeDurable(s.records());
    expect(d.blocks.map((b) => b.height)).toEqual([6]);
    expect(s.records().filter(([k]) => k.startsWith('block/')).length).toBe(2);
  });

  it('keeps the hard state small however large the blocks: bodies are stored once, by digest', () => {
    const net = new TestNetwork(4, { batchSize: 1000, batchTimeout: 10_000, fastPath: false });
    const payload = 'x'.repeat(200);
    // No COMMIT gets through: every replica prepares the 1,000-tx block and stops there.
    net.filter = (e) => e.bytes[1] !== MessageType.Commit;
    for (let s = 1; s <= 1000; s++) net.submit(request(`client-${s}`, 1, 'k', payload));
    net.deliver();
    for (let i = 0; i < 4; i++) {
      const disk = net.disks[i];
      const bodies = disk.records({ gte: 'block/', lt: 'block0' });
      expect(bodies.length).toBe(1);
      expect(bodies[0][1].length).toBeGreaterThan(200_000);
      expect((disk.peek('hard/a') as Uint8Array).length).toBeLessThan(1024);
      // Both copies hold the same payload (their checksums differ: they cover the key).
      expect(disk.peek('hard/b')?.subarray(0, -4)).toEqual(disk.peek('hard/a')?.subarray(0, -4));
      // The voted body's second copy: written once, when the vote first names it.
      expect(disk.records({ gte: 'voted/', lt: 'voted0' }).map(([k]) => k.slice(6))).toEqual(bodies.map(([k]) => k.slice(6)));
      expect(net.durable(i).hardState?.prepared.length).toBe(3);
    }
    net.heal();
    net.run(300);
    expect(net.heights()).toEqual([1, 1, 1, 1]);
    for (let i = 0; i < 4; i++) {
      const disk = net.disks[i];
      expect(disk.records({ gte: 'block/', lt: 'block0' }).length).toBe(1);
      expect(disk.records({ gte: 'voted/', lt: 'voted0' })).toEqual([]);
      expect((disk.peek('entry/0000000000000001') as Uint8Array).length).toBeLessThan(1024);
    }
  });

  it('stores exactly the bodies that the log and the hard state name, and no entry at or below the checkpoint', () => {
    const net = busyNetwork();
    let sawNewView = false;
    for (let i = 0; i < 4; i++) {
      const d = net.durable(i);
      sawNewView ||= d.newView !== null;
      const base = d.checkpoint?.seq ?? 0;
      expect(base).toBeGreaterThan(0);
      expect(d.blocks.every((b) => b.height > base)).toBe(true);
      const named = new Set([...d.blocks.map((b) => b.hash), ...d.votedBlocks.map((b) => blockHash(b, nodeSha256))].map((h) => Buffer.from(h).toString('hex')));
      const keys = net.disks[i].records({ gte: 'block/', lt: 'block0' }).map(([k]) => k.slice('block/'.length));
      expect(new Set(keys)).toEqual(named);
      const voted = net.disks[i].records({ gte: 'voted/', lt: 'voted0' }).map(([k]) => k.slice('voted/'.length));
      expect(new Set(voted)).toEqual(new Set(d.votedBlocks.map((b) => Buffer.from(blockHash(b, nodeSha256)).toString('hex'))));
    }
    expect(sawNewView).toBe(true);
  });

  it('keeps the VIEW-CHANGE of a view left without installing while the hard state is still in the view change after it', () => {
    const { batch } = fullBatch();
    const genesis = new Uint8Array(32);
    const left = signViewChange(signers[0], 0, { newView: 2, committed: { height: 0, hash: genesis, cert: [] }, prepared: [], latest: null, blocks: [] });
    const inViewChange = { ...(batch.hardState as NonNullable<PersistBatch['hardState']>), view: 3, inViewChange: true };
    const s = stored({ ...batch, hardState: inViewChange, previousViewChange: left });
    expect(decodeDurable(s.records()).previousViewChange).toEqual(left);
    // Once the view installs, the record is deleted; a stale one (not below the hard state's view) is left over.
    void s.write(persistOps({ blocks: [], entries: [], dropEntries: [], dropBlocks: [], previousViewChange: null }));
    expect(s.peek('viewchange')).toBeUndefined();
    const stale = stored({ ...batch, previousViewChange: left });
    expect(decodeDurable(stale.records())).toMatchObject({ previousViewChange: null, discarded: ['viewchange'] });
    // It serves liveness only: a damaged copy is dropped, not fatal.
    const damaged = stored({ ...batch, hardState: inViewChange, previousViewChange: left });
    damaged.flipBit('viewchange', 40);
    expect(decodeDurable(damaged.records())).toMatchObject({ previousViewChange: null, discarded: ['viewchange'] });
  });

  it('names the other copy of each record kept twice', () => {
    const hex = 'ab'.repeat(32);
    expect([otherCopy('hard/a'), otherCopy('hard/b'), otherCopy('newview/a'), otherCopy('newview/b')]).toEqual(['hard/b', 'hard/a', 'newview/b', 'newview/a']);
    expect([otherCopy(`block/${hex}`), otherCopy(`voted/${hex}`)]).toEqual([`voted/${hex}`, `block/${hex}`]);
    expect([otherCopy('checkpoint'), otherCopy('entry/0000000000000001')]).toEqual([null, null]);
  });

  it('refuses a record that is not a replica\'s', () => {
    const foreign = stored(fullBatch().batch);
    void foreign.write([{ type: 'put', key: 'other', value: new Uint8Array(8) }]);
    expect(corruptionOf(foreign.records()).key).toBe('other');
  });

  it('a primary restarted after proposing re-sends the same block (its body restored by digest)', () => {
    const net = new TestNetwork(4, { batchSize: 2, batchTimeout: 0 });
    net.submit(request('p', 1));
    net.submit(request('p', 2));
    const proposal = net.queue.find((e) => e.from === 0 && e.bytes[1] === MessageType.PrePrepare)?.bytes;
    expect(proposal).toBeInstanceOf(Uint8Array);
    net.queue = [];
    net.crash(0);
    net.restart(0);
    expect(net.durable(0).votedBlocks.length).toBe(1);
    net.step(0, { type: 'tick', now: 1 });
    const again = net.queue.find((e) => e.from === 0 && e.bytes[1] === MessageType.PrePrepare)?.bytes as Uint8Array;
    expect(again).toEqual(proposal);
    net.deliver();
    expect(net.heights()).toEqual([1, 1, 1, 1]);
    // The restarted primary lost its pool; the backups pass the transaction still waiting on to it.
    net.run(300);
    expect(net.heights()).toEqual([2, 2, 2, 2]);
    net.checkAgreement();
  });

  it('refuses arguments of the wrong shape, naming the function and the argument', async () => {
    expectRefusals([
      ['batch', () => persistOps(null as never), 'type', 'persistOps', 'batch', 'got null'],
      ['records', () => decodeDurable(5 as never), 'type', 'decodeDurable', 'records', 'iterable'],
      ['a record', () => decodeDurable(['hard/a'] as never), 'type', 'decodeDurable', 'records[0]', 'array'],
      ['a key', () => decodeDurable([[7, new Uint8Array(5)]] as never), 'type', 'decodeDurable', 'records[0][0]', 'string'],
      ['a value', () => decodeDurable([['hard/a', 'x']] as never), 'type', 'decodeDurable', 'records[0][1]', 'Uint8Array'],
    ]);
    await expectRejection(() => loadDurable(null as never), 'type', 'loadDurable', 'store');
  });
});
