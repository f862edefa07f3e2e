import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/bytes/index.js';
import { MemoryNetwork } from '../../src/net/index.js';
import { DEFAULT_CONSENSUS, MAX_SUBMIT_BATCH, nodeEd25519Signer, startRpc, SwarmNode } from '../../src/node/index.js';
import { MemoryStorage } from '../../src/storage/index.js';
import { transactionId } from '../../src/tx/index.js';
import { clusterChain, clusterTx, NodeCluster } from '../_support/nodeCluster.js';

// Every malformed request gets a 4xx with a JSON reason and changes nothing; the node keeps
// committing. Four nodes on the in-memory network (the RPC is what is under test).

describe('the RPC refuses malformed requests with a JSON reason', () => {
  let cluster: NodeCluster;
  let base: string;
  let close: () => Promise<void>;
  let counters: { badRequests: number };

  beforeAll(async () => {
    cluster = await NodeCluster.start(4, { kind: 'memory' });
    const rpc = await startRpc(cluster.node(0), { port: 0, bodyLimit: 64 * 1024, maxWaitMs: 2000 });
    base = `http://127.0.0.1:${rpc.address.port}`;
    close = () => rpc.server.close();
    counters = rpc.counters;
  });
  afterAll(async () => {
    await close?.();
    await cluster?.close();
  });

  const post = (body: string | Uint8Array, type = 'application/json') => fetch(`${base}/v1/txs`, { method: 'POST', headers: { 'content-type': type }, body: typeof body === 'string' ? body : Buffer.from(body) });

  it('answers each bad request with its status and an error code', async () => {
    const cases: [Promise<Response>, number, string | RegExp][] = [
      [post('{ not json'), 400, /JSON|Unexpected/i],
      [post(JSON.stringify({ nothing: 1 })), 400, /"tx"/],
      [post(JSON.stringify({ txs: ['zz'] })), 400, /txs\[0\] must be a hex string/],
      [post(JSON.stringify({ txs: [] })), 400, /no transactions/],
      [post(JSON.stringify({ txs: new Array(MAX_SUBMIT_BATCH + 1).fill('0') })), 400, /at most 10000 transactions per request/],
      [post(JSON.stringify({ tx: 'ab'.repeat(40_000) })), 413, /.+/],
      [post(Uint8Array.of(0, 0, 0, 9, 1), 'application/vnd.swarmguard.txs'), 400, /\[u32 length\]/],
      [post('hello', 'text/plain'), 400, /the body must be JSON/],
      [post('hello', 'application/x-www-form-urlencoded'), 415, /.+/],
      [fetch(`${base}/v1/txs/xyz`), 400, /64 hex digits/],
      [fetch(`${base}/v1/txs/${'ab'.repeat(32)}?wait=99999`), 400, /wait must be/],
      [fetch(`${base}/v1/txs/${'ab'.repeat(32)}`), 404, /neither pending here nor committed/],
      [fetch(`${base}/v1/blocks/0`), 400, /positive integer/],
      [fetch(`${base}/v1/blocks/abc`), 400, /positive integer/],
      [fetch(`${base}/v1/blocks/999999`), 404, /not in this node's archive/],
      [fetch(`${base}/nowhere`), 404, /no route GET \/nowhere/],
    ];
    for (const [request, status, message] of cases) {
      const res = await request;
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(res.status, body.error?.message).toBe(status);
      expect(typeof body.error.code).toBe('string');
      expect(body.error.message).toMatch(message);
    }
    expect(counters.badRequests).toBeGreaterThanOrEqual(10);
  });

  it('takes a binary batch, and keeps committing after all of the above', async () => {
    const txs = [clusterTx('erin', 1), clusterTx('erin', 2)];
    const body = Buffer.concat(
      txs.flatMap((t) => {
        const length = Buffer.alloc(4);
        length.writeUInt32BE(t.length);
        return [length, Buffer.from(t)];
      }),
    );
    const res = await post(body, 'application/vnd.swarmguard.txs');
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: { id: string; accepted: boolean }[] };
    expect(results.map((r) => r.id)).toEqual(txs.map((t) => bytesToHex(transactionId(t))));
    const status = await fetch(`${base}/v1/txs/${results[1].id}?wait=2000`);
    expect(((await status.json()) as { status: string }).status).toBe('committed');
  });

  it('drops frames whose claimed sender is not the authenticated peer, and counts them', async () => {
    const net = cluster.memoryNetwork!;
    const before = cluster.node(0).inbox.counters.framesWrongSender;
    // A frame from peer 1 whose header claims validator 2 (version, type PREPARE, sender 2).
    net.transport(1).send(0, Uint8Array.of(1, 2, 2, 0, ...new Uint8Array(108)));
    net.transport(1).send(0, Uint8Array.of(1));
    await new Promise((r) => setTimeout(r, 50));
    expect(cluster.node(0).inbox.counters.framesWrongSender - before).toBe(2);
  });

  it('cuts off a peer that sends frames no honest validator sends, and keeps committing', async () => {
    const net = cluster.memoryNetwork!;
    const node = cluster.node(0);
    // Frames under peer 3's own id that do not decode (a PREPARE far too short).
    for (let k = 0; k < 40; k++) net.transport(3).send(0, Uint8Array.of(1, 2, 3, 0, k));
    await new Promise((r) => setTimeout(r, 100));
    expect(node.inbox.counters.penalties).toBe(1);
    expect(node.inbox.penalized(performance.timeOrigin + performance.now())).toEqual([3]);
    net.transport(3).send(0, Uint8Array.of(1, 2, 3, 0, 99));
    await new Promise((r) => setTimeout(r, 20));
    expect(node.inbox.counters.framesFromPenalized).toBeGreaterThan(0);
    expect(node.status().peers).toHaveLength(3);
    const tx = clusterTx('fred', 1);
    await node.submit([tx]);
    expect(await node.txs.waitFor(transactionId(tx), 5000)).toBe(true);
  });
});

