import { describe, expect, it } from 'vitest';
import { MessageType, signVote } from '../../src/consensus/index.js';
import { request } from '../_support/requests.js';
import { TestNetwork } from '../_support/testNetwork.js';

const complaint = (net: TestNetwork, from: number, view: number) => signVote(net.signers[from], MessageType.Complaint, from, view, 0, new Uint8Array(32));
const statusOf = (net: TestNetwork, ids: number[]) => ids.map((i) => net.replica(i).status()).map(({ view, inViewChange, height }) => ({ view, inViewChange, height }));

describe('no censorship', () => {
  it('a primary that keeps committing other clients\' blocks while one request waits is replaced by the per-request timer', () => {
    const net = new TestNetwork(4, { batchTimeout: 5 });
    const victim = request('victim', 1);
    // The primary never takes the victim's transaction, neither from the client nor forwarded.
    net.filter = (e) => !(e.to === 0 && e.bytes[1] === MessageType.Forward);
    for (let i = 1; i < 4; i++) net.step(i, { type: 'request', request: victim });
    let nonce = 0;
    for (let t = 0; t < 40 && net.replica(1).status().view === 0; t++) {
      net.submit(request('busy', ++nonce));
      net.run(100);
    }
    // Blocks kept committing (the progress timer never fired), yet the view changed.
    expect(nonce).toBeGreaterThan(8);
    net.filter = () => true;
    net.run(1000);
    for (const s of statusOf(net, [1, 2, 3])) expect(s.view).toBeGreaterThanOrEqual(1);
    for (const i of [1, 2, 3]) expect(net.apps[i].executed).toBe(nonce + 1);
    net.checkAgreement();
  });

  it('a client that leaves the primary out is served without a view change: backups forward its transaction', () => {
    const net = new TestNetwork(4, { batchTimeout: 5 });
    const tx = request('shy', 1);
    for (let i = 1; i < 4; i++) net.step(i, { type: 'request', request: tx });
    const forwards: number[] = [];
    net.filter = (e) => (e.bytes[1] === MessageType.Forward && forwards.push(e.from), true);
    net.run(500);
    expect(forwards.length).toBeGreaterThan(0);
    expect(statusOf(net, [0, 1, 2, 3])).toEqual(Array(4).fill({ view: 0, inViewChange: false, height: 1 }));
  });
});

describe('no honest replica stranded', () => {
  it('a replica cut off with work pending complains alone, stays in the view and votes again once reconnected', () => {
    const net = new TestNetwork(4, { batchTimeout: 5 });
    net.isolate(3);
    net.replicas[3]?.step({ type: 'request', request: request('lone', 1) });
    net.run(3000);
    expect(net.replica(3).status()).toMatchObject({ view: 0, inViewChange: false, height: 0 });
    net.heal();
    for (let s = 2; s <= 4; s++) net.submit(request('lone', s));
    net.run(1000);
    expect(statusOf(net, [0, 1, 2, 3])).toEqual(Array(4).fill({ view: 0, inViewChange: false, height: net.replica(0).status().height }));
    const prepares = net.commits[0].at(-1)?.cert.length;
    expect(prepares).toBeGreaterThan(0);
  });

  it('complaints that reached one replica only are passed on with it: the others follow instead of leaving it alone', () => {
    for (const relay of [true, false]) {
      const net = new TestNetwork(4);
      if (!relay) net.filter = (e) => e.bytes[1] !== MessageType.Complaints;
      net.step(1, { type: 'message', bytes: complaint(net, 2, 0) });
      net.step(1, { type: 'message', bytes: complaint(net, 3, 0) });
      expect(net.replica(1).status()).toMatchObject({ view: 1, inViewChange: true });
      net.deliver();
      if (relay) expect(statusOf(net, [0, 1, 2, 3])).toEqual(Array(4).fill({ view: 1, inViewChange: false, height: 0 }));
      else expect(statusOf(net, [0, 2, 3]).every((s) => s.view === 0)).toBe(true);
    }
  });

  it('one complaint moves no one; f+1 complaints move everyone', () => {
    const net = new TestNetwork(4);
    net.step(1, { type: 'message', bytes: complaint(net, 3, 0) });
    net.deliver();
    expect(statusOf(net, [0, 1, 2]).map((s) => s.view)).toEqual([0, 0, 0]);
    for (const i of [0, 1, 2]) net.step(i, { type: 'message', bytes: complaint(net, 2, 0) });
    net.deliver();
    expect(statusOf(net, [0, 1, 2, 3])).toEqual(Array(4).fill({ view: 1, inViewChange: false, height: 0 }));
  });
});

describe('view timeouts', () => {
  it('double for every view left, beyond 8×, until progress on pending work resets them', () => {
    const net = new TestNetwork(4);
    const base = net.replica(1).status().viewTimeout;
    for (let v = 0; v < 6; v++) {
      for (const i of [0, 1, 2, 3]) for (const from of [0, 1, 2, 3].filter((k) => k !== i).slice(0, 2)) net.step(i, { type: 'message', bytes: complaint(net, from, v) });
      net.queue = []; // nothing else arrives: no view installs
    }
    expect(net.replica(1).status()).toMatchObject({ view: 6, inViewChange: true, viewTimeout: base * 2 ** 6 });
    net.submit(request('reset', 1));
    net.run(200 * 2 ** 6);
    expect(net.replica(1).status()).toMatchObject({ inViewChange: false, height: 1, viewTimeout: base });
  });
});
