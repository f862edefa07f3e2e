import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { bytesToHex } from '../../src/bytes/index.js';
import { kvSet } from '../../src/kv/index.js';
import { LightClient, type TrustedHeaderEvent, validatorSetFromGenesis } from '../../src/light/index.js';
import { openLevelStorage } from '../../src/node/index.js';
import { ed25519 } from '../../src/sig/index.js';
import { signTransaction, transactionId } from '../../src/tx/index.js';
import { ProcessCluster, runCli } from '../_support/processCluster.js';

// Against a real testnet: four `swarmguard node` processes on loopback (test/_support/processCluster.ts),
// the light client holding only genesis.json. It follows the headers each node pushes over its
// WebSocket, verifies a submitted transaction's commit proof against the header it trusts, and
// keeps following from the other nodes when one stops.

describe('light client against a testnet of node processes', () => {
  let cluster: ProcessCluster;
  let dir: string;
  beforeAll(async () => {
    cluster = await ProcessCluster.start(4);
    dir = await mkdtemp(join(tmpdir(), 'swarmguard-light-testnet-'));
  });
  afterAll(async () => {
    await cluster?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const sender = ed25519.generateKeyPair(new Uint8Array(32).fill(21));
  const send = async (node: number, nonce: number): Promise<Uint8Array> => {
    const tx = signTransaction({ chainId: cluster.genesis.chainId, nonce, payload: kvSet(`light${nonce}`, 'yes') }, sender).bytes;
    const res = await fetch(`${cluster.url(node)}/v1/txs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tx: bytesToHex(tx) }) });
    const [result] = ((await res.json()) as { results: { accepted: boolean }[] }).results;
    expect(result, JSON.stringify(result)).toMatchObject({ accepted: true });
    return tx;
  };

  let firstTx: Uint8Array | null = null;

  it('follows pushed headers, proves a transaction, and outlives a node that stops', async () => {
    const genesis = validatorSetFromGenesis(JSON.parse(await readFile(join(cluster.homes[0], 'genesis.json'), 'utf8')));
    const client = await LightClient.open({ validatorSet: genesis, sources: [0, 1, 2].map((i) => cluster.url(i)), storage: await openLevelStorage(dir), WebSocket });
    try {
      const seen: TrustedHeaderEvent[] = [];
      client.onHeader((h) => seen.push(h));
      const lies: unknown[] = [];
      client.onLie((l) => lies.push(l));
      client.follow();
      const tx = await send(1, 1);
      firstTx = tx;
      const verdict = await client.verifyTransaction(tx, { waitMs: 20_000 });
      expect(verdict).toMatchObject({ status: 'committed', id: bytesToHex(transactionId(tx)), index: 0 });
      const committed = verdict as { height: number; blockHash: Uint8Array };
      for (let i = 0; i < 500 && client.height < committed.height; i++) await new Promise((r) => setTimeout(r, 20));
      expect(bytesToHex((await client.header(committed.height)).hash)).toBe(bytesToHex(committed.blockHash));
      const stats = client.sourceStats();
      expect(stats.map((s) => s.streamConnects)).toEqual([1, 1, 1]);
      // The headers came over the streams, each checked: every source gave some first or confirmed them.
      expect(stats.reduce((sum, s) => sum + s.headers, 0)).toBe(client.height);
      expect(seen.map((h) => h.height)).toEqual(Array.from({ length: client.height }, (_, i) => i + 1));

      // A source stops (a backup: the network goes on committing without it).
      await cluster.terminate(2);
      for (let i = 0; i < 500 && client.sourceStats()[2].streamDrops === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(client.sourceStats()[2].streamDrops).toBeGreaterThan(0);
      const before = client.height;
      const second = await send(1, 2);
      for (let i = 0; i < 1000 && client.height <= before; i++) await new Promise((r) => setTimeout(r, 20));
      expect(client.height).toBeGreaterThan(before);
      expect(await client.verifyTransaction(second, { waitMs: 20_000 })).toMatchObject({ status: 'committed' });
      expect(lies).toEqual([]);
    } finally {
      await client.close();
    }
    // What it trusted is on disk: a client reopened on it resumes there, asking no one.
    const reopened = await LightClient.open({ validatorSet: genesis, sources: ['http://127.0.0.1:1'], storage: await openLevelStorage(dir), timeoutMs: 1000 });
    expect(reopened.height).toBeGreaterThanOrEqual(2);
    await reopened.close();
  }, 120_000);

  it('swarmguard light verify-tx: the verdict as JSON; exit 0 committed, 1 otherwise, 2 on a misuse', async () => {
    const genesis = join(cluster.homes[0], 'genesis.json');
    const rpc = `${cluster.url(1)},${cluster.url(3)}`;
    const id = bytesToHex(transactionId(firstTx as Uint8Array));
    const ok = await runCli(['light', 'verify-tx', '--genesis', genesis, '--rpc', rpc, '--wait', '5', id]);
    expect(ok.status.code, ok.lines.join('\n')).toBe(0);
    expect(JSON.parse(ok.lines[0])).toMatchObject({ status: 'committed', id, index: 0, source: cluster.url(1), lies: [] });
    const unknown = await runCli(['light', 'verify-tx', '--genesis', genesis, '--rpc', rpc, 'ab'.repeat(32)]);
    expect(unknown.status.code).toBe(1);
    expect(JSON.parse(unknown.lines[0])).toEqual({ status: 'unknown', id: 'ab'.repeat(32), lies: [] });
    for (const [args, reason] of [
      [['light', 'verify-tx', '--rpc', rpc, id], /--genesis is required/],
      [['light', 'verify-tx', '--genesis', genesis, '--rpc', rpc, 'xyz'], /one transaction id of 64 hex digits/],
      [['light', 'verify-tx', '--genesis', genesis, '--rpc', 'ws://127.0.0.1:1', id], /options\.sources\[0\] must be an http/],
      [['light', 'verify-tx', '--genesis', genesis, '--rpc', rpc, '--wait', '99', id], /--wait must be an integer from 0 to 30/],
      [['light', 'check'], /unknown action 'check'/],
    ] as const) {
      const r = await runCli([...args]);
      expect(r.status.code, args.join(' ')).toBe(2);
      expect(r.lines.join('\n')).toMatch(reason);
      expect(r.lines.join('\n')).toMatch(/usage: swarmguard light verify-tx/);
    }
  }, 120_000);
});
