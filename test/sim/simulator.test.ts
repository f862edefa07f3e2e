import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes/index.js';
import { blockHash, type CommittedBlock, defaultTxRoot, encodeBlock, encodePrePrepare, MessageType, signVote } from '../../src/consensus/index.js';
import { sha256 } from '../../src/hash/index.js';
import { nodeEd25519Signer, nodeSha256 } from '../../src/node/index.js';
import { describeParameters, drawFaults, drawParameters, FAULTS, InvariantChecker, Prng, type SimOptions, simulate } from '../../src/sim/index.js';
import { expectRefusals } from '../_support/refusals.js';
import { Rng, testSeed } from '../_support/seed.js';
import { request } from '../_support/requests.js';

describe('simulator determinism', () => {
  it('gives the same trace hash for the same seed and a different one for another seed', () => {
    const seed = testSeed('sim determinism') % 10_000;
    const a = simulate({ seed, duration: 2 });
    const b = simulate({ seed, duration: 2 });
    const c = simulate({ seed: seed + 1, duration: 2 });
    expect(a.traceHash).toBe(b.traceHash);
    expect(a.committedBlocks).toBe(b.committedBlocks);
    expect(a.traceHash).not.toBe(c.traceHash);
    expect(a.traceHash).toMatch(/^[0-9a-f]{16}$/);
  });

  it('replays a swarm run exactly from its one-line repro (seed, replicas, Byzantine count, faults, duration)', () => {
    // Regression: the swarm run drew its fault mix from a fork that a run with --faults skipped, so
    // every later draw (Byzantine ids, schedule) differed and the printed repro replayed another run.
    for (const seed of [1, 2, 3]) {
      const swarm = simulate({ seed, duration: 2 });
      const replay = simulate({ seed, duration: 2, replicas: swarm.replicas, byzantine: swarm.byzantine, faults: swarm.faults });
      expect(replay.byzantineIds).toEqual(swarm.byzantineIds);
      expect(replay.parameters).toEqual(swarm.parameters);
      expect(replay.traceHash).toBe(swarm.traceHash);
    }
  });

  it('draws a fault mix per seed with at least one Byzantine behaviour', () => {
    const mixes = new Set<string>();
    for (let s = 0; s < 50; s++) {
      const mix = drawFaults(new Prng(s));
      for (const f of mix) expect(FAULTS).toContain(f);
      mixes.add(mix.join(','));
    }
    expect(mixes.size).toBeGreaterThan(30);
  });

  it('refuses bad options before running, naming simulate and the option', () => {
    const sim = (o: unknown) => () => simulate(o as SimOptions);
    expectRefusals([
      ['options', sim(null), 'type', 'simulate', 'options', 'got null'],
      ['seed missing', sim({}), 'type', 'simulate', 'options.seed', 'got undefined'],
      ['seed negative', sim({ seed: -1 }), 'range', 'simulate', 'options.seed', 'in [0, 4294967295]'],
      ['seed fractional', sim({ seed: 1.5 }), 'range', 'simulate', 'options.seed'],
      ['replicas < 4', sim({ seed: 1, replicas: 3 }), 'range', 'simulate', 'options.replicas', 'in [4, 64], got 3'],
      ['byzantine > f', sim({ seed: 1, replicas: 4, byzantine: 2 }), 'range', 'simulate', 'options.byzantine', 'in [0, 1], got 2'],
      ['faults not a list', sim({ seed: 1, faults: 'drop' }), 'type', 'simulate', 'options.faults'],
      ['unknown fault', sim({ seed: 1, faults: ['drop', 'gremlins'] }), 'range', 'simulate', 'options.faults[1]', "got 'gremlins'"],
      ['duration 0', sim({ seed: 1, duration: 0 }), 'range', 'simulate', 'options.duration'],
      ['duration NaN', sim({ seed: 1, duration: Number.NaN }), 'range', 'simulate', 'options.duration'],
      ['clients', sim({ seed: 1, clients: -1 }), 'range', 'simulate', 'options.clients'],
      ['onCommit', sim({ seed: 1, onCommit: 'log' }), 'type', 'simulate', 'options.onCommit'],
      ['replica', sim({ seed: 1, replica: 5 }), 'type', 'simulate', 'options.replica'],
      ['link.latency', sim({ seed: 1, link: { latency: -2 } }), 'range', 'simulate', 'options.link.latency'],
      ['load', sim({ seed: 1, load: { rate: 0, payloadBytes: 8 } }), 'range', 'simulate', 'options.load.rate'],
      ['load.payloadBytes', sim({ seed: 1, load: { rate: 10, payloadBytes: 1 << 20 } }), 'range', 'simulate', 'options.load.payloadBytes'],
      ['crypto.hash', sim({ seed: 1, crypto: { signer: () => 0, verifier: () => 0 } }), 'type', 'simulate', 'options.crypto.hash'],
    ]);
    // Options of the replica itself are checked by the replica, naming it.
    expect(() => simulate({ seed: 1, duration: 0.1, replica: { batchSize: 0 } })).toThrow('Replica: config.batchSize');
  });

  it('commits on a fault-free network with no Byzantine replica, on the fast path', () => {
    const r = simulate({ seed: 7, byzantine: 0, faults: [], duration: 2 });
    expect(r.violations).toEqual([]);
    expect(r.committedBlocks).toBeGreaterThan(20);
    expect(r.byzantineIds).toEqual([]);
  });
});

