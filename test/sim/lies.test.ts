import { describe, expect, it } from 'vitest';
import { decodeMessage, defaultTxRoot, MessageType, type Ready, signFetch, signNewView, signViewChange, signVote } from '../../src/consensus/index.js';
import { nodeSha256 } from '../../src/node/index.js';
import { simulate } from '../../src/sim/index.js';
import { Liar, NEW_VIEW_LIES, SelectiveViewChange, TRANSFER_LIES, VIEW_CHANGE_LIES } from '../../src/sim/lies.js';
import { Prng } from '../../src/sim/prng.js';
import { request } from '../_support/requests.js';
import { TestNetwork } from '../_support/testNetwork.js';

const SEED = 12;

/** A network whose every frame the liar (validator `id`) sees, as if it were the recipient. */
function watchedNetwork(id: number, options = {}) {
  const net = new TestNetwork(4, { batchTimeout: 5, ...options });
  const liar = new Liar(id, 4, net.signers[id], new Prng(SEED), net.replica(0).genesisHash(), nodeSha256, defaultTxRoot());
  net.filter = (e) => {
    liar.observe(e.bytes);
    return true;
  };
  return { net, liar };
}

const dropped = (ready: Ready) => Object.entries(ready.stats.dropped).filter(([, k]) => k > 0);

describe('fake-viewchange: lies in structure, signed only with its own key, die at the structural check', () => {
  it('each VIEW-CHANGE lie is dropped as invalid with no signature verified; the truth from the same material is verified', () => {
    const { net, liar } = watchedNetwork(1);
    for (let s = 1; s <= 12; s++) net.submit(request('alice', s));
    net.run(200);
    expect(net.heights().every((h) => h >= 3)).toBe(true);
    liar.committed(net.commits[1]);
    const lies = liar.viewChangeLies(0);
    expect(lies.map((l) => l.lie).sort()).toEqual([...VIEW_CHANGE_LIES].sort());
    for (const { lie, frame } of lies) {
      const ready = net.replica(2).step({ type: 'message', bytes: frame() });
      expect({ lie, dropped: dropped(ready), verified: ready.stats.verified }).toEqual({ lie, dropped: [['invalid', 1]], verified: 0 });
    }
    const last = net.commits[1].at(-1) as (typeof net.commits)[number][number];
    const truth = signViewChange(net.signers[1], 1, { newView: 1, committed: { height: last.height, hash: last.hash, cert: last.cert }, prepared: [], latest: null, blocks: [] });
    const ready = net.replica(2).step({ type: 'message', bytes: truth });
    expect(ready.stats.dropped.invalid).toBe(0);
    expect(ready.stats.verified).toBe(1 + last.cert.length);
  });

  it("as the new view's primary, a NEW-VIEW with duplicate senders or too few view changes is dropped as invalid with no signature verified", () => {
    const { net, liar } = watchedNetwork(1);
    const viewChanges = new Map<number, Uint8Array>();
    const watch = net.filter;
    net.filter = (e) => {
      const m = e.bytes[1] === MessageType.ViewChange ? decodeMessage(e.bytes) : null;
      if (m?.kind === 'viewchange' && m.newView === 1) viewChanges.set(m.sender, e.bytes);
      return watch(e);
    };
    for (let s = 1; s <= 4; s++) net.submit(request('bob', s));
    net.deliver();
    net.crash(0);
    net.submit(request('bob', 5));
    net.run(3000);
    expect([1, 2, 3].map((i) => net.replica(i).status().view)).toEqual([1, 1, 1]);
    const lies = liar.newViewLies();
    expect(lies.map((l) => l.lie)).toEqual([...NEW_VIEW_LIES]);
    for (const { lie, frame } of lies) {
      const ready = net.replica(2).step({ type: 'message', bytes: frame() });
      expect({ lie, dropped: dropped(ready), verified: ready.stats.verified }).toEqual({ lie, dropped: [['invalid', 1]], verified: 0 });
    }
    // The same view changes, a quorum of distinct senders: verified (then stale, the view is installed).
    const honest = signNewView(net.signers[1], 1, 1, [...viewChanges.values()].slice(0, 3));
    const ready = net.replica(2).step({ type: 'message', bytes: honest });
    expect(ready.stats.dropped.invalid).toBe(0);
    expect(ready.stats.verified).toBeGreaterThan(3);
  });

  it('in the swarm (seed 3, replica 1 Byzantine, reaching view 2): every lie told, each dropped by every honest replica, no violation', () => {
    const r = simulate({ seed: 3, faults: ['fake-viewchange', 'isolate', 'drop'], duration: 5 });
    expect(r.byzantineIds).toEqual([1]);
    expect(r.violations).toEqual([]);
    expect(Object.keys(r.lies).sort()).toEqual([...VIEW_CHANGE_LIES, ...NEW_VIEW_LIES].sort());
    const told = Object.values(r.lies).reduce((a, b) => a + b, 0);
    // The isolation episode loses some of them on the way.
    for (const i of [0, 2, 3]) expect(r.status[i]?.dropped.invalid).toBeGreaterThanOrEqual(told * 0.75);
    expect(r.committedBlocks).toBeGreaterThan(50);
  });
});

