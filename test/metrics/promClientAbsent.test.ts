import { beforeAll, describe, expect, it } from 'vitest';
import { type PackedApp, packedApp } from '../_support/packedApp.js';

// prom-client is an optional peer dependency: in an app that installed swarmguard alone, metrics
// say what to install, and a node runs without them.

describe('without prom-client installed', () => {
  let app: PackedApp;
  beforeAll(async () => {
    app = await packedApp();
  });

  it('registerMetrics throws MetricsUnavailableError naming the function and the package', async () => {
    const r = await app.node([
      '--input-type=module',
      '-e',
      `import { registerMetrics, MetricsUnavailableError } from 'swarmguard/metrics';
       try { await registerMetrics({ families: [], collect: () => [] }); console.log('registered'); }
       catch (err) { console.log(JSON.stringify({ ours: err instanceof MetricsUnavailableError, name: err.name, code: err.code, message: err.message })); }`,
    ]);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      ours: true,
      name: 'MetricsUnavailableError',
      code: 'ERR_METRICS_UNAVAILABLE',
      message: 'registerMetrics: prom-client is not installed (an optional peer dependency of swarmguard): npm install prom-client',
    });
  });

  it("a node's RPC starts; /metrics answers 503 ERR_METRICS_UNAVAILABLE and the rest serves as usual", async () => {
    const r = await app.node([
      '--input-type=module',
      '-e',
      `import { DEFAULT_CONSENSUS, MemoryNetwork, nodeEd25519Signer, startRpc, SwarmNode } from 'swarmguard/node';
       import { MemoryStorage } from 'swarmguard/storage';
       const seed = (tag, i) => new Uint8Array(32).fill(tag * 16 + i + 1);
       const validators = [0, 1, 2, 3].map((i) => ({ name: 'node' + i, consensusKey: nodeEd25519Signer(seed(1, i)).publicKey, networkKey: nodeEd25519Signer(seed(2, i)).publicKey, p2p: { host: '127.0.0.1', port: 1 } }));
       const genesis = { chainId: 'no-metrics', genesisTime: '2026-12-05T00:00:00.000Z', validators, consensus: DEFAULT_CONSENSUS };
       const node = await SwarmNode.start({ genesis, consensusSeed: seed(1, 0), storage: new MemoryStorage(), transport: new MemoryNetwork({ size: 4 }).transport(0) });
       const rpc = await startRpc(node, { port: 0 });
       const ask = async (path) => { const res = await fetch('http://127.0.0.1:' + rpc.address.port + path); return { status: res.status, body: await res.json() }; };
       console.log(JSON.stringify({ registry: rpc.registry, metrics: await ask('/metrics'), status: (await ask('/v1/status')).status }));
       await rpc.server.close();
       await node.stop();`,
    ]);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ registry: null, metrics: { status: 503, body: { error: { code: 'ERR_METRICS_UNAVAILABLE' } } }, status: 200 });
    expect(out.metrics.body.error.message).toMatch(/prom-client is not installed .*: npm install prom-client/);
  });
});
