import { describe, expect, it } from 'vitest';
import {
  blockHash,
  CorruptStateError,
  decodeDurable,
  decodeMessage,
  defaultTxRoot,
  encodeBlock,
  encodePrePrepare,
  MessageType,
  persistOps,
  type RecordOp,
  signFetch,
  signTransfer,
  Replica,
  signVote,
} from '../../src/consensus/index.js';
import { nodeSha256 } from '../../src/node/index.js';
import { InvariantChecker, KeyValueStore } from '../../src/sim/index.js';
import { MemoryStorage } from '../../src/storage/index.js';
import { Rng, testSeed } from '../_support/seed.js';
import { request } from '../_support/requests.js';
import { TestNetwork } from '../_support/testNetwork.js';
import { corruptionOf } from '../_support/corruption.js';

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


/** A store's records as a fresh MemoryStorage (so a test can damage a copy). */
function copyOf(records: [string, Uint8Array][]): MemoryStorage {
  const s = new MemoryStorage();
  void s.write(records.map(([key, value]) => ({ type: 'put' as const, key, value })));
  return s;
}

/**
 * Four replicas that committed 1–8 with checkpoints every 3 and a view change (view 1), then
 * prepared block 9 without committing it (replica 0 cut off, COMMITs lost): replica 2's store
 * holds every record kind, the voted body's second copy included.
 */
function preparedNetwork(): TestNetwork {
  const net = new TestNetwork(4, { batchSize: 1, checkpointInterval: 3 });
  commitSequentially(net, 'c', 1, 5);
  net.isolate(0);
  net.submit(request('c', 6));
  net.run(3000);
  net.heal();
  net.run(500);
  commitSequentially(net, 'c', 7, 8);
  expect(net.heights().slice(1)).toEqual([8, 8, 8]);
  net.isolate(0);
  net.filter = (e) => e.bytes[1] !== MessageType.Commit;
  net.submit(request('c', 9));
  net.deliver();
  expect(net.heights().slice(1)).toEqual([8, 8, 8]);
  expect(net.durable(2).hardState?.prepared.length).toBe(3);
  expect(new Set(net.disks[2].records().map(([k]) => k.split('/')[0]))).toEqual(new Set(['block', 'checkpoint', 'entry', 'hard', 'newview', 'voted']));
  return net;
}

/** Replica `i` restarts from `records` (its disk replaced), the network heals, and it catches up and agrees. */
function restartsAndAgrees(net: TestNetwork, i: number, records: [string, Uint8Array][]): void {
  net.crash(i);
  net.disks[i] = copyOf(records);
  net.restart(i);
  net.heal();
  commitSequentially(net, 'd', 1, 3);
  net.run(1000);
  expect(net.heights()[i]).toBe(Math.max(...net.heights()));
  expect(net.heights()[i]).toBeGreaterThanOrEqual(10);
  net.checkAgreement();
  expect(net.apps[i].snapshot()).toEqual(net.apps[(i + 1) % 4].snapshot());
}

