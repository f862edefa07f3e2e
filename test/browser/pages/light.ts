import { BrowserLevel } from 'browser-level';
import { bytesToHex, hexToBytes } from 'swarmguard';
import { type Lie, LightClient, validatorSetFromGenesis } from 'swarmguard/light';
import { LevelStorage } from 'swarmguard/storage';

// The light client as a web page uses it: imported by name, its trusted headers in IndexedDB
// (browser-level), talking to nodes on other loopback origins over fetch (CORS) and the page's
// own WebSocket. The test calls these exports with plain values.

let client: LightClient | null = null;
const lies: Lie[] = [];

function current(): LightClient {
  if (client === null) throw new Error('open() first');
  return client;
}

/** Opens the client on the IndexedDB database `name`; resolves with the height it resumed at. */
export async function open(genesis: unknown, sources: string[], name: string): Promise<number> {
  client = await LightClient.open({ validatorSet: validatorSetFromGenesis(genesis), sources, storage: new LevelStorage(new BrowserLevel(name)) });
  client.onLie((l) => lies.push(l));
  return client.height;
}

export function follow(): void {
  current().follow();
}

/** Resolves with the client's height once it reaches `height` (or rejects after `timeoutMs`). */
export async function waitForHeight(height: number, timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (current().height < height) {
    if (performance.now() > deadline) throw new Error(`height ${current().height} after ${timeoutMs} ms, waiting for ${height}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return current().height;
}

export async function verify(txHex: string, waitMs: number): Promise<Record<string, unknown>> {
  const v = await current().verifyTransaction(hexToBytes(txHex), { waitMs });
  return v.status === 'committed' ? { ...v, blockHash: bytesToHex(v.blockHash), result: bytesToHex(v.result) } : v;
}

export async function header(height: number): Promise<string> {
  return bytesToHex((await current().header(height)).hash);
}

export function report(): { stats: unknown; lies: Lie[] } {
  return { stats: current().sourceStats(), lies };
}

export async function close(): Promise<void> {
  await current().close();
  client = null;
}
