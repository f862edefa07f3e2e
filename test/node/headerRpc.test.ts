import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ArgumentRangeError } from '../../src/check/index.js';
import { loadHome, newKeys, NodeConfigError, startRpc, writeHome } from '../../src/node/index.js';
import { transactionId } from '../../src/tx/index.js';
import { clusterTx, NodeCluster } from '../_support/nodeCluster.js';

// The routes a light client uses: headers by range and the header stream (WebSocket), and CORS
// for pages of the configured origins — the same origins the stream's upgrade is checked against.

const PAGE = 'http://127.0.0.1:5173';
type HeaderJson = { height: number; hash: string; header: string; certificate: string[] };

/** Opens a subscription; resolves with it and the messages it gets, or rejects with the refusal's status. */
function subscribe(url: string, origin?: string): Promise<{ ws: WebSocket; messages: HeaderJson[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    const messages: HeaderJson[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(String(data)) as HeaderJson));
    ws.on('open', () => resolve({ ws, messages }));
    ws.on('unexpected-response', (_req, res) => reject(new Error(`status ${res.statusCode}`)));
    ws.on('error', reject);
  });
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe('the RPC for light clients', () => {
  let cluster: NodeCluster;
  let base: string;
  let open: string;
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    cluster = await NodeCluster.start(4, { kind: 'memory' });
    const withCors = await startRpc(cluster.node(0), { port: 0, corsOrigins: [PAGE], maxSubscribers: 2 });
    const plain = await startRpc(cluster.node(1), { port: 0 });
    closers.push(() => withCors.server.close(), () => plain.server.close());
    base = `http://127.0.0.1:${withCors.address.port}`;
    open = `http://127.0.0.1:${plain.address.port}`;
    for (let nonce = 1; nonce <= 3; nonce++) {
      const tx = clusterTx('lena', nonce);
      await cluster.node(0).submit([tx]);
      expect(await cluster.node(0).txs.waitFor(transactionId(tx), 5000)).toBe(true);
    }
  });
  afterAll(async () => {
    for (const close of closers) await close();
    await cluster?.close();
  });

  it('GET /v1/headers: consecutive headers from `from`, the blocks route\'s header and certificate; bad queries refused', async () => {
    const { headers } = (await (await fetch(`${base}/v1/headers?from=1&limit=2`)).json()) as { headers: HeaderJson[] };
    expect(headers.map((h) => h.height)).toEqual([1, 2]);
    const block = (await (await fetch(`${base}/v1/blocks/2`)).json()) as HeaderJson;
    expect(headers[1]).toEqual({ height: 2, hash: block.hash, header: block.header, certificate: block.certificate });
    const all = (await (await fetch(`${base}/v1/headers?from=1`)).json()) as { headers: HeaderJson[] };
    expect(all.headers.length).toBe(cluster.node(0).durableHeight);
    expect(await (await fetch(`${base}/v1/headers?from=9999`)).json()).toEqual({ headers: [] });
    for (const query of ['', '?from=0', '?from=x', '?from=1&limit=0', '?from=1&limit=101', '?from=1&limit=1.5']) {
      const res = await fetch(`${base}/v1/headers${query}`);
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('ERR_BAD_REQUEST');
    }
  });

  it('CORS: the configured origin may call (preflight included); another origin, or a node without the option, gets no CORS header', async () => {
    const get = await fetch(`${base}/v1/status`, { headers: { origin: PAGE } });
    expect(get.headers.get('access-control-allow-origin')).toBe(PAGE);
    const preflight = await fetch(`${base}/v1/txs`, { method: 'OPTIONS', headers: { origin: PAGE, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(PAGE);
    expect(preflight.headers.get('access-control-allow-methods')).toMatch(/POST/);
    const stranger = await fetch(`${base}/v1/status`, { headers: { origin: 'http://127.0.0.1:9' } });
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
    const plain = await fetch(`${open}/v1/status`, { headers: { origin: PAGE } });
    expect(plain.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('the header stream: the latest header on connect, then each commit; other origins, paths and subscribers past the limit refused', async () => {
    const stream = base.replace('http', 'ws') + '/v1/headers/stream';
    const a = await subscribe(stream);
    const b = await subscribe(stream, PAGE);
    await until(() => a.messages.length === 1 && b.messages.length === 1, 'the latest header');
    const latest = cluster.node(0).durableHeight;
    expect(a.messages[0].height).toBe(latest);
    await expect(subscribe(stream)).rejects.toThrow('status 503');
    await expect(subscribe(base.replace('http', 'ws') + '/v1/elsewhere')).rejects.toThrow('status 404');
    await expect(subscribe(open.replace('http', 'ws') + '/v1/headers/stream', PAGE)).rejects.toThrow('status 403');
    const tx = clusterTx('lena', 4);
    await cluster.node(0).submit([tx]);
    await until(() => a.messages.some((m) => m.height > latest), 'a new header');
    const pushed = a.messages.find((m) => m.height === latest + 1) as HeaderJson;
    const { headers } = (await (await fetch(`${base}/v1/headers?from=${latest + 1}&limit=1`)).json()) as { headers: HeaderJson[] };
    expect(pushed).toEqual(headers[0]);
    const closed = new Promise((resolve) => a.ws.on('close', resolve));
    a.ws.close();
    await closed;
    const c = await subscribe(stream); // a place freed
    c.ws.close();
    b.ws.close();
  });

  it('refuses origins that are not origins: startRpc, config.json', async () => {
    for (const bad of ['http://127.0.0.1:1/path', 'localhost:5173', 'ftp://x', '']) {
      const err = await startRpc(cluster.node(2), { port: 0, corsOrigins: [bad] }).catch((e: unknown) => e);
      expect(err, bad).toBeInstanceOf(ArgumentRangeError);
      expect((err as Error).message).toMatch(/^startRpc: options\.corsOrigins\[0\] must be an origin/);
    }
    const dir = await mkdtemp(join(tmpdir(), 'swarmguard-cors-'));
    try {
      const keys = [newKeys(), newKeys(), newKeys(), newKeys()];
      const genesis = {
        ...cluster.genesis,
        validators: keys.map((k, i) => ({ name: `v${i}`, consensusKey: k.consensusKey, networkKey: k.networkKey, p2p: { host: '127.0.0.1', port: 1 + i } })),
      };
      const config = { moniker: 'v0', p2p: { host: '127.0.0.1', port: 1 }, rpc: { host: '127.0.0.1', port: 2 }, peers: {}, poolThreads: 0, corsOrigins: [PAGE, '*'] };
      await writeHome(dir, { config, consensusSeed: keys[0].consensusSeed, networkSeed: keys[0].networkSeed, genesis });
      expect((await loadHome(dir)).config.corsOrigins).toEqual([PAGE, '*']);
      await writeFile(join(dir, 'config.json'), JSON.stringify({ corsOrigins: ['nope'] }));
      const err = await loadHome(dir).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NodeConfigError);
      expect((err as Error).message).toMatch(/config\.json: loadHome: config\.json corsOrigins\[0\] must be an origin/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
