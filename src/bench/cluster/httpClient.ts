import { Agent, request } from 'node:http';

// The load generator's HTTP client: node:http on kept-alive sockets. Global fetch costs several
// times more CPU per request on this path (measured: 270–590 µs against 60–160 µs for a small POST
// and its answer), CPU the nodes sharing the machine would not get.

const agent = new Agent({ keepAlive: true });

/** One request; resolves with the status and the parsed JSON body (rejects on a network error, a timeout or a body that is not JSON). */
export function requestJson(url: string, o: { method?: 'GET' | 'POST'; body?: Uint8Array; contentType?: string; timeoutMs: number }): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = {};
    if (o.body) {
      headers['content-type'] = o.contentType ?? 'application/octet-stream';
      headers['content-length'] = o.body.length;
    }
    const req = request(url, { method: o.method ?? 'GET', agent, headers, timeout: o.timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        } catch (err) {
          reject(err);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${url}: no answer within ${o.timeoutMs} ms`)));
    req.on('error', reject);
    req.end(o.body);
  });
}
