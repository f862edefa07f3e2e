// The few node RPC calls the bench makes (global fetch, loopback), with a bound on each.

const TIMEOUT_MS = 10_000;

/** GET `url` as JSON: its status and body (a network error or timeout rejects). */
export async function getJson(url: string, timeoutMs = TIMEOUT_MS): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** What `GET /v1/status` says (the fields the bench reads). */
export interface NodeStatus {
  height: number;
  view: number;
  primary: number;
  pending: number;
  stableCheckpoint: number;
  networkHeight: number;
  syncing: boolean;
}

export async function nodeStatus(rpc: string): Promise<NodeStatus> {
  const { status, body } = await getJson(`${rpc}/v1/status`);
  if (status !== 200) throw new Error(`${rpc}/v1/status answered ${status}`);
  return body as unknown as NodeStatus;
}

/** The sum of a Prometheus family's samples in `GET /metrics` (all label sets), NaN when absent. */
export async function metric(rpc: string, name: string): Promise<number> {
  const res = await fetch(`${rpc}/metrics`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  const text = await res.text();
  let sum = Number.NaN;
  for (const line of text.split('\n')) {
    if (line.startsWith(name) && (line[name.length] === ' ' || line[name.length] === '{')) {
      const value = Number(line.slice(line.lastIndexOf(' ') + 1));
      sum = Number.isNaN(sum) ? value : sum + value;
    }
  }
  return sum;
}
