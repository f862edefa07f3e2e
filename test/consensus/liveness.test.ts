import { describe, expect, it } from 'vitest';
import { MessageType, type Ready, Replica, signViewChange, signVote } from '../../src/consensus/index.js';
import { signComplaints, signForward } from '../../src/consensus/messages.js';
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

describe('a transaction that reached one backup while the primary is down', () => {
  // A node's client may hand its transaction to one validator only. Forwarding it to a dead
  // primary does nothing and one backup's complaint is not enough to leave the view (f+1 are),
  // so the backup passes the transaction to every peer when it complains: their own request
  // timers then run, they complain too, and the next primary commits it.
  for (const n of [4, 7]) {
    it(`n = ${n}: the backups learn it, leave the view together and the next primary commits it`, () => {
      const net = new TestNetwork(n, { batchTimeout: 5 });
      net.crash(0);
      net.step(1, { type: 'request', request: request('only-one', 1) });
      net.run(12_000);
      const live = Array.from({ length: n - 1 }, (_, i) => i + 1);
      for (const s of statusOf(net, live)) expect(s).toMatchObject({ view: 1, inViewChange: false, height: 1 });
      for (const i of live) expect(net.apps[i].executed).toBe(1);
      net.checkAgreement();
    });
  }

  it('with the primary alive, a forward a backup receives from a peer reaches the primary and commits without a view change', () => {
    const net = new TestNetwork(4, { batchTimeout: 5 });
    net.step(2, { type: 'message', bytes: signForward(net.signers[1], 1, [request('relayed', 1)]) });
    net.run(1000);
    expect(statusOf(net, [0, 1, 2, 3])).toEqual(Array(4).fill({ view: 0, inViewChange: false, height: 1 }));
  });
});

