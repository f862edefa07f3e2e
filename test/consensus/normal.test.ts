import { describe, expect, it } from 'vitest';
import { encodeRequest } from '../../src/consensus/index.js';
import { kvSet } from '../../src/sim/kv.js';
import { TestNetwork } from './network.js';

const enc = new TextEncoder();
function request(client: string, seq: number, key = `k${seq}`, value = `v${seq}`): Uint8Array {
  return encodeRequest({ clientId: enc.encode(client), seq, payload: kvSet(key, value) });
}

describe('PBFT normal case', () => {
  it('commits blocks on the fast path when all n PREPAREs arrive', () => {
    const net = new TestNetwork(4, { batchTimeout: 5 });
    for (let s = 1; s <= 8; s++) net.submit(request('alice', s));
    net.deliver();
    net.run(50);
    expect(net.heights()).toEqual([2, 2, 2, 2]);
    for (const commits of net.commits) expect(commits.map((c) => c.via)).toEqual(['fast', 'fast']);
    net.checkAgreement();
    expect(net.apps.map((a) => a.get('k8'))).toEqual(['v8', 'v8', 'v8', 'v8']);
  });
});
