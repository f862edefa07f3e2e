import { ArgumentRangeError, requireArray, requireInteger, requireOneOf } from '../../src/check/index.js';
import { type Address, FaultProxy } from './faultProxy.js';

/**
 * How a partition separates two groups: `blackhole` swallows the bytes of open connections
 * (TLS streams then break at the heal and reconnect); `hold` parks them in TCP until the heal
 * (open connections survive); `cut+refuse` resets open connections and refuses new ones.
 */
export type PartitionMode = 'blackhole' | 'hold' | 'cut+refuse';

const MODES = ['blackhole', 'hold', 'cut+refuse'] as const;

/**
 * One `FaultProxy` per directed link of n nodes: node i reaches node j at `addressFor(i, j)`, a
 * proxy forwarding to j's real address. Whichever side of a pair dials, its bytes cross a proxy
 * of that pair, so every fault below applies to both proxies of a pair (i→j and j→i).
 */
export class ProxyMesh {
  private constructor(
    readonly n: number,
    private readonly proxies: (FaultProxy | null)[][],
  ) {}

  /** Starts the n·(n−1) proxies; `targets[j]` is node j's real listening address. */
  static async start(targets: Address[]): Promise<ProxyMesh> {
    const n = requireArray(targets, 'ProxyMesh.start', 'targets').length;
    requireInteger(n, 'ProxyMesh.start', 'targets.length', 2, 64);
    const proxies = await Promise.all(
      targets.map((_, i) => Promise.all(targets.map((target, j) => (i === j ? null : FaultProxy.start({ target }))))),
    );
    return new ProxyMesh(n, proxies);
  }

  /** The proxy node i dials to reach node j. */
  proxy(i: number, j: number): FaultProxy {
    const from = this.node(i, 'ProxyMesh.proxy', 'i');
    const to = this.node(j, 'ProxyMesh.proxy', 'j');
    const proxy = this.proxies[from][to];
    if (proxy === null) throw new ArgumentRangeError('ProxyMesh.proxy', 'j', `must differ from i, got ${j} for both`);
    return proxy;
  }

  /** The address node i must use for node j (the per-node peer address override). */
  addressFor(i: number, j: number): Address {
    return this.proxy(i, j).address;
  }

  /** Separates every node of `a` from every node of `b`; links inside each group are untouched. */
  partition(a: number[], b: number[], mode: PartitionMode = 'blackhole'): void {
    const where = 'ProxyMesh.partition';
    const left = this.group(a, where, 'groupA');
    const right = this.group(b, where, 'groupB');
    requireOneOf(mode, where, 'mode', MODES);
    const shared = left.find((i) => right.includes(i));
    if (shared !== undefined) throw new ArgumentRangeError(where, 'groupB', `must share no node with groupA, got ${shared} in both`);
    for (const i of left) {
      for (const j of right) {
        for (const proxy of [this.proxy(i, j), this.proxy(j, i)]) {
          if (mode === 'cut+refuse') {
            proxy.refuse(true);
            proxy.cut();
          } else {
            proxy.blackhole(true, mode === 'hold' ? 'hold' : 'drop');
          }
        }
      }
    }
  }

  /** Cuts node i off from all others. */
  isolate(i: number, mode: PartitionMode = 'blackhole'): void {
    const node = this.node(i, 'ProxyMesh.isolate', 'i');
    this.partition(
      [node],
      this.all().filter((j) => j !== node),
      mode,
    );
  }

  /** Ends every partition: bytes pass and connections are accepted again (delays stay). */
  heal(): void {
    for (const row of this.proxies) {
      for (const proxy of row) {
        if (proxy === null) continue;
        proxy.refuse(false);
        proxy.blackhole(false);
      }
    }
  }

  /** Delays the bytes node i sends to node j (not the reply way), whichever side dialed; 0 restores. */
  slow(i: number, j: number, ms: number, jitterMs = 0, seed = 0): void {
    this.proxy(i, j).delay(ms, jitterMs, seed, 'toTarget');
    this.proxy(j, i).delay(ms, jitterMs, seed, 'toClient');
  }

  /** Closes every proxy; no handle is left. */
  async close(): Promise<void> {
    await Promise.all(this.proxies.flat().map((proxy) => proxy?.close()));
  }

  private all(): number[] {
    return Array.from({ length: this.n }, (_, i) => i);
  }

  private node(value: unknown, where: string, argument: string): number {
    return requireInteger(value, where, argument, 0, this.n - 1);
  }

  private group(value: unknown, where: string, argument: string): number[] {
    const nodes = requireArray(value, where, argument).map((v, k) => this.node(v, where, `${argument}[${k}]`));
    return [...new Set(nodes)];
  }
}
