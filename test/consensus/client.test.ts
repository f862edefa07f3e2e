import { describe, expect, it } from 'vitest';
import { expectRefusals } from '../_support/refusals.js';
import { Client, ConsensusConfigError, type Reply } from '../../src/consensus/index.js';
import { sha256 } from '../../src/hash/index.js';
import { decodeTransaction } from '../../src/tx/index.js';
import { account, request, TEST_CHAIN } from '../_support/requests.js';
import { TestNetwork } from '../_support/testNetwork.js';

const enc = new TextEncoder();
const dec = new TextDecoder();
const key = account('cli').secretKey;

function replyTo(c: Client, replica: number, result: string, txId?: Uint8Array): Reply {
  const p = c.pending();
  if (!p) throw new Error('nothing outstanding');
  const bytes = enc.encode(result);
  return { replica, txId: txId ?? p.id, sender: p.tx.sender, nonce: p.tx.nonce, height: 1, result: bytes, resultHash: sha256(bytes) };
}

describe('Client', () => {
  it('signs each request as the next transaction of its account, on its chain', () => {
    const c = new Client({ chainId: TEST_CHAIN, secretKey: key, replicas: 4, lastNonce: 41 });
    const { tx } = c.request(enc.encode('x'));
    expect(decodeTransaction(tx.bytes, { chainId: TEST_CHAIN })).toMatchObject({ nonce: 42, sender: account('cli').publicKey });
  });

  it('accepts a result only after f+1 matching replies from distinct replicas for its transaction id', () => {
    const c = new Client({ chainId: TEST_CHAIN, secretKey: key, replicas: 4 });
    c.request(enc.encode('x'));
    expect(c.onReply(replyTo(c, 0, 'lie'))).toBeUndefined();
    expect(c.onReply(replyTo(c, 1, 'ok'))).toBeUndefined();
    expect(c.onReply(replyTo(c, 1, 'ok'))).toBeUndefined(); // same replica twice does not count twice
    expect(dec.decode(c.onReply(replyTo(c, 2, 'ok')))).toBe('ok');
    expect(c.pending()).toBeNull();
  });

  it('never counts replies naming another transaction id (the result of a request the primary altered)', () => {
    const c = new Client({ chainId: TEST_CHAIN, secretKey: key, replicas: 4 });
    c.request(enc.encode('x'));
    const other = new Uint8Array(32).fill(9);
    for (const replica of [0, 1, 2, 3]) expect(c.onReply(replyTo(c, replica, 'ok', other))).toBeUndefined();
    expect(c.pending()).not.toBeNull();
  });

  it('never counts a reply from a replica id outside the validator set', () => {
    const c = new Client({ chainId: TEST_CHAIN, secretKey: key, replicas: 4 });
    c.request(enc.encode('x'));
    for (const replica of [4, 5, 1000, -1, 1.5]) expect(c.onReply(replyTo(c, replica, 'ok'))).toBeUndefined();
    expect(c.onReply(replyTo(c, 0, 'ok'))).toBeUndefined();
    expect(dec.decode(c.onReply(replyTo(c, 3, 'ok')))).toBe('ok');
  });

  it('binds each reply to the replica the transport authenticated: one replica cannot answer under other ids', () => {
    const c = new Client({ chainId: TEST_CHAIN, secretKey: key, replicas: 4 });
    c.request(enc.encode('x'));
    // Replica 3 sends replies naming 0, 1 and 2: with `from`, none counts.
    for (const named of [0, 1, 2]) expect(c.onReply(replyTo(c, named, 'lie'), 3)).toBeUndefined();
    expect(c.onReply(replyTo(c, 3, 'ok'), 3)).toBeUndefined();
    expectRefusals([
      ['a string', () => c.onReply(replyTo(c, 1, 'ok'), 'one' as never), 'type', 'Client.onReply', 'from'],
      ['a negative id', () => c.onReply(replyTo(c, 1, 'ok'), -1), 'range', 'Client.onReply', 'from'],
    ]);
    expect(dec.decode(c.onReply(replyTo(c, 1, 'ok'), 1))).toBe('ok');
  });

  it('refuses a result whose bytes do not hash to the agreed result hash', () => {
    const c = new Client({ chainId: TEST_CHAIN, secretKey: key, replicas: 4 });
    c.request(enc.encode('x'));
    expect(c.onReply(replyTo(c, 0, 'ok'))).toBeUndefined();
    const forged = { ...replyTo(c, 1, 'ok'), result: enc.encode('forged') };
    expect(c.onReply(forged)).toBeUndefined();
    expect(dec.decode(c.onReply(replyTo(c, 2, 'ok')))).toBe('ok');
  });

  it('gets its result through a network of replicas, once per transaction', () => {
    const net = new TestNetwork(4, { batchTimeout: 0 });
    const c = new Client({ chainId: TEST_CHAIN, secretKey: account('kv').secretKey, replicas: 4 });
    const results: string[] = [];
    for (const value of ['a', 'b']) {
      const { tx } = c.request(new Uint8Array([1, 1, 0, 107, ...enc.encode(value)]));
      net.submit(tx.bytes);
      net.deliver();
      for (const r of net.replies.splice(0)) {
        const out = c.onReply(r);
        if (out) results.push(dec.decode(out));
      }
    }
    expect(results).toEqual(['', 'a']); // `set k` returns the previous value
  });

  it('a client that lost the reply gets the stored result again by resending the same transaction', () => {
    const net = new TestNetwork(4, { batchTimeout: 0 });
    const tx = request('again', 1);
    net.submit(tx);
    net.deliver();
    net.replies.length = 0;
    net.submit(tx);
    net.deliver();
    expect(net.replies).toHaveLength(4);
    expect(net.replies.every((r) => r.nonce === 1 && r.height === 1)).toBe(true);
    expect(net.apps[0].executed).toBe(1);
  });

  it('validates its options', () => {
    expect(() => new Client({ chainId: TEST_CHAIN, secretKey: key, replicas: 3 })).toThrow(ConsensusConfigError);
    const c = new Client({ chainId: TEST_CHAIN, secretKey: key, replicas: 4 });
    c.request(new Uint8Array(0));
    expect(() => c.request(new Uint8Array(0))).toThrow(ConsensusConfigError);
  });
});
