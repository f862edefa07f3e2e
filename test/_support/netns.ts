import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { isAlive } from './processes.js';

// Hosts for a multi-host test on one machine: Linux network namespaces, each with its own
// non-loopback address, joined by veth pairs to a bridge in a hub namespace (which the test's
// clients use). Nothing is added to the machine's own namespace. Needs root and iproute2.

const run = promisify(execFile);
const PREFIX = 'sgf';

async function ip(...args: string[]): Promise<string> {
  const { stdout } = await run('ip', args, { timeout: 10_000 });
  return stdout;
}

/** Why namespaces cannot be made here, or null when they can (tried for real). */
export async function namespacesUnavailable(): Promise<string | null> {
  if (process.getuid?.() !== 0) return `network namespaces need root (running as uid ${process.getuid?.()})`;
  const probe = `${PREFIX}${process.pid}probe`;
  try {
    await ip('netns', 'add', probe);
    await ip('-n', probe, 'link', 'add', 'probe0', 'type', 'veth', 'peer', 'name', 'probe1');
  } catch (err) {
    return `cannot create a network namespace with a veth pair: ${(err as Error).message.trim()}`;
  } finally {
    await ip('netns', 'del', probe).catch(() => undefined);
  }
  return null;
}

/** Deletes the namespaces an earlier run left behind (its process gone without cleaning up). */
async function sweep(): Promise<void> {
  for (const line of (await ip('netns', 'list')).split('\n')) {
    const name = line.split(' ')[0];
    const owner = new RegExp(`^${PREFIX}(\\d+)[hn]`).exec(name);
    if (owner && !isAlive(Number(owner[1]))) await ip('netns', 'del', name).catch(() => undefined);
  }
}

/**
 * n namespaces `<prefix><pid>n<i>` with address `<subnet>.<i+1>/24` on their `eth0`, each the end
 * of a veth pair whose other end (`v<i>`) is a port of bridge `br0` in the hub namespace
 * `<prefix><pid>h`, which has `<subnet>.254`. `close()` deletes them all (which removes the veths).
 */
export class NamespaceNet {
  private closed = false;
  private readonly onExit = () => this.deleteSync();

  private constructor(
    readonly hub: string,
    readonly nodes: string[],
    private readonly subnet: string,
  ) {
    process.once('exit', this.onExit);
  }

  static async create(n: number, subnet = '10.77.0'): Promise<NamespaceNet> {
    await sweep();
    const hub = `${PREFIX}${process.pid}h`;
    const nodes = Array.from({ length: n }, (_, i) => `${PREFIX}${process.pid}n${i}`);
    const net = new NamespaceNet(hub, nodes, subnet);
    try {
      await ip('netns', 'add', hub);
      await ip('-n', hub, 'link', 'add', 'br0', 'type', 'bridge');
      await ip('-n', hub, 'addr', 'add', `${subnet}.254/24`, 'dev', 'br0');
      await ip('-n', hub, 'link', 'set', 'br0', 'up');
      await ip('-n', hub, 'link', 'set', 'lo', 'up');
      for (let i = 0; i < n; i++) {
        const ns = nodes[i];
        await ip('netns', 'add', ns);
        // Made inside the namespaces: no interface ever appears in the machine's own.
        await ip('-n', ns, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', `v${i}`, 'netns', hub);
        await ip('-n', ns, 'addr', 'add', `${net.address(i)}/24`, 'dev', 'eth0');
        await ip('-n', ns, 'link', 'set', 'eth0', 'up');
        await ip('-n', ns, 'link', 'set', 'lo', 'up');
        await ip('-n', hub, 'link', 'set', `v${i}`, 'master', 'br0');
        await ip('-n', hub, 'link', 'set', `v${i}`, 'up');
      }
      return net;
    } catch (err) {
      await net.close();
      throw err;
    }
  }

  /** Node i's address. */
  address(i: number): string {
    return `${this.subnet}.${i + 1}`;
  }

  /** `cmd args` run inside namespace `ns` (for `spawnProcess`). */
  command(ns: string, cmd: string, args: string[]): [string, string[]] {
    return ['ip', ['netns', 'exec', ns, cmd, ...args]];
  }

  /** Takes node i's cable out of the bridge (`false`) or puts it back (`true`). */
  async link(i: number, up: boolean): Promise<void> {
    await ip('-n', this.hub, 'link', 'set', `v${i}`, up ? 'up' : 'down');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    process.off('exit', this.onExit);
    for (const ns of [...this.nodes, this.hub]) await ip('netns', 'del', ns).catch(() => undefined);
  }

  private deleteSync(): void {
    if (this.closed) return;
    for (const ns of [...this.nodes, this.hub]) {
      try {
        execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore', timeout: 5000 });
      } catch {
        // already gone
      }
    }
  }
}