describe('recovery from a damaged disk', () => {
  it('a flipped bit in any record is detected and handled by that record kind\'s rule', () => {
    const rng = new Rng(testSeed('recovery bit flips'));
    const records = preparedNetwork().disks[2].records();
    const before = decodeDurable(records);
    const base = before.checkpoint?.seq as number;
    const entryOf = new Map(before.blocks.map((b) => [Buffer.from(b.hash).toString('hex'), b.height]));
    for (const [key, value] of records) {
      const damaged = copyOf(records);
      damaged.flipBit(key, rng.int(value.length * 8));
      const d = decodeDurable(damaged.records());
      const kind = key.split('/')[0];
      const bodyOf = entryOf.get(key.slice(6));
      if (kind === 'hard' || kind === 'newview' || kind === 'voted' || (kind === 'block' && bodyOf === undefined)) {
        // Kept twice: the other copy stands in.
        expect({ ...d, discarded: [] }).toEqual({ ...before, discarded: [] });
      } else if (kind === 'checkpoint') {
        expect(d.checkpoint).toBeNull();
        expect(d.blocks).toEqual([]);
        expect(d.discarded).toContain('checkpoint');
      } else {
        // A log entry or its body: the log is cut below it.
        const height = kind === 'entry' ? Number(key.slice(6)) : (bodyOf as number);
        expect(d.blocks.map((b) => b.height)).toEqual(before.blocks.map((b) => b.height).filter((h) => h < height));
        expect(height).toBeGreaterThan(base);
        expect(d.discarded).toContain(`entry/${String(height).padStart(16, '0')}`);
      }
      expect(d.hardState).toEqual(before.hardState);
    }
  });

  for (const kind of ['hard/a', 'hard/b', 'newview/b', 'voted/', 'checkpoint', 'entry/', 'block/']) {
    it(`a replica restarted with a damaged ${kind} record catches up and agrees`, () => {
      const net = preparedNetwork();
      const records = net.disks[2].records();
      const damaged = copyOf(records);
      const key = records.map(([k]) => k).find((k) => k.startsWith(kind) && (kind !== 'block/' || entryKeyOf(net, k)));
      damaged.flipBit(key as string, 13);
      restartsAndAgrees(net, 2, damaged.records());
    });
  }

  it('a torn write (a prefix of its records lands, the last one garbled) falls back to whole records: the replica restarts and agrees', () => {
    const net = preparedNetwork();
    net.filter = () => true;
    // Replica 2's next batches, each with the records before it: entering view 2 writes the
    // NEW-VIEW and the hard state, later ones entries, bodies and a checkpoint.
    const batches: { before: [string, Uint8Array][]; ops: RecordOp[] }[] = [];
    const apply = net.apply.bind(net);
    net.apply = (from, ready) => {
      if (from === 2 && ready.persist) batches.push({ before: net.disks[2].records(), ops: persistOps(ready.persist) });
      return apply(from, ready);
    };
    net.isolate(1);
    net.run(3000);
    net.heal();
    commitSequentially(net, 'e', 1, 3);
    // The view change after the heal takes a round of complaints: give it time to finish the blocks.
    net.run(2000);
    expect(batches.some((b) => b.ops.some((op) => op.key === 'newview/a'))).toBe(true);
    expect(batches.some((b) => b.ops.some((op) => op.key === 'checkpoint'))).toBe(true);
    let tried = 0;
    for (const { before, ops } of batches) {
      const seqs = [decodeDurable(before).hardState?.seq, decodeDurable(landed(before, ops, ops.length)).hardState?.seq];
      for (let k = 1; k <= ops.length; k++) {
        const d = decodeDurable(landed(before, ops, k, true));
        expect(seqs).toContain(d.hardState?.seq);
        tried++;
      }
    }
    expect(tried).toBeGreaterThan(15);
    const view = batches.find((b) => b.ops.some((op) => op.key === 'newview/a')) as (typeof batches)[number];
    const cut = view.ops.findIndex((op) => op.key === 'hard/a') + 1;
    restartsAndAgrees(net, 2, landed(view.before, view.ops, cut, true));
  });

  it('refuses to start when both copies of something kept twice are damaged (CorruptStateError)', () => {
    const records = preparedNetwork().disks[2].records();
    const voted = records.find(([k]) => k.startsWith('voted/'))?.[0] as string;
    for (const pair of [['hard/a', 'hard/b'], ['newview/a', 'newview/b'], [voted, `block/${voted.slice(6)}`]]) {
      const damaged = copyOf(records);
      for (const key of pair) damaged.flipBit(key, 40);
      expect(corruptionOf(damaged.records()).key).toBe(pair[0].startsWith('voted/') ? `block/${voted.slice(6)}` : pair[0]);
    }
    const net = preparedNetwork();
    net.crash(2);
    net.disks[2].flipBit('hard/a', 3);
    net.disks[2].flipBit('hard/b', 3);
    expect(() => net.restart(2)).toThrow(CorruptStateError);
  });

  it('deletes what recovery discarded with its first write, and rewrites both copies', () => {
    const net = preparedNetwork();
    net.crash(2);
    net.disks[2].flipBit('entry/0000000000000007', 9);
    void net.disks[2].write([{ type: 'put', key: 'hard/b', value: new Uint8Array([1, 2, 3, 4, 5]) }]);
    net.restart(2);
    net.step(2, { type: 'tick', now: net.now + 1 });
    const keys = net.disks[2].records().map(([k]) => k);
    expect(keys).not.toContain('entry/0000000000000007');
    expect(decodeDurable(net.disks[2].records())).toEqual(decodeDurable(net.disks[2].records().filter(([k]) => k !== 'hard/a')));
  });
});

