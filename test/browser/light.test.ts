import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes/index.js';
import { kvSet } from '../../src/kv/index.js';
import { ed25519 } from '../../src/sig/index.js';
import { signTransaction, transactionId } from '../../src/tx/index.js';
import { type BrowserPage, chromiumPath, missingChromiumReason, openPage } from '../_support/browser.js';
import { ProcessCluster } from '../_support/processCluster.js';

// The light client in headless Chromium, as a page bundles it (`swarmguard/light`, browser-level
// for IndexedDB), against a testnet of four node processes on loopback whose RPC lets the page's
// origin in (config.json corsOrigins): it follows the nodes' header streams over the page's
// WebSocket and verifies a transaction's commit proof; what it trusted survives a reopen.

describe.skipIf(chromiumPath === null)(`in Chromium: the light client against a testnet ${chromiumPath === null ? missingChromiumReason : ''}`, () => {
  let page: BrowserPage;
  let cluster: ProcessCluster;
  beforeAll(async () => {
    page = await openPage('test/browser/pages/light.ts');
    cluster = await ProcessCluster.start(4, { corsOrigins: [page.origin] });
  }, 120_000);
  afterAll(async () => {
    await page?.close();
    await cluster?.close();
  });

  it('follows headers over WebSocket, verifies a commit proof, keeps its trusted headers in IndexedDB', async () => {
    const genesis = JSON.parse(await readFile(join(cluster.homes[0], 'genesis.json'), 'utf8')) as unknown;
    const sources = [cluster.url(0), cluster.url(1)];
    expect(await page.call('open', genesis, sources, 'light-test')).toBe(0);
    await page.call('follow');
    const sender = ed25519.generateKeyPair(new Uint8Array(32).fill(33));
    const tx = signTransaction({ chainId: cluster.genesis.chainId, nonce: 1, payload: kvSet('page', 'light') }, sender).bytes;
    const sent = await fetch(`${cluster.url(0)}/v1/txs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tx: bytesToHex(tx) }) });
    expect(sent.status).toBe(200);
    const verdict = await page.call<Record<string, unknown>>('verify', bytesToHex(tx), 20_000);
    expect(verdict).toMatchObject({ status: 'committed', id: bytesToHex(transactionId(tx)), index: 0 });
    const height = verdict.height as number;
    expect(await page.call('waitForHeight', height, 10_000)).toBeGreaterThanOrEqual(height);
    const block = (await (await fetch(`${cluster.url(2)}/v1/blocks/${height}`)).json()) as { hash: string };
    expect(await page.call('header', height)).toBe(block.hash);
    const { stats, lies } = await page.call<{ stats: { streamConnects: number; headers: number }[]; lies: unknown[] }>('report');
    expect(stats.map((s) => s.streamConnects)).toEqual([1, 1]);
    expect(lies).toEqual([]);
    await page.call('close');
    // Reopened on the same IndexedDB database: it resumes where it was, before asking anyone.
    expect(await page.call('open', genesis, sources, 'light-test')).toBeGreaterThanOrEqual(height);
    await page.call('close');
    expect(page.errors).toEqual([]);
  }, 120_000);
});
