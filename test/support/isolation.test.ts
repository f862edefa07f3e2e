import { expect, it } from 'vitest';
import { clusterChain, NodeCluster } from '../_support/nodeCluster.js';
import { closed, rawClient } from '../net/cluster.js';

// Two clusters of one test process must not be able to talk: before isolation.ts, every cluster
// of every file had one chain id and one set of network keys, and a transport reconnecting to a
// freed port reached another cluster's node through mutual TLS (a CI failure: a node that was to
// state-sync held another cluster's block 1).

it('gives each cluster its own network keys and each file its own chain id; a stranger cluster is refused', async () => {
  const a = await NodeCluster.start(4, { kind: 'memory' });
  const b = await NodeCluster.start(4, { kind: 'memory' });
  try {
    expect(a.genesis.chainId).toBe(clusterChain());
    expect(clusterChain()).toMatch(/isolation-test-ts$/);
    const keysA = a.genesis.validators.map((v) => Buffer.from(v.networkKey).toString('hex'));
    const keysB = b.genesis.validators.map((v) => Buffer.from(v.networkKey).toString('hex'));
    expect(keysA.filter((k) => keysB.includes(k))).toEqual([]);
  } finally {
    await a.close();
    await b.close();
  }
  // Over TLS: node 0 of one cluster refuses a client presenting node 0's key of another.
  const tls = await NodeCluster.start(4);
  const other = await NodeCluster.start(4, { kind: 'memory' });
  try {
    // A client presenting node 1's key of another cluster is cut off, as a stranger is.
    await closed(await rawClient(tls.nodePort(0), other.networkSeed(1)));
  } finally {
    await tls.close();
    await other.close();
  }
});
