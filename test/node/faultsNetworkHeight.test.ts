import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeCluster } from '../_support/nodeCluster.js';

// How far the network is, as a node tells it (`syncing`, `/health` readiness, the state-sync
// metrics), comes from the heights peers' COMMIT and CHECKPOINT votes name — before anything is
// verified. One faulty peer naming a height of 10^9 once made a node report itself syncing (not
// ready) for as long as it ran; a height now counts once f + 1 peers have named it (one of them,
// at least, honest). Four nodes on the in-memory network; the votes are injected as peers' frames.

/** A COMMIT (3) or CHECKPOINT (4) frame of `sender` naming `seq`, with a signature no one made. */
function vote(type: 3 | 4, sender: number, seq: number): Uint8Array {
  const frame = new Uint8Array(4 + 4 + 8 + 32 + 64);
  const view = new DataView(frame.buffer);
  frame.set([1, type]);
  view.setUint16(2, sender, true);
  view.setBigUint64(8, BigInt(seq), true);
  return frame;
}

describe('the height a node believes the network is at', () => {
  let cluster: NodeCluster;
  beforeAll(async () => {
    cluster = await NodeCluster.start(4, { kind: 'memory' });
  });
  afterAll(async () => {
    await cluster?.close();
  });

  const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

  it('is not moved by one peer (f = 1) naming a far-future height', async () => {
    const net = cluster.memoryNetwork!;
    net.transport(1).send(0, vote(3, 1, 1_000_000_000));
    net.transport(1).send(0, vote(4, 1, 2_000_000_000));
    await settle();
    const s = cluster.node(0).status();
    expect(s.networkHeight).toBeLessThan(1000);
    expect(s.syncing).toBe(false);
    expect(cluster.node(0).health()).toMatchObject({ live: true, ready: true });
  });

  it('follows a height f + 1 peers named', async () => {
    const net = cluster.memoryNetwork!;
    net.transport(2).send(0, vote(3, 2, 5_000));
    await settle();
    // Peers 1 (10^9 and 2·10^9) and 2 (5000) both named 5000 or more: one of them is honest.
    expect(cluster.node(0).status().networkHeight).toBe(5_000);
    expect(cluster.node(0).status().syncing).toBe(true);
    expect(cluster.node(0).health()).toMatchObject({ ready: false, reason: expect.stringMatching(/^syncing: height \d+ of 5000$/) });
  });
});
