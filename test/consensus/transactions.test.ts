import { describe, expect, it } from 'vitest';
import { blockHash, defaultTxRoot, encodeBlock, encodePrePrepare, MessageType, Replica, signVote } from '../../src/consensus/index.js';
import { nodeSha256 } from '../../src/node/index.js';
import { signTransaction } from '../../src/tx/index.js';
import { account, request, TEST_CHAIN } from '../_support/requests.js';
import { TestNetwork } from '../_support/testNetwork.js';

const enc = new TextEncoder();

function flipLastBit(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  out[out.length - 1] ^= 1;
  return out;
}

/** Rebuilds replica `i` of `net` with a verifier that records the size of each `verifyBatch` call. */
function countVerifierCalls(net: TestNetwork, i: number): number[] {
  const calls: number[] = [];
  const config = net.config(i);
  const inner = config.verifier;
  net.replicas[i] = new Replica({ ...config, verifier: { verifyBatch: (checks) => (calls.push(checks.length), inner.verifyBatch(checks)) } });
  return calls;
}

/** Replica `to`'s view of a PRE-PREPARE from primary 0 of view 0 for height 1 carrying `txs`. */
function proposal(net: TestNetwork, txs: Uint8Array[]): Uint8Array {
  const block = { height: 1, parent: net.replica(1).genesisHash(), txRoot: defaultTxRoot()(txs), txs };
  const vote = signVote(net.signers[0], MessageType.Prepare, 0, 0, 1, blockHash(block, nodeSha256));
  return encodePrePrepare(0, vote, encodeBlock(block));
}

