import { describe, expect, it } from 'vitest';
import { CorruptStateError, decodeDurable, type Outbound, otherCopy, Replica, type ReplicaConfig } from '../../src/consensus/index.js';
import { nodeEd25519Signer, nodeEd25519Verifier, nodeSha256 } from '../../src/node/index.js';
import { SimulatedDisk } from '../../src/sim/disk.js';
import { ReplicaHost } from '../../src/sim/host.js';
import { KeyValueStore, Prng } from '../../src/sim/index.js';
import { request as signedRequest, TEST_CHAIN } from '../_support/requests.js';

const put = (key: string, byte: number) => [{ type: 'put' as const, key, value: new Uint8Array([byte]) }];
const value = (disk: SimulatedDisk, key: string) => new Map(disk.records()).get(key)?.[0];

describe('SimulatedDisk', () => {
  it('makes writes durable one after another, in order, each after its latency', () => {
    const disk = new SimulatedDisk(new Prng(1), { latency: 2, otherCopy }, () => true);
    expect(disk.write(0, put('a', 1))).toBe(1);
    expect(disk.write(0, put('a', 2))).toBe(2);
    expect(disk.write(0, put('b', 3))).toBe(3);
    const first = disk.nextDue as number;
    expect(first).toBeGreaterThan(0);
    expect(disk.complete(first - 0.001)).toBe(0);
    expect(disk.records()).toEqual([]);
    expect(disk.complete(first)).toBe(1);
    expect(value(disk, 'a')).toBe(1);
    expect(disk.durable).toBe(1);
    expect(disk.nextDue).toBeGreaterThan(first);
    expect(disk.complete(Infinity)).toBe(2);
    expect(disk.records().map(([k, v]) => [k, v[0]])).toEqual([
      ['a', 2],
      ['b', 3],
    ]);
  });

  it('with latency 0 makes a write durable at once', () => {
    const disk = new SimulatedDisk(new Prng(1), { latency: 0, otherCopy }, () => true);
    disk.write(5, put('a', 1));
    expect(disk.durable).toBe(1);
    expect(disk.nextDue).toBeUndefined();
    expect(value(disk, 'a')).toBe(1);
  });

  it('makes a share of writes slow while faults are active, and none after', () => {
    const time = (faulty: boolean) => {
      let last = 0;
      const d = new SimulatedDisk(new Prng(7), { latency: 1, slow: { rate: 0.5, factor: 100 }, otherCopy }, () => faulty);
      for (let i = 0; i < 200; i++) d.write(0, put('k', i));
      while (d.nextDue !== undefined) d.complete((last = d.nextDue));
      return last;
    };
    expect(time(true)).toBeGreaterThan(20 * time(false));
  });

  it('loses the unsynced tail at a crash, except a prefix that landed; numbering goes on', () => {
    const outcomes = new Set<string>();
    for (let seed = 0; seed < 40; seed++) {
      const disk = new SimulatedDisk(new Prng(seed), { latency: 5, otherCopy }, () => true);
      disk.write(0, put('a', 1));
      disk.complete(Infinity);
      for (let i = 2; i <= 4; i++) disk.write(1, put('a', i));
      const lost = disk.crash();
      const a = value(disk, 'a') as number;
      // Writes land in order: what survives is a prefix (the last landed value tells which).
      expect(lost).toBe(4 - a);
      outcomes.add(String(a));
      expect(disk.nextDue).toBeUndefined();
      expect(disk.write(100, put('b', 1))).toBe(5);
    }
    expect(outcomes).toEqual(new Set(['1', '2', '3', '4']));
  });
});