describe('selective-viewchange: a genuine VIEW-CHANGE to a few peers, then silence', () => {
  it('routes its first VIEW-CHANGE to 1..n-2 peers, that frame again to the same ones, and nothing else from then on', () => {
    const signer = new TestNetwork(4).signers[0];
    const liar = new Liar(0, 4, signer, new Prng(SEED), new Uint8Array(32), nodeSha256, defaultTxRoot());
    const selective = new SelectiveViewChange(0, 4, new Prng(SEED), liar);
    const vote = signVote(signer, MessageType.Prepare, 0, 0, 1, new Uint8Array(32));
    const vc = (view: number) => signViewChange(signer, 0, { newView: view, committed: { height: 0, hash: new Uint8Array(32), cert: [] }, prepared: [], latest: null, blocks: [] });
    expect(selective.route(vote, [1, 2, 3])).toEqual([1, 2, 3]);
    expect(selective.silent).toBe(false);
    const chosen = selective.route(vc(1), [1, 2, 3]);
    expect(chosen.length).toBeGreaterThanOrEqual(1);
    expect(chosen.length).toBeLessThanOrEqual(2);
    expect(selective.silent).toBe(true);
    expect(selective.route(vc(1), [1, 2, 3])).toEqual(chosen);
    expect(selective.route(vc(1), [chosen[0]])).toEqual([chosen[0]]);
    expect(selective.route(vc(2), [1, 2, 3])).toEqual([]);
    expect(selective.route(vote, [1, 2, 3])).toEqual([]);
    expect(liar.counts['selective-viewchange']).toBe(3);
  });

  it('in the swarm (seed 3, replica 1 Byzantine): the view changes complete without it and the rest commit, no violation', () => {
    const r = simulate({ seed: 3, faults: ['selective-viewchange', 'isolate', 'partition', 'crash'], duration: 5 });
    expect(r.byzantineIds).toEqual([1]);
    expect(r.violations).toEqual([]);
    expect(r.lies['selective-viewchange']).toBeGreaterThanOrEqual(1);
    // Silent from its first VIEW-CHANGE on, it is a primary no view can use: the honest replicas pass view 1.
    for (const i of [0, 2, 3]) expect(r.views[i]).toBeGreaterThanOrEqual(2);
    expect(r.committedBlocks).toBeGreaterThan(30);
  });
});

describe('subset-newview: a NEW-VIEW from the 2f+1 VIEW-CHANGEs of its choice, to some replicas only', () => {
  for (const [seed, pipeline] of [[3, 1], [14, 1], [3, 8], [14, 8]]) {
    it(`seed ${seed}, W = ${pipeline}: replica 1, primary of view 1, leaves the strongest report out; the new-view rule stays safe and everyone moves on`, () => {
      const r = simulate({ seed, faults: ['subset-newview', 'isolate', 'partition', 'crash'], duration: 5, replica: { pipeline } });
      expect(r.byzantineIds).toEqual([1]);
      expect(r.violations).toEqual([]);
      expect(r.lies['subset-newview']).toBe(1);
      expect(r.lies['left-out-report']).toBeGreaterThanOrEqual(1);
      expect(new Set([0, 2, 3].map((i) => r.views[i])).size).toBe(1);
      expect(r.committedBlocks).toBeGreaterThan(30);
    });
  }
});

describe('transfer-lies: TRANSFERs re-signed with a certificate stripped', () => {
  it('a replica catching up drops each (the checkpoint without its block certificate after verifying, the others before) and is not harmed', () => {
    const net = new TestNetwork(4, { batchTimeout: 5 });
    net.isolate(3);
    for (let s = 1; s <= 40; s++) net.submit(request('carol', s));
    net.run(500);
    expect(net.replica(0).status().stableCheckpoint).toBeGreaterThanOrEqual(8);
    const liar = new Liar(0, 4, net.signers[0], new Prng(SEED), net.replica(0).genesisHash(), nodeSha256, defaultTxRoot());
    const fetch = signFetch(net.signers[3], 3, 1, 0);
    const transfer = (net.replica(0).step({ type: 'message', bytes: fetch }).messages.find((m) => m.bytes[1] === MessageType.Transfer) as { bytes: Uint8Array }).bytes;
    const genuine = decodeMessage(transfer);
    expect(genuine.kind === 'transfer' && genuine.checkpoint !== null && genuine.blocks.length > 0).toBe(true);
    const lies = new Map<string, Uint8Array>();
    for (let k = 0; k < 30 && lies.size < TRANSFER_LIES.length; k++) {
      const before = { ...liar.counts };
      const frame = liar.transfer(transfer);
      const lie = TRANSFER_LIES.find((l) => (liar.counts[l] ?? 0) > (before[l] ?? 0)) as string;
      lies.set(lie, frame);
    }
    expect([...lies.keys()].sort()).toEqual([...TRANSFER_LIES].sort());
    const victim = net.replica(3);
    for (const [lie, frame] of lies) {
      const ready = victim.step({ type: 'message', bytes: frame });
      expect({ lie, dropped: dropped(ready) }).toEqual({ lie, dropped: [['invalid', 1]] });
      if (lie !== 'stripped-checkpoint-block-cert') expect(ready.stats.verified).toBe(0);
      expect(victim.status().height).toBe(0);
      expect(victim.status().stableCheckpoint).toBe(0);
    }
    victim.step({ type: 'message', bytes: transfer });
    expect(victim.status().stableCheckpoint).toBe(net.replica(0).status().stableCheckpoint);
    net.heal();
    net.run(1500);
    expect(new Set(net.heights()).size).toBe(1);
    net.checkAgreement();
  });

  it('in the swarm (seed 3, replica 1 Byzantine): every kind told, no violation', () => {
    const r = simulate({ seed: 3, faults: ['transfer-lies', 'isolate', 'partition', 'crash', 'drop'], duration: 5 });
    expect(r.byzantineIds).toEqual([1]);
    expect(r.violations).toEqual([]);
    expect(Object.keys(r.lies).sort()).toEqual([...TRANSFER_LIES].sort());
    expect(r.committedBlocks).toBeGreaterThan(30);
  });
});