describe('back-pressure', () => {
  it('refuses past maxPending with poolFull before any signature work, and takes more once blocks commit', async () => {
    const seeds = [1, 2, 3, 4].map((b) => new Uint8Array(32).fill(40 + b));
    const genesis = {
      chainId: clusterChain(),
      genesisTime: '',
      consensus: { ...DEFAULT_CONSENSUS },
      validators: seeds.map((s, i) => ({ name: `v${i}`, consensusKey: nodeEd25519Signer(s).publicKey, networkKey: new Uint8Array(32).fill(i + 1), p2p: { host: '127.0.0.1', port: 1 } })),
    };
    const net = new MemoryNetwork({ size: 4 });
    net.partition([[0], [1, 2, 3]]); // node 0 alone: nothing commits, its pool only fills
    const node = await SwarmNode.start({ genesis, consensusSeed: seeds[0], storage: new MemoryStorage(), transport: net.transport(0), maxPending: 5 });
    try {
      const txs = Array.from({ length: 8 }, (_, k) => clusterTx('hank', k + 1));
      const forged = clusterTx('ivy', 1).slice();
      forged[forged.length - 1] ^= 1;
      const first = await node.submit([...txs.slice(0, 3), forged, ...txs.slice(3, 5)]);
      expect(first.map((o) => (o.accepted ? 'ok' : o.reason))).toEqual(['ok', 'ok', 'ok', 'badSignature', 'ok', 'poolFull']);
      expect(first[5].id).toBe(bytesToHex(transactionId(txs[4])));
      const second = await node.submit(txs.slice(4, 8));
      expect(second.map((o) => (o.accepted ? 'ok' : o.reason))).toEqual(['ok', 'poolFull', 'poolFull', 'poolFull']);
      expect(node.status().pending).toBe(5);
    } finally {
      await node.stop();
    }
  });
});