describe('SimulatedDisk faults', () => {
  const puts = (n: number, tag: number) => Array.from({ length: n }, (_, i) => ({ type: 'put' as const, key: `entry/${i}`, value: new Uint8Array([tag, i, 0, 0]) }));

  it('tears the write in flight at a crash: a prefix of its records lands, the last one garbled', () => {
    const cuts = new Set<number>();
    for (let seed = 0; seed < 60; seed++) {
      const disk = new SimulatedDisk(new Prng(seed), { latency: 5, torn: { rate: 1 }, otherCopy }, () => true);
      disk.write(0, puts(6, 1));
      const lost = disk.crash();
      const landed = disk.records();
      if (lost === 0) {
        expect(landed.map(([, v]) => [...v])).toEqual(puts(6, 1).map((op) => [...op.value])); // it had landed whole
        continue;
      }
      cuts.add(landed.length);
      // Keys sort like the write's order here: all but the last landed record are whole.
      landed.slice(0, -1).forEach(([, v], i) => expect([...v]).toEqual([1, i, 0, 0]));
      expect([...landed[landed.length - 1][1]]).not.toEqual([1, landed.length - 1, 0, 0]);
    }
    expect(cuts.size).toBeGreaterThan(3);
  });

  it('never garbles a copy whose other copy is damaged: the cut falls before it', () => {
    const disk = new SimulatedDisk(new Prng(5), { latency: 5, torn: { rate: 1 }, corrupt: { rate: 1, records: 1 }, otherCopy }, () => true);
    disk.write(0, put('hard/a', 1).concat(put('hard/b', 1)));
    disk.complete(Infinity);
    // The next crash finds one copy flipped; then a torn write of both copies must leave the other whole.
    for (let round = 0; round < 30; round++) {
      disk.write(0, put('hard/a', 2).concat(put('hard/b', 2)));
      disk.crash();
      const whole = disk.records().filter(([key, v]) => v.length === 1 && (v[0] === 1 || v[0] === 2) && key.startsWith('hard/'));
      expect(whole.length).toBeGreaterThanOrEqual(1);
    }
  });

  it('flips bits in up to `records` stored records at a crash, never in both copies of a record kept twice', () => {
    const kinds = new Set<string>();
    for (let seed = 0; seed < 40; seed++) {
      const disk = new SimulatedDisk(new Prng(seed), { latency: 0, corrupt: { rate: 1, records: 3 }, otherCopy }, () => true);
      const keys = ['hard/a', 'hard/b', 'newview/a', 'newview/b', 'checkpoint', 'entry/0000000000000001', 'block/aa', 'voted/aa', 'block/bb'];
      disk.write(0, keys.flatMap((k) => put(k, 7)));
      disk.crash();
      const flipped = disk.records().filter(([, v]) => v[0] !== 7).map(([k]) => k);
      expect(flipped.length).toBeGreaterThanOrEqual(1);
      expect(flipped.length).toBeLessThanOrEqual(3);
      for (const key of flipped) {
        expect(flipped).not.toContain(otherCopy(key));
        kinds.add(key.split('/')[0]);
      }
    }
    expect(kinds).toEqual(new Set(['hard', 'newview', 'checkpoint', 'entry', 'block', 'voted']));
  });

  it('corrupts nothing while the simulation\'s budget says no, and says whether the last crash corrupted', () => {
    for (const allowed of [true, false]) {
      const disk = new SimulatedDisk(new Prng(4), { latency: 0, corrupt: { rate: 1, records: 3 }, otherCopy }, () => true, () => allowed);
      disk.write(0, ['entry/0000000000000001', 'block/aa'].flatMap((k) => put(k, 7)));
      disk.crash();
      expect(disk.corrupted).toBe(allowed);
      expect(disk.records().some(([, v]) => v[0] !== 7)).toBe(allowed);
    }
  });

  it('ruin damages both copies of one record kept twice: recovery refuses it', () => {
    const disk = new SimulatedDisk(new Prng(2), { latency: 0, otherCopy }, () => true);
    expect(disk.ruin()).toBeNull();
    disk.write(0, put('hard/a', 1).concat(put('hard/b', 1), put('entry/0000000000000001', 1)));
    expect(disk.ruin()).toEqual(['hard/a', 'hard/b']);
    expect(disk.records().filter(([k, v]) => k.startsWith('hard/') && v[0] !== 1).length).toBe(2);
    expect(() => decodeDurable(disk.records())).toThrow(CorruptStateError);
  });
});