describe('the vote floor after a shortened log', () => {
  /** Replicas commit 1–3, then prepare 4 (replica 3 cut off, COMMITs lost); replica 2 restarts with entry 2 damaged. */
  function shortened(dropHardState = false) {
    const net = new TestNetwork(4, { batchSize: 1, checkpointInterval: 100 });
    const checker = new InvariantChecker(nodeSha256, net.replica(0).genesisHash(), new Set());
    const prepares: { seq: number; view: number }[] = [];
    const apply = net.apply.bind(net);
    net.apply = (from, ready) => {
      for (const m of ready.messages) {
        checker.sent(from, m.bytes);
        const v = decodeMessage(m.bytes);
        if (from === 2 && restarted && v.kind === 'vote' && v.type === MessageType.Prepare) prepares.push(v);
      }
      return apply(from, ready);
    };
    let restarted = false;
    commitSequentially(net, 'f', 1, 3);
    net.isolate(3);
    net.filter = (e) => e.bytes[1] !== MessageType.Commit;
    net.submit(request('f', 4));
    net.deliver();
    const voted = net.durable(2).hardState?.latest as Uint8Array;
    expect(decodeMessage(voted)).toMatchObject({ kind: 'vote', view: 0, seq: 4 });
    net.crash(2);
    net.disks[2].flipBit('entry/0000000000000002', 20);
    if (dropHardState) void net.disks[2].write([{ type: 'del', key: 'hard/a' }, { type: 'del', key: 'hard/b' }]);
    net.restart(2);
    restarted = true;
    return { net, checker, voted, prepares };
  }

  /** A PRE-PREPARE of primary 0 in view 0 for a block at `height` other than the one committed there. */
  function conflicting(net: TestNetwork, height: number, parent: Uint8Array): Uint8Array {
    const txs = [request('mallory', 1)];
    const block = { height, parent, txRoot: defaultTxRoot()(txs), txs };
    const vote = signVote(net.signers[0], MessageType.Prepare, 0, 0, height, blockHash(block, nodeSha256));
    return encodePrePrepare(0, vote, encodeBlock(block));
  }

  it('casts no vote at or below the committed height it recorded, reports that height in a VIEW-CHANGE, and votes again once caught up', () => {
    const { net, checker, voted, prepares } = shortened();
    const r = net.replica(2);
    expect(r.status().height).toBe(1);
    const out = r.step({ type: 'message', bytes: conflicting(net, 2, r.status().lastHash) });
    expect(out.messages.filter((m) => m.bytes[1] === MessageType.Prepare)).toEqual([]);
    // Its view change (taken from a twin restored from the same disk) proves height 3 with the
    // certificate kept in the hard state, and reports its vote for 4.
    const twin = Replica.restore({ ...net.config(2), application: new KeyValueStore() }, net.durable(2));
    twin.step({ type: 'tick', now: net.now });
    twin.step({ type: 'request', request: request('g', 1) });
    // Its timer fires (a complaint); a second replica's complaint makes f+1, and it leaves the view.
    expect(twin.step({ type: 'tick', now: net.now + 2000 }).messages.some((m) => m.bytes[1] === MessageType.Complaint)).toBe(true);
    const complaint = signVote(net.signers[3], MessageType.Complaint, 3, 0, 0, new Uint8Array(32));
    const vc = twin.step({ type: 'message', bytes: complaint }).messages.map((m) => decodeMessage(m.bytes)).find((m) => m.kind === 'viewchange');
    expect(vc).toMatchObject({ kind: 'viewchange', committed: { height: 3 }, latest: { seq: 4, view: 0 } });
    if (vc?.kind !== 'viewchange') throw new Error('expected a VIEW-CHANGE');
    expect(vc.latest?.bytes).toEqual(voted);
    net.heal();
    net.run(500);
    commitSequentially(net, 'g', 1, 3);
    expect(net.heights()[2]).toBeGreaterThanOrEqual(6);
    // It voted again above the floor, never below it in view 0 (except the vote it had cast for 4).
    expect(prepares.filter((v) => v.seq > 4).length).toBeGreaterThan(0);
    expect(prepares.filter((v) => v.seq <= 3)).toEqual([]);
    net.checkAgreement();
    expect(checker.violations).toEqual([]);
  });

  it('without the hard state the replica would vote twice: the simulator\'s double-vote check fires', () => {
    const { net, checker } = shortened(true);
    const r = net.replica(2);
    expect(r.status().height).toBe(1);
    net.step(2, { type: 'message', bytes: conflicting(net, 2, r.status().lastHash) });
    expect(checker.violations).toEqual([expect.stringMatching(/^double vote: honest replica 2 sent PREPARE \(view 0, seq 2\)/)]);
  });
});

/** Whether block key `key` holds the body of a log entry of replica 2. */
function entryKeyOf(net: TestNetwork, key: string): boolean {
  return net.durable(2).blocks.some((b) => `block/${Buffer.from(b.hash).toString('hex')}` === key);
}

/** `before` plus the first `k` operations of a write; with `torn`, the k-th lands garbled. */
function landed(before: [string, Uint8Array][], ops: RecordOp[], k: number, torn = false): [string, Uint8Array][] {
  const s = copyOf(before);
  ops.slice(0, k).forEach((op, i) => {
    if (op.type === 'del') return void s.write([op]);
    const value = op.value.slice();
    if (torn && i === k - 1) value[value.length >> 1] ^= 0x10;
    void s.write([{ type: 'put', key: op.key, value }]);
  });
  return s.records();
}