describe('transactions in the replica', () => {
  it('admits signed transactions and refuses, counting each reason, what must never execute', () => {
    const net = new TestNetwork(4);
    const r = net.replica(1);
    const forged = flipLastBit(request('eve', 1));
    const cases: [Uint8Array, string][] = [
      [new Uint8Array([1, 2, 3]), 'malformed'],
      [request('eve', 1, 'k', 'v', 'other-chain'), 'wrongChain'],
      [signTransaction({ chainId: TEST_CHAIN, nonce: 1, payload: new Uint8Array(70_000) }, account('eve'), { maxPayload: 1 << 20 }).bytes, 'txTooLarge'],
      [forged, 'badTxSignature'],
      [request('eve', 2000), 'nonceGap'],
    ];
    for (const [bytes, reason] of cases) {
      const ready = r.step({ type: 'request', request: bytes });
      expect(ready.stats.dropped[reason as keyof typeof ready.stats.dropped], reason).toBe(1);
    }
    expect(r.status().pending).toBe(0);
    expect(r.step({ type: 'request', request: request('eve', 1) }).stats.dropped).toMatchObject({ malformed: 0, badTxSignature: 0 });
    expect(r.status().pending).toBe(1);
  });

  it('says in the Ready which client transactions of the input it refused, by position and reason', () => {
    const net = new TestNetwork(4);
    const r = net.replica(1);
    expect(r.step({ type: 'request', request: request('ann', 1) }).refused).toEqual([]);
    const input = [request('bob', 1), new Uint8Array([1, 2, 3]), request('ann', 1), flipLastBit(request('cat', 1)), request('dan', 2000), request('eve', 1)];
    const ready = r.step({ type: 'requests', requests: input });
    expect([...ready.refused].sort((a, b) => a.index - b.index)).toEqual([
      { index: 1, reason: 'malformed' },
      { index: 2, reason: 'duplicate' },
      { index: 3, reason: 'badTxSignature' },
      { index: 4, reason: 'nonceGap' },
    ]);
    expect(r.status().pending).toBe(3);
    expect(r.step({ type: 'tick', now: 1 }).refused).toEqual([]);
  });

  it('verifies a batch of transactions in one verifyBatch call, or not at all when the host says it did', () => {
    const net = new TestNetwork(4);
    const calls = countVerifierCalls(net, 1);
    const txs = ['a', 'b', 'c'].map((c) => request(c, 1));
    net.replica(1).step({ type: 'requests', requests: txs });
    expect(calls).toEqual([3]);
    net.replica(1).step({ type: 'requests', requests: ['d', 'e'].map((c) => request(c, 1)), verified: true });
    expect(calls).toEqual([3]);
    expect(net.replica(1).status().pending).toBe(5);
  });

  it('holds a sender’s nonces in order without a gap, and refuses a second transaction for a pending (sender, nonce)', () => {
    const net = new TestNetwork(4, { batchTimeout: 1e9, batchSize: 100 });
    const r = net.replica(1);
    expect(r.step({ type: 'requests', requests: [request('ann', 1), request('ann', 2), request('ann', 4)] }).stats.dropped.nonceGap).toBe(1);
    expect(r.step({ type: 'request', request: request('ann', 2, 'other', 'value') }).stats.dropped.duplicate).toBe(1);
    expect(r.step({ type: 'requests', requests: [request('ann', 3), request('ann', 4)] }).stats.dropped.nonceGap).toBe(0);
    expect(r.status().pending).toBe(4);
  });

  it('executes each (sender, nonce) once, in nonce order, and a replay is dropped and answered from the account table', () => {
    const net = new TestNetwork(4);
    for (const nonce of [1, 2, 3]) net.submit(request('bob', nonce, 'k', `v${nonce}`));
    net.deliver();
    net.run(50);
    expect(net.apps.map((a) => a.executed)).toEqual([3, 3, 3, 3]);
    expect(net.apps[2].get('k')).toBe('v3');
    net.replies.length = 0;
    const ready = net.replica(0).step({ type: 'request', request: request('bob', 3, 'k', 'v3') });
    expect(ready.stats.dropped.replay).toBe(1);
    expect(ready.replies).toMatchObject([{ nonce: 3 }]);
    expect(net.replica(0).step({ type: 'request', request: request('bob', 2, 'k', 'v2') }).replies).toEqual([]); // older: no answer
    expect(net.apps[0].executed).toBe(3);
  });

  it('a client equivocating on a nonce gets one of its two transactions executed, the same on every replica', () => {
    const net = new TestNetwork(4);
    const first = request('carl', 1, 'k', 'one');
    const second = request('carl', 1, 'k', 'two');
    for (let i = 0; i < 4; i++) net.step(i, { type: 'request', request: i % 2 === 0 ? first : second });
    net.deliver();
    net.run(50);
    const values = net.apps.map((a) => a.get('k'));
    expect(new Set(values).size).toBe(1);
    expect(net.apps.map((a) => a.executed)).toEqual([1, 1, 1, 1]);
  });

  for (const [name, txs] of [
    ['a forged signature', () => [flipLastBit(request('dan', 1))]],
    ['a transaction for another chain', () => [request('dan', 1, 'k', 'v', 'other-chain')]],
    ['a nonce gap', () => [request('dan', 2)]],
    ['nonces out of order', () => [request('dan', 2), request('dan', 1)]],
    ['two transactions with one (sender, nonce)', () => [request('dan', 1), request('dan', 1, 'x', 'y')]],
    ['bytes that are not a transaction', () => [enc.encode('junk')]],
  ] as const) {
    it(`a backup refuses a proposal with ${name}, executes nothing and complains; f+1 complaints replace the primary`, () => {
      const net = new TestNetwork(4);
      const bad = proposal(net, txs());
      const ready = net.step(1, { type: 'message', bytes: bad });
      expect(ready.stats.dropped.invalid).toBe(1);
      expect(ready.messages.some((m) => m.bytes[1] === MessageType.Prepare)).toBe(false);
      expect(ready.messages.some((m) => m.bytes[1] === MessageType.Complaint)).toBe(true);
      // Alone it stays in the view (a primary singling it out cannot strand it in a view change).
      expect(net.replica(1).status()).toMatchObject({ view: 0, inViewChange: false });
      net.step(2, { type: 'message', bytes: bad });
      net.deliver();
      for (const i of [1, 2, 3]) expect(net.replica(i).status()).toMatchObject({ view: 1, inViewChange: false, height: 0 });
      for (const i of [1, 2, 3]) expect(net.apps[i].executed).toBe(0);
    });
  }

  it('a backup votes for a valid proposal, verifying only the transactions it has not verified before', () => {
    const net = new TestNetwork(4);
    const calls = countVerifierCalls(net, 1);
    const seen = request('fay', 1);
    net.replica(1).step({ type: 'request', request: seen });
    const ready = net.replica(1).step({ type: 'message', bytes: proposal(net, [seen, request('gus', 1)]) });
    expect(ready.messages.some((m) => m.bytes[1] === MessageType.Prepare)).toBe(true);
    // admission: 1; the proposal: its pre-prepare vote, then only gus's transaction
    expect(calls).toEqual([1, 1, 1]);
  });

  it('frames signed for another chain or epoch fail verification: every signature binds the network', () => {
    for (const other of [{ chainId: 'other-chain' }, { epoch: 1 }]) {
      const forger = new TestNetwork(4, other);
      const net = new TestNetwork(4);
      const block = { height: 1, parent: net.replica(1).genesisHash(), txRoot: defaultTxRoot()([]), txs: [] };
      const vote = signVote(forger.signers[0], MessageType.Prepare, 0, 0, 1, blockHash(block, nodeSha256));
      const ready = net.replica(1).step({ type: 'message', bytes: encodePrePrepare(0, vote, encodeBlock(block)) });
      expect(ready.stats.dropped.badSignature).toBe(1);
    }
  });
});
