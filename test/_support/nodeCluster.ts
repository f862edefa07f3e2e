import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTlsTransport, MemoryNetwork, type TlsTransport } from '../../src/net/index.js';
import type { SignatureScheme } from '../../src/consensus/index.js';
import { DEFAULT_CONSENSUS, type Genesis, nodeEd25519Signer, nodeSha256, openLevelStorage, SwarmNode } from '../../src/node/index.js';
import { mldsa65 } from '../../src/sig/index.js';
import type { Storage } from '../../src/storage/index.js';
import { signTransaction } from '../../src/tx/index.js';
import { kvSet } from '../../src/kv/index.js';
import { isolatedChainId, isolatedSeed } from './isolation.js';

const enc = new TextEncoder();
/** The chain id of this test file's clusters (each file its own: see isolation.ts). */
export function clusterChain(): string {
  return isolatedChainId('cluster-test');
}

/** Clusters started in this file so far: each gets its own network keys. */
let started = 0;

/** Deterministic 32-byte seeds: `tag/i`. */
export function seedOf(tag: string, i: number): Uint8Array {
  return nodeSha256(enc.encode(`${tag}/${i}`));
}

/** A signed key-value write of sender `name` at `nonce`. */
export function clusterTx(name: string, nonce: number, key = `k${nonce}`, value = 'v'): Uint8Array {
  return signTransaction({ chainId: clusterChain(), nonce, payload: kvSet(key, value) }, seedOf('client', name.charCodeAt(0) * 1000 + name.length)).bytes;
}

/**
 * N validators in this process, each with its own LevelDB store in a temp folder and a real
 * mutual-TLS transport on loopback (port 0, then every peer told the others' ports), or an
 * in-memory network. Nodes stop and start again from their disk at will.
 */
export class NodeCluster {
  readonly nodes: (SwarmNode | null)[];
  readonly genesis: Genesis;
  private readonly transports: (TlsTransport | null)[];
  private readonly ports: number[];
  private memory: MemoryNetwork | null = null;
  private readonly scope = String(++started);

  private constructor(
    readonly n: number,
    readonly dir: string,
    readonly kind: 'tls' | 'memory',
    consensus: Partial<Genesis['consensus']>,
    staking?: Genesis['staking'],
    signatures: SignatureScheme = 'ed25519',
  ) {
    this.nodes = new Array(n).fill(null);
    this.transports = new Array(n).fill(null);
    this.ports = new Array(n).fill(0);
    this.genesis = {
      chainId: clusterChain(),
      genesisTime: '2026-12-05T00:00:00.000Z',
      ...(signatures === 'ed25519' ? {} : { signatures }),
      validators: Array.from({ length: n }, (_, i) => ({
        name: `node${i}`,
        consensusKey: nodeEd25519Signer(seedOf('consensus', i)).publicKey,
        ...(signatures === 'ed25519' ? {} : { mldsa65Key: mldsa65.generateKeyPair(seedOf('mldsa65', i)).publicKey }),
        networkKey: nodeEd25519Signer(this.networkSeed(i)).publicKey,
        p2p: { host: '127.0.0.1', port: 1 },
      })),
      consensus: { ...DEFAULT_CONSENSUS, viewChangeTimeout: 1000, retransmitInterval: 100, ...consensus },
      ...(staking ? { staking } : {}),
    };
    if (kind === 'memory') this.memory = new MemoryNetwork({ size: n });
  }

  /**
   * `staking`: genesis's staking section; `absent`: validators whose node is not started (their
   * transport is, on a memory network); `signatures`: genesis's consensus signatures (ML-DSA-65
   * seeds `mldsa65/i` under 'ed25519+mldsa65').
   */
  static async start(
    n: number,
    options: { kind?: 'tls' | 'memory'; consensus?: Partial<Genesis['consensus']>; staking?: Genesis['staking']; absent?: number[]; signatures?: SignatureScheme } = {},
  ): Promise<NodeCluster> {
    const dir = await mkdtemp(join(tmpdir(), 'swarmguard-cluster-'));
    const cluster = new NodeCluster(n, dir, options.kind ?? 'tls', options.consensus ?? {}, options.staking, options.signatures);
    for (let i = 0; i < n; i++) await cluster.startTransport(i);
    for (let i = 0; i < n; i++) if (!options.absent?.includes(i)) await cluster.startNode(i);
    return cluster;
  }