describe('Prng', () => {
  it('is reproducible and roughly uniform', () => {
    const seed = testSeed('prng');
    const a = new Prng(seed);
    const b = new Prng(seed);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 10_000; i++) {
      const x = a.int(10);
      expect(b.int(10)).toBe(x);
      counts[x]++;
    }
    for (const c of counts) expect(c).toBeGreaterThan(800);
    const rng = new Rng(seed);
    expect(new Prng(rng.u32()).exp(5)).toBeGreaterThanOrEqual(0);
  });
});

describe('drawParameters', () => {
  it('draws parameters for the active faults only, the same for a seed whatever else is active', () => {
    const all = drawParameters(new Prng(9), FAULTS);
    expect(Object.keys(all).sort()).toEqual(['clockSkew', 'corruptDisk', 'crash', 'delay', 'disk', 'drop', 'duplicate', 'isolate', 'oneWay', 'partition', 'reorder', 'reorderTxs', 'slowDisk', 'tornWrite']);
    const some = drawParameters(new Prng(9), ['drop', 'crash', 'silence']);
    expect(some).toEqual({ drop: all.drop, crash: all.crash, disk: all.disk });
    expect(drawParameters(new Prng(9), ['slow-disk'])).toEqual({ disk: all.disk, slowDisk: all.slowDisk });
    expect(drawParameters(new Prng(10), ['drop']).drop).not.toEqual(all.drop);
    expect(describeParameters(some)).toMatch(new RegExp(`^drop ${Math.round(all.drop!.rate * 1000) / 10}%, crash every [\\d.]+ s for .+, disk [\\d.]+ ms$`));
  });

  it('keeps each parameter within its range over many seeds', () => {
    for (let seed = 0; seed < 200; seed++) {
      const p = drawParameters(new Prng(seed), FAULTS);
      expect(p.drop!.rate).toBeGreaterThanOrEqual(0.01);
      expect(p.drop!.rate).toBeLessThanOrEqual(0.2);
      expect(p.duplicate!.rate).toBeLessThanOrEqual(0.1);
      expect(p.delay!.mean).toBeGreaterThanOrEqual(10);
      expect(p.partition!.length).toBeLessThanOrEqual(1200);
      expect(p.crash!.downtime).toBeGreaterThanOrEqual(200);
    }
  });
});

