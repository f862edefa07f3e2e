import { createTlsTransport } from '../net/index.js';
import { createPool, type Pool } from '../pool/index.js';
import { loadHome, type NodeHome } from './home.js';
import { openLevelStorage } from './levelStorage.js';
import { SwarmNode } from './node.js';
import { startRpc } from './rpc.js';

/** A node running from a home folder: the node, its RPC address, and how to stop it. */
export interface RunningNode {
  home: NodeHome;
  node: SwarmNode;
  rpc: { host: string; port: number };
  p2p: { host: string; port: number };
  /** Whether `/metrics` serves Prometheus text: prom-client, an optional peer dependency, is installed. */
  metrics: boolean;
  /** Graceful stop: RPC first (no new transactions), then the node (writes in flight finish), then the pool. */
  stop(): Promise<void>;
}

/**
 * Starts the node a home folder describes (`swarmguard node start`): its LevelDB store (checked
 * on open), mutual-TLS peer transport pinned to genesis's network keys, a verifier pool, the
 * replica, and the RPC server. Anything that fails to start is closed again before the error.
 */
export async function runNode(dir: string): Promise<RunningNode> {
  const home = await loadHome(dir);
  const { genesis, config } = home;
  const id = home.id;
  const storage = await openLevelStorage(home.dataDir);
  let pool: Pool | undefined;
  const cleanup: (() => Promise<unknown>)[] = [() => storage.close()];
  try {
    const transport = await createTlsTransport({
      id,
      networkSeed: home.networkSeed,
      listen: config.p2p,
      peers: genesis.validators.map((v, i) => ({ networkKey: v.networkKey, ...(config.peers[i] ?? v.p2p) })),
    });
    cleanup.unshift(() => transport.close());
    if (config.poolThreads > 0) {
      const p = createPool({ threads: config.poolThreads });
      pool = p;
      cleanup.push(() => p.close());
    }
    const node = await SwarmNode.start({ genesis, consensusSeed: home.consensusSeed, ...(home.mldsa65Seed ? { mldsa65Seed: home.mldsa65Seed } : {}), storage, transport, pool });
    cleanup.splice(0, 2, () => node.stop());
    const rpc = await startRpc(node, { ...config.rpc, corsOrigins: config.corsOrigins });
    return {
      home,
      node,
      rpc: rpc.address,
      p2p: transport.address(),
      metrics: rpc.registry !== null,
      async stop() {
        await rpc.server.close();
        await node.stop();
        await pool?.close();
      },
    };
  } catch (err) {
    for (const close of cleanup) await close().catch(() => undefined);
    throw err;
  }
}