  node(i: number): SwarmNode {
    const node = this.nodes[i];
    if (!node) throw new Error(`node ${i} is stopped`);
    return node;
  }

  dataDir(i: number): string {
    return join(this.dir, `node${i}`);
  }

  /** The loopback port node `i`'s transport listens on (TLS clusters). */
  nodePort(i: number): number {
    return this.ports[i];
  }

  /** The network key seed of validator `i` of this cluster. */
  networkSeed(i: number): Uint8Array {
    return isolatedSeed('network', i, this.scope);
  }

  get memoryNetwork(): MemoryNetwork | null {
    return this.memory;
  }

  /** Gracefully stops node `i` (its store and transport close). */
  async stop(i: number): Promise<void> {
    await this.nodes[i]?.stop();
    this.nodes[i] = null;
    this.transports[i] = null;
  }

  /** Starts node `i` again from its disk (`storage` replaces it, e.g. a wiped one); rejects as `SwarmNode.start` does. */
  async restart(i: number, storage?: Storage): Promise<SwarmNode> {
    if (this.kind === 'memory') throw new Error('a memory cluster does not restart nodes');
    await this.startTransport(i);
    try {
      return await this.startNode(i, storage);
    } catch (err) {
      await this.transports[i]?.close();
      this.transports[i] = null;
      throw err;
    }
  }

  /** Resolves once every running node holds `height` durably in its archive, or rejects after `timeoutMs`. */
  async waitForHeight(height: number, timeoutMs = 10_000, which: number[] = this.nodes.map((_, i) => i)): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const heights = which.map((i) => this.nodes[i]?.durableHeight ?? Infinity);
      if (heights.every((h) => h >= height)) return;
      if (Date.now() > deadline) throw new Error(`nodes ${which.join(',')} at heights ${heights.join(',')} after ${timeoutMs} ms, waiting for ${height}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async close(): Promise<void> {
    for (let i = 0; i < this.n; i++) await this.stop(i);
    await rm(this.dir, { recursive: true, force: true });
  }

  private async startTransport(i: number): Promise<void> {
    if (this.kind === 'memory') return;
    const t = await createTlsTransport({
      id: i,
      networkSeed: this.networkSeed(i),
      listen: { host: '127.0.0.1', port: this.ports[i] },
      peers: this.genesis.validators.map((v, j) => ({ networkKey: v.networkKey, host: '127.0.0.1', port: this.ports[j] })),
      heartbeatInterval: 100,
      reconnect: { initialDelay: 20, maxDelay: 200 },
    });
    this.transports[i] = t;
    this.ports[i] = t.address().port;
    for (let j = 0; j < this.n; j++) {
      const other = this.transports[j];
      if (!other || j === i) continue;
      other.setPeerAddress(i, { host: '127.0.0.1', port: this.ports[i] });
      if (this.ports[j] !== 0) t.setPeerAddress(j, { host: '127.0.0.1', port: this.ports[j] });
    }
  }

  private async startNode(i: number, storage?: Storage): Promise<SwarmNode> {
    const transport = this.kind === 'memory' ? (this.memory as MemoryNetwork).transport(i) : (this.transports[i] as TlsTransport);
    const store = storage ?? (await openLevelStorage(this.dataDir(i)));
    try {
      const mldsa65Seed = this.genesis.signatures === 'ed25519+mldsa65' ? { mldsa65Seed: seedOf('mldsa65', i) } : {};
      const node = await SwarmNode.start({ genesis: this.genesis, consensusSeed: seedOf('consensus', i), ...mldsa65Seed, storage: store, transport });
      this.nodes[i] = node;
      return node;
    } catch (err) {
      await store.close();
      throw err;
    }
  }
}
