import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes/index.js';
import { LightClient, TrustMismatchError } from '../../src/light/index.js';
import { openLevelStorage } from '../../src/node/index.js';
import { MemoryStorage } from '../../src/storage/index.js';
import { certifiedChain } from '../_support/certifiedChain.js';
import { Gateway } from '../_support/gateway.js';

// The trusted state on disk (LevelDB through classic-level, as a Node user keeps it): a reopened
// client resumes from its highest header without asking anyone; a store of another set or
// checkpoint, or one whose records were altered, is refused; a checkpoint start trusts its header
// and fetches older ones on their own when a proof needs them.

const chain = certifiedChain(5);
const dirs: string[] = [];
const closing: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const c of closing.splice(0).reverse()) await c.close();
});
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** A fresh store holding `memory`'s records (a MemoryStorage closes with its client), each through `change`. */
async function copyOf(memory: MemoryStorage, change: (key: string, value: Uint8Array) => Uint8Array = (_, v) => v): Promise<MemoryStorage> {
  const copy = new MemoryStorage();
  await copy.write(memory.records().map(([key, value]) => ({ type: 'put', key, value: change(key, value) })));
  return copy;
}

async function folder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'swarmguard-light-'));
  dirs.push(dir);
  return dir;
}

describe('light client: its store', () => {
  it('resumes from the highest trusted header after a reopen, with no source reachable', async () => {
    const dir = await folder();
    const g = await Gateway.start(chain.blocks.slice(0, 3));
    closing.push(g);
    const first = await LightClient.open({ validatorSet: chain.set, sources: [g.url], storage: await openLevelStorage(dir) });
    await first.sync();
    expect(first.height).toBe(3);
    await first.close();
    const offline = await LightClient.open({ validatorSet: chain.set, sources: ['http://127.0.0.1:1'], storage: await openLevelStorage(dir), timeoutMs: 1000 });
    expect(offline.height).toBe(3);
    expect(bytesToHex((await offline.header(2)).hash)).toBe(bytesToHex(chain.blocks[1].hash));
    expect(offline.latest?.height).toBe(3);
    await offline.close();
    g.hold(chain.blocks.slice(3));
    const again = await LightClient.open({ validatorSet: chain.set, sources: [g.url], storage: await openLevelStorage(dir) });
    closing.push(again);
    const asked = g.requests.length;
    expect((await again.sync())?.height).toBe(5);
    // It asked for what follows its tip only: the status, heights 4 and 5, and the witness check at 5.
    expect(g.requests.slice(asked)).toEqual(['/v1/status', '/v1/headers', '/v1/headers']);
  });

  it('refuses a store of another validator set, and one whose record was altered', async () => {
    const dir = await folder();
    const g = await Gateway.start(chain.blocks);
    closing.push(g);
    const first = await LightClient.open({ validatorSet: chain.set, sources: [g.url], storage: await openLevelStorage(dir) });
    await first.sync();
    await first.close();
    const others = certifiedChain(1, { tag: 'others' }).set;
    let storage = await openLevelStorage(dir);
    const refused = await LightClient.open({ validatorSet: others, sources: [g.url], storage }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(TrustMismatchError);
    expect(refused).toMatchObject({ code: 'ERR_LIGHT_TRUST_MISMATCH', message: expect.stringMatching(/another validator set/) });
    await storage.close();

    const memory = new MemoryStorage();
    const c = await LightClient.open({ validatorSet: chain.set, sources: [g.url], storage: memory });
    await c.sync();
    await c.close();
    const header5 = `light/header/${String(5).padStart(16, '0')}`;
    // A certificate's signature changed: the tip does not verify. A truncated record: it does not decode.
    const flipped = await copyOf(memory, (key, v) => (key === header5 ? v.map((b, i) => (i === v.length - 40 ? b ^ 1 : b)) : v));
    await expect(LightClient.open({ validatorSet: chain.set, sources: [g.url], storage: flipped })).rejects.toMatchObject({
      code: 'ERR_LIGHT_TRUST_MISMATCH',
      message: expect.stringMatching(/highest header \(height 5\) does not verify/),
    });
    const truncated = await copyOf(memory, (key, v) => (key === header5 ? v.subarray(0, 50) : v));
    await expect(LightClient.open({ validatorSet: chain.set, sources: [g.url], storage: truncated })).rejects.toMatchObject({ code: 'ERR_LIGHT_TRUST_MISMATCH', message: expect.stringMatching(/does not decode/) });
  });

  it('starts from a checkpoint: trusts its header, follows from it, fetches an older header alone for a proof', async () => {
    const g = await Gateway.start(chain.blocks);
    closing.push(g);
    const memory = new MemoryStorage();
    const checkpoint = { height: 3, hash: bytesToHex(chain.blocks[2].hash) };
    const c = await LightClient.open({ validatorSet: chain.set, checkpoint, sources: [g.url], storage: memory });
    expect(c.height).toBe(3);
    expect((await c.sync())?.height).toBe(5);
    expect(await c.verifyTransaction(chain.txs[0])).toMatchObject({ status: 'committed', height: 1 });
    await c.close();
    const heights = memory.records({ gte: 'light/header/', lt: 'light/header/~' }).map(([k]) => Number(k.slice(13)));
    expect(heights).toEqual([1, 3, 4, 5]);
    const copy = () => copyOf(memory);
    const same = await LightClient.open({ validatorSet: chain.set, checkpoint, sources: [g.url], storage: await copy() });
    expect(same.height).toBe(5);
    await same.close();
    // A checkpoint the store passed through on its way is as good as the one it started from.
    const passed = await LightClient.open({ validatorSet: chain.set, checkpoint: { height: 4, hash: chain.blocks[3].hash }, sources: [g.url], storage: await copy() });
    await passed.close();
    await expect(LightClient.open({ validatorSet: chain.set, checkpoint: { height: 2, hash: chain.blocks[1].hash }, sources: [g.url], storage: await copy() })).rejects.toMatchObject({
      code: 'ERR_LIGHT_TRUST_MISMATCH',
      message: expect.stringMatching(/another header than the checkpoint at height 2/),
    });
  });
});
