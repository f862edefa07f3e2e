import { describe, expect, it } from 'vitest';
import { MemoryNetwork, type MemoryTransport, type PeerChange } from '../../src/net/index.js';
import { expectRefusal } from '../_support/refusals.js';
import { testSeed } from '../_support/seed.js';

const settle = () => new Promise((resolve) => setTimeout(resolve, 5));
const text = (s: string) => new TextEncoder().encode(s);

function inbox(transport: MemoryTransport): string[] {
  const got: string[] = [];
  transport.onFrame((from, frame) => got.push(`${from}:${new TextDecoder().decode(frame)}`));
  return got;
}

describe('MemoryNetwork', () => {
  it('delivers whole frames later, never during send, with the sender id', async () => {
    const network = new MemoryNetwork({ size: 3 });
    const boxes = [0, 1, 2].map((id) => inbox(network.transport(id)));
    network.transport(0).broadcast(text('hello'));
    network.transport(2).send(1, text('direct'));
    expect(boxes.flat()).toEqual([]);
    expect(network.transport(0).peers().map((p) => p.queuedFrames)).toEqual([1, 1]);
    await settle();
    expect(boxes).toEqual([[], ['0:hello', '2:direct'], ['0:hello']]);
    expect(network.transport(1).stats()).toMatchObject({ framesIn: 2, bytesIn: 11, framesOut: 0 });
    expect(network.transport(0).stats()).toMatchObject({ framesOut: 2, bytesOut: 10 });
    expect(network.transport(1).peers()[0]).toMatchObject({ id: 0, connected: true, phi: 0, suspected: false, breaker: 'closed', queuedFrames: 0 });
    expect(network.transport(1).peers()[0].lastHeardMs).toBeGreaterThanOrEqual(0);
    expect(network.transport(1).peers()[1].id).toBe(2);
  });

  it('cuts the links between partition groups until heal, and reports it', async () => {
    const network = new MemoryNetwork({ size: 4 });
    const boxes = [0, 1, 2, 3].map((id) => inbox(network.transport(id)));
    const changes: PeerChange[] = [];
    network.transport(0).onPeerChange((change) => changes.push(change));
    network.partition([[0, 1], [2]]); // 3 is in no group: cut from everyone
    for (let id = 0; id < 4; id++) network.transport(id).broadcast(text(`${id}`));
    await settle();
    expect(boxes).toEqual([['1:1'], ['0:0'], [], []]);
    expect(network.transport(0).stats().dropped.unreachable).toBe(2);
    expect(network.transport(0).peers().map((p) => [p.id, p.connected, p.suspected])).toEqual([
      [1, true, false],
      [2, false, true],
      [3, false, true],
    ]);
    expect(changes).toEqual([
      { id: 2, connected: false, suspected: true },
      { id: 3, connected: false, suspected: true },
    ]);
    network.heal();
    network.transport(3).send(0, text('healed'));
    await settle();
    expect(boxes[0]).toEqual(['1:1', '3:healed']);
    expect(changes.slice(2).map((c) => [c.id, c.connected])).toEqual([
      [2, true],
      [3, true],
    ]);
  });

  it('loses frames at the drop rate, the same ones for the same seed', async () => {
    const seed = testSeed('memory network losses');
    const run = async () => {
      const network = new MemoryNetwork({ size: 2, dropRate: 0.3, seed });
      const box = inbox(network.transport(1));
      for (let i = 0; i < 1000; i++) network.transport(0).send(1, text(`${i}`));
      await settle();
      return { box, lost: network.transport(0).stats().dropped.lost };
    };
    const a = await run();
    const b = await run();
    expect(a).toEqual(b);
    expect(a.lost + a.box.length).toBe(1000);
    expect(a.lost).toBeGreaterThan(200);
    expect(a.lost).toBeLessThan(400);
    const network = new MemoryNetwork({ size: 2, dropRate: 1 });
    network.setDropRate(0);
    const box = inbox(network.transport(1));
    network.transport(0).send(1, text('kept'));
    await settle();
    expect(box).toEqual(['0:kept']);
  });

  it('drops frames to itself, outside the set, oversize, to a closed transport, and from a closed one', async () => {
    const network = new MemoryNetwork({ size: 2, maxFrameBytes: 4 });
    const [t0, t1] = [network.transport(0), network.transport(1)];
    const box = inbox(t1);
    for (const to of [0, 2, -1, 1.5]) t0.send(to, text('x'));
    t0.send(1, text('too long'));
    expect(t0.stats().dropped).toMatchObject({ noSuchPeer: 4, oversize: 1 });
    t0.send(1, text('late'));
    await t1.close();
    await settle();
    expect(box).toEqual([]); // in flight when the receiver closed
    t0.send(1, text('x'));
    expect(t0.stats().dropped.unreachable).toBe(1);
    expect(t0.peers()[0]).toMatchObject({ connected: false, suspected: true });
    await t0.close();
    t0.broadcast(text('x'));
    expect(t0.stats().framesOut).toBe(1);
  });

  it('keeps delivering to the other handlers when one throws', async () => {
    const network = new MemoryNetwork({ size: 2 });
    const errors: unknown[] = [];
    const onError = (err: unknown) => errors.push(err);
    process.on('uncaughtException', onError);
    try {
      network.transport(1).onFrame(() => {
        throw new Error('handler bug');
      });
      const box = inbox(network.transport(1));
      network.transport(0).send(1, text('x'));
      await settle();
      expect(box).toEqual(['0:x']);
      expect(errors).toHaveLength(1);
    } finally {
      process.off('uncaughtException', onError);
    }
  });

  it('refuses bad arguments', () => {
    expectRefusal(() => new MemoryNetwork({ size: 0 }), 'range', 'new MemoryNetwork', 'options.size');
    expectRefusal(() => new MemoryNetwork({ size: 2, dropRate: 2 }), 'range', 'new MemoryNetwork', 'options.dropRate');
    expectRefusal(() => new MemoryNetwork({ size: 2, seed: -1 }), 'range', 'new MemoryNetwork', 'options.seed');
    expectRefusal(() => new MemoryNetwork({ size: 2, delay: 1 } as never), 'type', 'new MemoryNetwork', 'options.delay');
    const network = new MemoryNetwork({ size: 3 });
    expectRefusal(() => network.transport(3), 'range', 'MemoryNetwork.transport', 'id');
    expectRefusal(() => network.partition([[0], [0]]), 'range', 'MemoryNetwork.partition', 'groups[1][0]', 'one group only');
    expectRefusal(() => network.partition([[0, 5]]), 'range', 'MemoryNetwork.partition', 'groups[0][1]');
    expectRefusal(() => network.partition('0,1' as never), 'type', 'MemoryNetwork.partition', 'groups');
    expectRefusal(() => network.setDropRate(-0.1), 'range', 'MemoryNetwork.setDropRate', 'rate');
    expectRefusal(() => network.transport(0).send(1, [1] as never), 'type', 'MemoryTransport.send', 'frame');
    expectRefusal(() => network.transport(0).onFrame(null as never), 'type', 'MemoryTransport.onFrame', 'handler');
  });
});
