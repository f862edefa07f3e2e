import { describe, expect, it } from 'vitest';
import { decodeMessage, MessageType, signVote } from '../../src/consensus/index.js';
import { request } from '../_support/requests.js';
import { TestNetwork, testSigners } from '../_support/testNetwork.js';

describe('PBFT normal case', () => {
  it('commits blocks on the fast path when all n PREPAREs arrive, with no COMMIT phase', () => {
    const net = new TestNetwork(4, { batchTimeout: 5 });
    const sentTypes: number[] = [];
    net.filter = (e) => {
      sentTypes.push(e.bytes[1]);
      return true;
    };
    for (let s = 1; s <= 8; s++) net.submit(request('alice', s));
    net.deliver();
    net.run(50);
    expect(net.heights()).toEqual([2, 2, 2, 2]);
    for (const commits of net.commits) expect(commits.map((c) => c.via)).toEqual(['fast', 'fast']);
    expect(sentTypes).not.toContain(MessageType.Commit);
    net.checkAgreement();
    expect(net.apps.map((a) => a.get('k8'))).toEqual(['v8', 'v8', 'v8', 'v8']);
  });

  it('commits on the slow path (2f+1 COMMITs) while one replica is silent', () => {
    const net = new TestNetwork(4, { batchTimeout: 5 });
    net.isolate(3);
    for (let s = 1; s <= 4; s++) net.submit(request('bob', s));
    net.deliver();
    net.run(100);
    expect(net.heights().slice(0, 3)).toEqual([1, 1, 1]);
    for (const i of [0, 1, 2]) expect(net.commits[i][0].via).toBe('slow');
    expect(net.replica(3).status().height).toBe(0);
  });

  it('commits on the slow path without waiting when the fast path is off', () => {
    const net = new TestNetwork(7, { batchTimeout: 5, fastPath: false });
    for (let s = 1; s <= 4; s++) net.submit(request('carol', s));
    net.deliver();
    expect(net.heights()).toEqual([1, 1, 1, 1, 1, 1, 1]);
    for (const commits of net.commits) expect(commits[0].via).toBe('slow');
  });

  it('executes a transaction once and answers a retransmission from the account table', () => {
    const net = new TestNetwork(4, { batchTimeout: 0 });
    net.submit(request('dave', 1, 'x', 'one'));
    net.deliver();
    net.submit(request('dave', 1, 'x', 'one'));
    net.submit(request('dave', 2, 'x', 'two'));
    net.deliver();
    net.run(30);
    expect(net.apps.map((a) => a.executed)).toEqual([2, 2, 2, 2]);
    const seq1 = net.replies.filter((r) => r.nonce === 1);
    expect(seq1.length).toBe(8); // executed once per replica + one cached reply per replica
  });

  it('drops malformed frames, bad signatures and unknown senders without throwing', () => {
    const net = new TestNetwork(4, { batchTimeout: 5 });
    const r = net.replica(1);
    const junk = [new Uint8Array(0), new Uint8Array([1]), new Uint8Array([9, 2, 0, 0]), new Uint8Array(200).fill(7)];
    for (const bytes of junk) expect(r.step({ type: 'message', bytes }).stats.dropped.malformed).toBe(1);
    for (let s = 1; s <= 4; s++) net.submit(request('erin', s));
    const frame = net.queue.find((e) => e.to === 1 && e.bytes[1] === MessageType.PrePrepare) as { bytes: Uint8Array };
    const forged = frame.bytes.slice();
    forged[40] ^= 1; // inside the embedded vote's signature-covered bytes
    const out = r.step({ type: 'message', bytes: forged });
    expect(out.stats.dropped.badSignature + out.stats.dropped.invalid + out.stats.dropped.malformed).toBe(1);
    const stranger = signVote(testSigners(1, 'stranger')[0], MessageType.Prepare, 9, 0, 1, new Uint8Array(32));
    expect(r.step({ type: 'message', bytes: stranger }).stats.dropped.unknownSender).toBe(1);
    expect(() => r.step({ type: 'message', bytes: 'nope' as unknown as Uint8Array })).not.toThrow();
    net.deliver();
    expect(net.heights()).toEqual([1, 1, 1, 1]);
    expect(decodeMessage(frame.bytes).kind).toBe('preprepare');
  });
});

describe('Replica configuration', () => {
  it('rejects inconsistent configurations with typed errors', async () => {
    const { Replica, ConsensusConfigError } = await import('../../src/consensus/index.js');
    const net = new TestNetwork(4);
    const good = net.config(0);
    expect(() => new Replica({ ...good, validators: net.validators.slice(0, 3) })).toThrow(ConsensusConfigError);
    expect(() => new Replica({ ...good, id: 4 })).toThrow(RangeError);
    expect(() => new Replica({ ...good, signer: net.signers[1] })).toThrow(ConsensusConfigError);
    expect(() => new Replica({ ...good, validators: [net.validators[0], ...net.validators.slice(0, 3)] })).toThrow(ConsensusConfigError);
    expect(() => new Replica({ ...good, verifier: {} as never })).toThrow(TypeError);
    expect(() => new Replica({ ...good, application: {} as never })).toThrow(TypeError);
    expect(() => net.replica(0).step({ type: 'nope' } as never)).toThrow(RangeError);
    expect(() => net.replica(0).step({ type: 'tick', now: Number.NaN })).toThrow(RangeError);
  });
});
