import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { bytesToHex } from '../../src/bytes/index.js';
import { features, init } from '../../src/index.js';
import { LightClient } from '../../src/light/index.js';
import { transactionId } from '../../src/tx/index.js';
import { Gateway, headerJson } from '../_support/gateway.js';
import { certifiedChain } from '../_support/certifiedChain.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

describe('light client: honest sources', () => {
  it('syncs from genesis, follows pushed headers and verifies transactions', async () => {
    const chain = certifiedChain(6);
    const g = await Gateway.start(chain.blocks.slice(0, 4));
    open.push(g);
    const client = await LightClient.open({ validatorSet: chain.set, sources: [g.url], WebSocket });
    open.push(client);
    const tip = await client.sync();
    expect(tip?.height).toBe(4);
    expect(bytesToHex(tip!.hash)).toBe(bytesToHex(chain.blocks[3].hash));
    const v = await client.verifyTransaction(chain.txs[2]);
    expect(v).toMatchObject({ status: 'committed', height: 3, index: 0 });
    const byId = await client.verifyTransaction(bytesToHex(transactionId(chain.txs[1])));
    expect(byId).toMatchObject({ status: 'committed', height: 2 });
    const seen: number[] = [];
    client.onHeader((h) => seen.push(h.height));
    client.follow();
    await new Promise((r) => setTimeout(r, 200));
    g.hold(chain.blocks.slice(4));
    g.push(headerJson(chain.blocks[5]));
    for (let i = 0; i < 100 && client.height < 6; i++) await new Promise((r) => setTimeout(r, 20));
    expect(client.height).toBe(6);
    expect(seen).toEqual([5, 6]);
    expect(client.sourceStats()[0]).toMatchObject({ headers: 6, streamConnects: 1 });
  });

  it("opening keeps the backend the application chose with init (it loads only what is missing)", async () => {
    const chain = certifiedChain(2);
    const g = await Gateway.start(chain.blocks);
    open.push(g);
    try {
      await init({ backend: 'scalar' });
      open.push(await LightClient.open({ validatorSet: chain.set, sources: [g.url], WebSocket }));
      expect(features().backend).toBe('scalar');
    } finally {
      await init();
    }
  });
});