describe('forwardDelay', () => {
  it('passes a client transaction on to the primary after forwardDelay, not a retransmission interval', () => {
    for (const [forwardDelay, by] of [[0, 60], [undefined, 300]] as const) {
      const net = new TestNetwork(4, { batchTimeout: 5, retransmitInterval: 250, forwardDelay });
      const forwardedAt: number[] = [];
      net.filter = (e) => (e.bytes[1] === MessageType.Forward && forwardedAt.push(net.now), true);
      net.step(1, { type: 'request', request: request('shy', 1) });
      net.run(by);
      expect(net.replica(0).status().height, `forwardDelay ${forwardDelay}`).toBe(1);
      expect(Math.min(...forwardedAt)).toBeGreaterThanOrEqual(forwardDelay ?? 250);
      if (forwardDelay === 0) expect(Math.min(...forwardedAt)).toBeLessThanOrEqual(20);
    }
    expect(() => new TestNetwork(4, { forwardDelay: -1 })).toThrow(/config.forwardDelay/);
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

describe('COMPLAINT, COMPLAINTS and FORWARD frames from a peer: bad ones are dropped and counted, costing no verification where structure decides', () => {
  function counted(net: TestNetwork, id: number) {
    const tally = { checks: 0 };
    const config = net.config(id);
    const inner = config.verifier;
    net.replicas[id] = new Replica({ ...config, verifier: { verifyBatch: (checks) => ((tally.checks += checks.length), inner.verifyBatch(checks)) } });
    return tally;
  }
  const dropped = (ready: Ready) => Object.entries(ready.stats.dropped).filter(([, n]) => n > 0);

  it('a COMPLAINT with a sequence number or a digest is invalid, unverified', () => {
    const net = new TestNetwork(4);
    const tally = counted(net, 1);
    for (const [seq, digest] of [[1, new Uint8Array(32)], [0, new Uint8Array(32).fill(1)]] as const) {
      const ready = net.step(1, { type: 'message', bytes: signVote(net.signers[2], MessageType.Complaint, 2, 0, seq, digest) });
      expect(dropped(ready)).toEqual([['invalid', 1]]);
    }
    expect(tally.checks).toBe(0);
    expect(net.replica(1).status().view).toBe(0);
  });

  it('COMPLAINTS with too few, duplicate or earlier-view complaints are invalid, unverified; a forged one inside fails the batch', () => {
    const net = new TestNetwork(4);
    const tally = counted(net, 1);
    const c = (from: number, view = 0) => complaint(net, from, view);
    const cases: [number, Uint8Array[]][] = [
      [0, [c(3)]], // f complaints: fewer than f+1
      [0, [c(3), c(3)]], // one sender twice
      [1, [c(3, 1), c(0, 0)]], // one about a view before the frame's
    ];
    for (const [view, complaints] of cases) {
      const ready = net.step(1, { type: 'message', bytes: signComplaints(net.signers[2], 2, view, complaints) });
      expect(dropped(ready)).toEqual([['invalid', 1]]);
    }
    expect(tally.checks).toBe(0);
    const forged = c(3).slice();
    forged[forged.length - 1] ^= 1;
    const ready = net.step(1, { type: 'message', bytes: signComplaints(net.signers[2], 2, 0, [c(0), forged]) });
    expect(dropped(ready)).toEqual([['badSignature', 1]]);
    expect(tally.checks).toBe(3);
    expect(net.replica(1).status()).toMatchObject({ view: 0, inViewChange: false });
  });

  it('a FORWARD during a view change is stale; one over the batch size is malformed; its transactions are admitted like a client\'s, at a backup too', () => {
    const net = new TestNetwork(4, { batchSize: 2, batchTimeout: 1000 });
    // Nonce 9 leaves a gap: refused as a client's would be.
    expect(dropped(net.step(1, { type: 'message', bytes: signForward(net.signers[2], 2, [request('fwd', 9)]) }))).toEqual([['nonceGap', 1]]);
    expect(net.replica(1).status().pending).toBe(0);
    expect(dropped(net.step(1, { type: 'message', bytes: signForward(net.signers[2], 2, [request('fwd', 1)]) }))).toEqual([]);
    expect(net.replica(1).status().pending).toBe(1);
    net.step(3, { type: 'message', bytes: complaint(net, 1, 0) });
    net.step(3, { type: 'message', bytes: complaint(net, 2, 0) });
    expect(net.replica(3).status()).toMatchObject({ inViewChange: true });
    expect(dropped(net.step(3, { type: 'message', bytes: signForward(net.signers[2], 2, [request('fwd', 1)]) }))).toEqual([['stale', 1]]);
    const three = [1, 2, 3].map((s) => request('fwd', s));
    expect(dropped(net.step(0, { type: 'message', bytes: signForward(net.signers[2], 2, three) }))).toEqual([['malformed', 1]]);
    const junk = new Uint8Array(40).fill(7);
    const ready = net.step(0, { type: 'message', bytes: signForward(net.signers[2], 2, [request('fwd', 1), junk]) });
    expect(dropped(ready)).toEqual([['malformed', 1]]);
    expect(net.replica(0).status().pending).toBe(1);
  });
});

describe('a Byzantine VIEW-CHANGE sent to one replica only', () => {
  it('moves a replica whose own timer fired, which passes both signals on: the others follow instead of leaving it alone', () => {
    const net = new TestNetwork(4, { batchTimeout: 5 });
    net.isolate(1);
    net.replicas[1]?.step({ type: 'request', request: request('cut', 1) });
    net.run(1500);
    expect(net.replica(1).status()).toMatchObject({ view: 0, inViewChange: false });
    // Replica 3 (Byzantine) tells replica 1 alone that it wants view 1, with a valid VIEW-CHANGE:
    // with its own complaint that is f+1, and it leaves, passing both on in a COMPLAINTS frame.
    const genesis = net.replica(1).genesisHash();
    const vc = signViewChange(net.signers[3], 3, { newView: 1, committed: { height: 0, hash: genesis, cert: [] }, prepared: [], latest: null, blocks: [] });
    const ready = net.step(1, { type: 'message', bytes: vc });
    expect(net.replica(1).status()).toMatchObject({ view: 1, inViewChange: true });
    expect(ready.messages.some((m) => m.bytes[1] === MessageType.Complaints)).toBe(true);
    net.heal();
    for (let s = 2; s <= 4; s++) net.submit(request('cut', s));
    net.run(1500);
    const height = net.replica(0).status().height;
    expect(height).toBeGreaterThanOrEqual(1);
    expect(statusOf(net, [0, 1, 2])).toEqual(Array(3).fill({ view: net.replica(0).status().view, inViewChange: false, height }));
  });
});
