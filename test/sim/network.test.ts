import { describe, expect, it } from 'vitest';
import { type NetworkFaults, PacketSimulator, partitionEpisodes } from '../../src/sim/network.js';
import { Prng } from '../../src/sim/prng.js';

/** A packet simulator whose frames in flight sit in a list until `flush` delivers them in time order. */
function network(faults: NetworkFaults = {}, faulty = false) {
  const inFlight: { at: number; from: number; to: number; bytes: Uint8Array }[] = [];
  const net = new PacketSimulator(new Prng(1), 4, { latency: 2, jitter: 3 }, faults, () => 0, () => faulty, (at, from, to, bytes) => inFlight.push({ at, from, to, bytes }));
  const received: [number, number, number][] = [];
  for (let i = 0; i < 4; i++) net.endpoint(i).onFrame((from, frame) => received.push([i, from, frame[0]]));
  const flush = () => {
    for (const f of inFlight.sort((a, b) => a.at - b.at).splice(0)) net.deliver(f.from, f.to, f.bytes);
  };
  return { net, inFlight, received, flush };
}

describe('PacketSimulator as a Transport', () => {
  it('delivers a sent frame to its addressee with the sender id, after the link latency', () => {
    const { net, inFlight, received, flush } = network();
    net.endpoint(1).send(3, new Uint8Array([7]));
    expect(inFlight[0].at).toBeGreaterThanOrEqual(2);
    flush();
    expect(received).toEqual([[3, 1, 7]]);
  });

  it('broadcasts to every other validator, and drops frames to oneself or to unknown ids', () => {
    const { net, received, flush } = network();
    net.endpoint(2).broadcast(new Uint8Array([5]));
    net.endpoint(0).send(0, new Uint8Array([1]));
    net.endpoint(0).send(4, new Uint8Array([1]));
    net.endpoint(0).send(-1, new Uint8Array([1]));
    flush();
    expect(received.sort()).toEqual([
      [0, 2, 5],
      [1, 2, 5],
      [3, 2, 5],
    ]);
  });

  it('cuts links between partition groups, and stops an endpoint that unsubscribed or closed', async () => {
    const { net, received, flush } = network();
    const halves = [0, 0, 1, 1];
    net.cut(halves);
    net.cut([0, 0, 0, 1]);
    net.endpoint(0).send(2, new Uint8Array([1]));
    net.endpoint(0).send(1, new Uint8Array([2]));
    net.endpoint(2).send(3, new Uint8Array([9]));
    flush();
    expect(received).toEqual([[1, 0, 2]]);
    net.reconnect(halves);
    net.endpoint(2).send(1, new Uint8Array([8]));
    flush();
    expect(received).toEqual([
      [1, 0, 2],
      [1, 2, 8],
    ]);
    received.length = 1;
    net.heal();
    const stop = net.endpoint(3).onFrame(() => received.push([-1, -1, -1]));
    stop();
    await net.endpoint(1).close();
    net.endpoint(1).send(3, new Uint8Array([3]));
    net.endpoint(0).send(1, new Uint8Array([4]));
    net.endpoint(0).send(3, new Uint8Array([5]));
    flush();
    expect(received).toEqual([
      [1, 0, 2],
      [3, 0, 5],
    ]);
  });

  it('a one-way cut loses frames from group 1 to group 0 only; episodes of it are drawn like isolations', () => {
    const { net, received, flush } = network();
    const groups = [0, 0, 1, 0];
    net.cut(groups, true);
    net.endpoint(2).broadcast(new Uint8Array([1]));
    net.endpoint(0).send(2, new Uint8Array([2]));
    flush();
    expect(received).toEqual([[2, 0, 2]]);
    net.reconnect(groups);
    net.endpoint(2).send(0, new Uint8Array([3]));
    flush();
    expect(received.at(-1)).toEqual([0, 2, 3]);
    const episodes = partitionEpisodes(new Prng(5), 4, { oneWay: { every: 500, length: 200 } }, 3000);
    expect(episodes.length).toBeGreaterThan(2);
    for (const e of episodes) {
      expect(e.oneWay).toBe(true);
      // One validator on its own side of the cut (silenced towards the rest, or deaf to them).
      expect([1, 3]).toContain(e.groups.filter((g) => g === 1).length);
    }
  });

  it('loses and duplicates frames at the drawn rates, only while faults are active', () => {
    const faults = { drop: { rate: 0.1 }, duplicate: { rate: 0.05 }, delay: { mean: 40 }, reorder: { window: 60 } };
    const calm = network(faults, false);
    for (let k = 0; k < 200; k++) calm.net.endpoint(0).send(1, new Uint8Array([k]));
    expect(calm.inFlight.length).toBe(200);
    const stormy = network(faults, true);
    for (let k = 0; k < 200; k++) stormy.net.endpoint(0).send(1, new Uint8Array([k]));
    expect(stormy.inFlight.length).not.toBe(200);
    const lossy = network({ drop: { rate: 0.5 } }, true);
    for (let k = 0; k < 2000; k++) lossy.net.endpoint(0).send(1, new Uint8Array([k]));
    expect(Math.abs(lossy.inFlight.length - 1000)).toBeLessThan(100);
    expect(Math.max(...stormy.inFlight.map((f) => f.at))).toBeGreaterThan(Math.max(...calm.inFlight.map((f) => f.at)));
  });
});

describe('partitionEpisodes', () => {
  it('draws partitions and isolations at the drawn frequency and length, all over by the heal time', () => {
    const episodes = partitionEpisodes(new Prng(3), 4, { partition: { every: 1000, length: 400 }, isolate: { every: 2000, length: 800 } }, 20_000);
    const isolations = episodes.filter((e) => e.groups.filter((g) => g === 1).length === 1 && e.groups.filter((g) => g === 0).length === 3);
    expect(episodes.length).toBeGreaterThan(25);
    expect(isolations.length).toBeGreaterThan(5);
    for (const e of episodes) {
      expect(e.end).toBeLessThanOrEqual(20_000);
      expect(e.end - e.start).toBeLessThan(1200);
    }
    expect(partitionEpisodes(new Prng(3), 4, {}, 20_000)).toEqual([]);
  });
});