/** A host for replica 0 (the primary of view 0) of 4, with a disk of 1 ms mean latency; what it releases is recorded. */
function primaryHost() {
  const signers = [0, 1, 2, 3].map((i) => nodeEd25519Signer(nodeSha256(new TextEncoder().encode(`host/${i}`))));
  const released: Outbound[][] = [];
  const wakes: number[] = [];
  let crashes = 0;
  let now = 0;
  const disk = new SimulatedDisk(new Prng(3), { latency: 1, otherCopy }, () => true);
  const config = (application: KeyValueStore): ReplicaConfig => ({
    chainId: TEST_CHAIN,
    id: 0,
    validators: signers.map((s) => s.publicKey),
    signer: signers[0],
    verifier: nodeEd25519Verifier(),
    hash: nodeSha256,
    application,
    batchSize: 1,
    batchTimeout: 0,
  });
  const host = new ReplicaHost(disk, {
    now: () => now,
    application: () => new KeyValueStore(),
    replica: (application, durable) => (durable ? Replica.restore(config(application), durable) : new Replica(config(application))),
    schedule: (at) => wakes.push(at),
    observe: () => {},
    release: (messages) => released.push(messages),
    crashed: () => crashes++,
    threw: (err) => {
      throw err;
    },
  });
  const request = (seq: number) => signedRequest('c', seq, 'k', `v${seq}`);
  return { host, disk, released, wakes, request, crashes: () => crashes, at: (t: number) => (now = t) };
}

describe('ReplicaHost: the Ready contract', () => {
  it("sends a Ready's messages only once its persist is durable, while the replica keeps stepping", () => {
    const { host, disk, released, wakes, request, at } = primaryHost();
    host.step({ type: 'request', request: request(1) });
    expect(disk.writes).toBe(1);
    expect(released).toEqual([]);
    expect(wakes).toEqual([disk.nextDue]);
    // Another step before the write completes: its (empty) Ready waits behind the first.
    host.step({ type: 'tick', now: 0 });
    expect(released).toEqual([]);
    at(wakes[0]);
    host.wake(wakes[0]);
    expect(disk.durable).toBe(1);
    expect(released.length).toBe(2);
    expect(released[0].map((m) => m.bytes[1])).toEqual([1]); // the PRE-PREPARE
    expect(decodeDurable(disk.records()).hardState?.latest).not.toBeNull();
  });

  it('a crash loses what waited to be sent; a crash after a write lands it and sends nothing', () => {
    const a = primaryHost();
    a.host.step({ type: 'request', request: a.request(1) });
    a.host.crash({ at: 'now' });
    expect(a.crashes()).toBe(1);
    a.at(10);
    a.host.wake(a.wakes[0]);
    expect(a.released).toEqual([]);
    expect(a.host.replica).toBeNull();

    const b = primaryHost();
    b.host.crash({ at: 'after-write' });
    expect(b.crashes()).toBe(0);
    b.host.step({ type: 'request', request: b.request(1) });
    expect(b.host.replica).not.toBeNull();
    b.at(b.wakes[0]);
    b.host.wake(b.wakes[0]);
    expect(b.crashes()).toBe(1);
    expect(b.released).toEqual([]);
    expect(b.disk.durable).toBe(1);
    b.host.restart();
    // The restarted primary re-sends the very proposal it persisted, once its first write is durable.
    b.host.step({ type: 'tick', now: 20 });
    const due = b.wakes.at(-1) as number;
    b.at(due);
    b.host.wake(due);
    expect(b.released.flat().filter((m) => m.bytes[1] === 1).length).toBe(1);
  });

  it('a crash during a write strikes while it is in flight: nothing waiting for it leaves', () => {
    for (const point of [0, 0.5, 0.99]) {
      const c = primaryHost();
      c.host.crash({ at: 'during-write', point });
      c.host.step({ type: 'request', request: c.request(1) });
      const [crashAt, done] = [c.wakes[0], c.disk.nextDue as number];
      expect(crashAt).toBeLessThan(done);
      c.at(crashAt);
      c.host.wake(crashAt);
      expect(c.crashes()).toBe(1);
      expect(c.released).toEqual([]);
      // The write in flight was lost, or landed whole: never in part (no torn writes here).
      const d = decodeDurable(c.disk.records());
      expect(d.hardState === null || d.hardState.latest !== null).toBe(true);
    }
  });
});
