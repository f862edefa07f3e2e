import { describe, expect, it } from 'vitest';
import { decodeMessage, MessageType, persistOps, type Ready, signVote } from '../../src/consensus/index.js';
import { MemoryStorage } from '../../src/storage/index.js';
import { TestNetwork } from '../_support/testNetwork.js';

describe('one NEW-VIEW per view from an honest primary, across a torn write', () => {
  it('a primary whose NEW-VIEW record landed but whose hard state did not enters with that NEW-VIEW again, never signing a second', () => {
    const net = new TestNetwork(4);
    let before: [string, Uint8Array][] = [];
    let batch: ReturnType<typeof persistOps> | null = null;
    const apply = net.apply.bind(net);
    net.apply = (from: number, ready: Ready) => {
      if (from === 1 && ready.persist?.newView) {
        before = net.disks[1].records();
        batch = persistOps(ready.persist);
      }
      return apply(from, ready);
    };
    // f+1 complaints about view 0 reach everyone: all move to view 1, whose primary is 1.
    for (const i of [0, 1, 2, 3]) for (const from of [0, 1, 2, 3].filter((k) => k !== i).slice(0, 2)) net.step(i, { type: 'message', bytes: signVote(net.signers[from], MessageType.Complaint, from, 0, 0, new Uint8Array(32)) });
    const sent: Uint8Array[] = [];
    // Its NEW-VIEW reaches no one (nor does any TRANSFER that would carry it): only replica 1 enters view 1.
    net.filter = (e) => (e.from === 1 && e.bytes[1] === MessageType.NewView && sent.push(e.bytes), e.to === 1 || (e.bytes[1] !== MessageType.NewView && e.bytes[1] !== MessageType.Transfer));
    net.deliver();
    expect([0, 1, 2, 3].map((i) => net.replica(i).status().inViewChange)).toEqual([true, false, true, true]);
    const first = sent[0];
    expect(first).toBeInstanceOf(Uint8Array);
    // The write that entered view 1 was torn right after its first NEW-VIEW copy: the hard state
    // (still in the view change) and everything after it never landed.
    const ops = batch as unknown as ReturnType<typeof persistOps>;
    const cut = ops.findIndex((op) => op.key === 'newview/a') + 1;
    expect(cut).toBeGreaterThan(0);
    expect(ops.slice(0, cut).some((op) => op.key.startsWith('hard/'))).toBe(false);
    const disk = new MemoryStorage();
    void disk.write([...before.map(([key, value]) => ({ type: 'put' as const, key, value })), ...ops.slice(0, cut)]);
    net.crash(1);
    net.disks[1] = disk;
    net.restart(1);
    expect(net.replica(1).status()).toMatchObject({ view: 1, inViewChange: true });
    sent.length = 0;
    // No state transfer (which would hand the landed NEW-VIEW around), and the VIEW-CHANGEs of one
    // replica whose VIEW-CHANGE the first NEW-VIEW holds are lost: replica 1 holds another 2f+1 of
    // them, from which it would build another NEW-VIEW.
    const nv = decodeMessage(first);
    const absent = nv.kind === 'newview' ? (nv.viewChanges.find((vc) => vc.sender !== 1)?.sender as number) : -1;
    net.filter = (e) =>
      (e.from === 1 && e.bytes[1] === MessageType.NewView && sent.push(e.bytes), e.bytes[1] !== MessageType.Transfer && !(e.from === absent && e.bytes[1] === MessageType.ViewChange));
    net.run(500);
    expect(sent.length).toBeGreaterThan(0);
    for (const frame of sent) expect(Buffer.from(frame).equals(Buffer.from(first))).toBe(true);
    expect(net.evidence).toEqual([]);
    for (const i of [0, 1, 2, 3]) {
      expect(net.replica(i).status()).toMatchObject({ view: 1, inViewChange: false });
      expect(Buffer.from(net.durable(i).newView as Uint8Array).equals(Buffer.from(first))).toBe(true);
    }
    expect(absent).toBeGreaterThanOrEqual(0);
  });
});
