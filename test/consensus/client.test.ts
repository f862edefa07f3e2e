import { describe, expect, it } from 'vitest';
import { Client, ConsensusConfigError } from '../../src/consensus/index.js';
import { TestNetwork } from '../_support/testNetwork.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

describe('Client', () => {
  it('accepts a result only after f+1 matching replies from distinct replicas', () => {
    const c = new Client({ clientId: enc.encode('cli'), replicas: 4 });
    const { request } = c.request(enc.encode('x'));
    const reply = (replica: number, result: string) => ({ replica, clientId: request.clientId, seq: request.seq, height: 1, result: enc.encode(result) });
    expect(c.onReply(reply(0, 'lie'))).toBeUndefined();
    expect(c.onReply(reply(1, 'ok'))).toBeUndefined();
    expect(c.onReply(reply(1, 'ok'))).toBeUndefined(); // same replica twice does not count twice
    expect(dec.decode(c.onReply(reply(2, 'ok')))).toBe('ok');
    expect(c.pending()).toBeNull();
  });

  it('gets its result through a network of replicas, once per request', () => {
    const net = new TestNetwork(4, { batchTimeout: 0 });
    const c = new Client({ clientId: enc.encode('kv'), replicas: 4 });
    const results: string[] = [];
    for (const value of ['a', 'b']) {
      const { bytes } = c.request(new Uint8Array([1, 1, 0, 107, ...enc.encode(value)]));
      net.submit(bytes);
      net.deliver();
      for (const r of net.replies.splice(0)) {
        const out = c.onReply(r);
        if (out) results.push(dec.decode(out));
      }
    }
    expect(results).toEqual(['', 'a']); // `set k` returns the previous value
  });

  it('validates its options', () => {
    expect(() => new Client({ clientId: enc.encode('x'), replicas: 3 })).toThrow(ConsensusConfigError);
    expect(() => new Client({ clientId: 'x' as never, replicas: 4 })).toThrow(TypeError);
    const c = new Client({ clientId: enc.encode('x'), replicas: 4 });
    c.request(new Uint8Array(0));
    expect(() => c.request(new Uint8Array(0))).toThrow(ConsensusConfigError);
  });
});