describe('InvariantChecker', () => {
  const genesis = nodeSha256(new Uint8Array([1]));
  const txRoot = defaultTxRoot();
  const block = (height: number, parent: Uint8Array, txs: Uint8Array[] = []): CommittedBlock => {
    const b = { height, parent, txRoot: txRoot(txs), txs };
    return { height, hash: blockHash(b, nodeSha256), view: 0, block: b, cert: [], via: 'slow' };
  };

  it('reports held state above its documented bound, results no honest replica executed, and transactions executed with two results', () => {
    const c = new InvariantChecker(nodeSha256, genesis, new Set());
    c.held(2, { votes: 10, proposals: 3 }, { votes: 10, proposals: 2 });
    expect(c.violations).toEqual(['memory bound: replica 2 holds 3 proposals, above the bound 2']);
    const txId = new Uint8Array(32).fill(5);
    const reply = (replica: number, result: number) => {
      const bytes = new Uint8Array([result]);
      return { replica, txId, sender: new Uint8Array(32), nonce: 1, height: 1, result: bytes, resultHash: sha256(bytes) };
    };
    c.accepted(0, reply(1, 7), new Uint8Array([7]));
    expect(c.violations.at(-1)).toMatch(/^client 0 accepted a result for transaction 0505.*which no honest replica executed/);
    c.executed(reply(1, 7), 10);
    c.executed(reply(2, 8), 11);
    expect(c.violations.at(-1)).toMatch(/^result agreement: replica 2 answered transaction 0505/);
    c.accepted(0, reply(3, 9), new Uint8Array([9]));
    expect(c.violations.at(-1)).toMatch(/^client 0 accepted a result for transaction 0505.* other than the one executed/);
    expect(c.executedAt.get(bytesToHex(txId))).toBe(10);
  });

  it('reports two honest replicas committing different blocks at one height', () => {
    const c = new InvariantChecker(nodeSha256, genesis, new Set());
    const a = block(1, genesis);
    const b = block(1, nodeSha256(new Uint8Array([9])));
    c.commit(0, a, null);
    c.commit(1, b, null);
    expect(c.violations.some((v) => v.startsWith('agreement'))).toBe(true);
  });

  it('reports a broken hash chain, an unsubmitted or undecodable transaction, diverging state and false evidence', () => {
    const c = new InvariantChecker(nodeSha256, genesis, new Set([3]));
    const b1 = block(1, genesis);
    c.commit(0, b1, new Uint8Array([1]));
    c.commit(1, b1, new Uint8Array([2]));
    c.commit(0, block(2, genesis), null);
    const forged = request('mallory', 1);
    c.commit(0, block(3, genesis, [forged, new Uint8Array([1, 65, 1])]), null);
    c.evidence(0, { kind: 'equivocation', validator: 2, publicKey: new Uint8Array(32), view: 0, seq: 1, first: forged, second: forged });
    const kinds = c.violations.map((v) => v.split(':')[0]);
    expect(kinds).toEqual(expect.arrayContaining(['state agreement', 'hash chain', 'validity', 'false evidence']));
    expect(c.violations.filter((v) => v.startsWith('validity'))).toEqual([
      expect.stringMatching(/never signed and submitted by its sender/),
      expect.stringMatching(/is not a transaction/),
    ]);
  });

  it('builds and verifies a commit proof per height, and reports one that does not verify (no certificate here)', () => {
    const c = new InvariantChecker(nodeSha256, genesis, new Set(), () => ({ chainId: 'test-chain', validators: [0, 1, 2, 3].map((i) => new Uint8Array(32).fill(i)) }));
    const tx = request('alice', 1);
    c.submit(tx);
    c.commit(0, block(1, genesis, [tx]), null);
    expect(c.proofsChecked).toBe(1);
    expect(c.violations).toEqual([expect.stringMatching(/^commit proof: replica 0's block 1, transaction 0: /)]);
  });

  it('a simulated network commits blocks whose commit proofs all verify', () => {
    const r = simulate({ seed: 4, duration: 2, faults: [], byzantine: 0 });
    expect(r.proofsChecked).toBe(r.committedBlocks);
    expect(r.proofsChecked).toBeGreaterThan(10);
    expect(r.violations).toEqual([]);
  });

  it('reports a (sender, nonce) committed at two heights, even when its sender submitted it', () => {
    const c = new InvariantChecker(nodeSha256, genesis, new Set());
    const tx = request('alice', 1);
    c.submit(tx);
    c.commit(0, block(1, genesis, [tx]), null);
    expect(c.violations).toEqual([]);
    c.commit(0, block(2, genesis, [tx]), null);
    expect(c.violations).toEqual(expect.arrayContaining([expect.stringMatching(/^exactly-once: \(sender, nonce\) [0-9a-f]{64}:1 committed twice \(heights 1 and 2\)/)]));
  });
});

describe('InvariantChecker: double votes', () => {
  const signers = [0, 1, 2].map((i) => nodeEd25519Signer(nodeSha256(new Uint8Array([i]))));
  const digest = (x: number) => new Uint8Array(32).fill(x);

  it('reports an honest replica that sends two digests for one (type, view, seq), in a vote or a pre-prepare', () => {
    const c = new InvariantChecker(nodeSha256, new Uint8Array(32), new Set([2]));
    c.sent(1, signVote(signers[1], MessageType.Commit, 1, 3, 7, digest(1)));
    c.sent(1, signVote(signers[1], MessageType.Commit, 1, 3, 7, digest(1)));
    c.sent(1, signVote(signers[1], MessageType.Commit, 1, 4, 7, digest(2)));
    c.sent(1, signVote(signers[1], MessageType.Prepare, 1, 3, 7, digest(2)));
    expect(c.violations).toEqual([]);
    c.sent(1, signVote(signers[1], MessageType.Commit, 1, 3, 7, digest(3)));
    expect(c.violations).toEqual([expect.stringMatching(/^double vote: honest replica 1 sent COMMIT \(view 3, seq 7\)/)]);
    const block = { height: 7, parent: digest(0), txRoot: digest(0), txs: [] };
    const proposal = signVote(signers[0], MessageType.Prepare, 0, 3, 7, blockHash(block, nodeSha256));
    c.sent(0, signVote(signers[0], MessageType.Prepare, 0, 3, 7, digest(4)));
    c.sent(0, encodePrePrepare(0, proposal, encodeBlock(block)));
    expect(c.violations[1]).toMatch(/^double vote: honest replica 0 sent PREPARE \(view 3, seq 7\)/);
  });

  it('ignores votes of others passed on, and frames that are not votes', () => {
    const c = new InvariantChecker(nodeSha256, new Uint8Array(32), new Set());
    c.sent(1, signVote(signers[2], MessageType.Prepare, 2, 0, 1, digest(1)));
    c.sent(1, signVote(signers[2], MessageType.Prepare, 2, 0, 1, digest(2)));
    c.sent(1, new Uint8Array([1, 7, 1, 0]));
    expect(c.violations).toEqual([]);
  });
});

describe('disk faults', () => {
  it('a disk damaged beyond recovery keeps its replica down, only while Byzantine + failed replicas stay within f', () => {
    const r = simulate({ seed: 2, duration: 4, byzantine: 0, faults: ['corrupt-disk'] });
    expect(r.failedIds).toEqual([2]);
    expect(r.status[2]).toBeNull();
    expect(r.violations).toEqual([]);
    for (const seed of [2, 12, 17, 18]) expect(simulate({ seed, duration: 4, faults: ['corrupt-disk'] }).failedIds).toEqual([]);
  });
});

describe('each fault on its own', () => {
  for (const fault of FAULTS) {
    it(`${fault}: no invariant breaks and commits resume`, () => {
      const r = simulate({ seed: 1000 + FAULTS.indexOf(fault), faults: [fault], duration: 4 });
      expect(r.violations).toEqual([]);
      expect(r.committedBlocks).toBeGreaterThan(0);
    });
  }
});
