import { describe, expect, it } from 'vitest';
import { MessageType, signViewChange } from '../../src/consensus/index.js';
import { request } from '../_support/requests.js';
import { TestNetwork } from '../_support/testNetwork.js';

describe('a Byzantine primary that withholds the only commit certificate', () => {
  it('does not stall the views that follow', () => {
    const net = new TestNetwork(4, { batchTimeout: 5, fastPath: false });
    // Replica 0 (primary of view 0) sends its PRE-PREPARE to 2 and 3 only (not to 1, the next primary) and keeps its COMMIT.
    let withhold = true;
    net.filter = (e) => {
      if (e.from !== 0 || !withhold) return true;
      const type = e.bytes[1];
      if (type === MessageType.PrePrepare) return e.to !== 1;
      return type === MessageType.Prepare;
    };
    for (let s = 1; s <= 4; s++) net.submit(request('dave', s));
    net.deliver();
    expect(net.heights()).toEqual([1, 0, 0, 0]);
    const held = net.commits[0][0];
    // From now on replica 0 says only one thing: early VIEW-CHANGEs claiming that height, for every view.
    net.filter = (e) => e.from !== 0;
    const claim = (view: number) =>
      signViewChange(net.signers[0], 0, { newView: view, committed: { height: 1, hash: held.hash, cert: held.cert }, prepared: [], latest: null, blocks: [] });
    for (let s = 5; s <= 8; s++) net.submit(request('dave', s));
    for (let t = 0; t < 200; t++) {
      for (const to of [1, 2, 3]) {
        const { view, inViewChange } = net.replica(to).status();
        net.step(to, { type: 'message', bytes: claim(inViewChange ? view : view + 1) });
      }
      net.run(100);
    }
    // View 1 installs with replica 0's claim as its base; its primary (1) never saw the block but
    // commits it from the body a VIEW-CHANGE in the NEW-VIEW carries, and the view makes progress.
    for (const i of [1, 2, 3]) expect(net.replica(i).status()).toMatchObject({ view: 1, inViewChange: false, height: 2 });
    expect(net.commits[1][0]).toMatchObject({ height: 1, view: 0, via: 'transfer' });
    net.checkAgreement();
  });
});
