import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { bytesToHex } from '../../src/bytes/index.js';
import { buildCommitProof, type CommittedBlock, encodeBlockHeader, encodeCommitProof } from '../../src/consensus/index.js';
import { transactionId } from '../../src/tx/index.js';

// A source for light-client tests: an HTTP + WebSocket server on loopback speaking the node RPC's
// routes a light client uses (status, headers, transactions, blocks, the header stream), serving
// the certified blocks a test gives it — real replicas' commits — through functions a test may
// replace to make it lie in any way it likes.

export interface HeaderJson {
  height: number;
  hash: string;
  header: string;
  certificate: string[];
}

/** A committed block as the node's header routes show it. */
export function headerJson(c: CommittedBlock): HeaderJson {
  return { height: c.height, hash: bytesToHex(c.hash), header: bytesToHex(encodeBlockHeader(c.block)), certificate: c.cert.map(bytesToHex) };
}

export class Gateway {
  /** The blocks it holds, by height (what the honest answers are made of). */
  readonly blocks = new Map<number, CommittedBlock>();
  /** Requests it answered, by path (without the query). */
  readonly requests: string[] = [];
  /** Its height in `/v1/status` (default: its highest block). */
  status: () => unknown = () => ({ archivedHeight: Math.max(0, ...this.blocks.keys()) });
  /** Its answer for the header at `height` (undefined: it holds none). */
  header: (height: number) => unknown = (height) => {
    const b = this.blocks.get(height);
    return b && headerJson(b);
  };
  /** Its answer for transaction `id` (hex), as `GET /v1/txs/:id`; undefined: 404. */
  transaction: (id: string) => unknown = (id) => {
    for (const b of this.blocks.values()) {
      const index = b.block.txs.findIndex((tx) => bytesToHex(transactionId(tx)) === id);
      if (index >= 0) return { id, status: 'committed', height: b.height, index, result: '00', proof: bytesToHex(encodeCommitProof(buildCommitProof(b, index))) };
    }
    return undefined;
  };
  /** Its answer for `GET /v1/blocks/:height` (only `txs` is read by the client). */
  block: (height: number) => unknown = (height) => {
    const b = this.blocks.get(height);
    return b && { height, txs: b.block.txs.map(bytesToHex) };
  };

  private constructor(
    private readonly server: Server,
    private readonly wss: WebSocketServer,
    readonly url: string,
  ) {}

  static async start(blocks: CommittedBlock[] = []): Promise<Gateway> {
    const wss = new WebSocketServer({ noServer: true });
    let gateway: Gateway | null = null;
    const server = createServer((req, res) => (gateway as Gateway).answer(req, res));
    server.on('upgrade', (req, socket, head) => {
      if (new URL(req.url ?? '/', 'http://x').pathname !== '/v1/headers/stream') return socket.destroy();
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    gateway = new Gateway(server, wss, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    gateway.hold(blocks);
    return gateway;
  }

  hold(blocks: CommittedBlock[]): void {
    for (const b of blocks) this.blocks.set(b.height, b);
  }

  /** Subscribers connected to its header stream. */
  get subscribers(): WebSocket[] {
    return [...this.wss.clients];
  }

  /** Sends `message` (JSON-encoded unless a string) to every stream subscriber. */
  push(message: unknown): void {
    const text = typeof message === 'string' ? message : JSON.stringify(message);
    for (const ws of this.wss.clients) ws.send(text);
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    this.requests.push(url.pathname);
    const json = (status: number, body: unknown): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(typeof body === 'string' ? body : JSON.stringify(body));
    const missing = () => json(404, { error: { code: 'ERR_NOT_FOUND', message: 'not here' } });
    if (url.pathname === '/v1/status') return json(200, this.status());
    if (url.pathname === '/v1/headers') {
      const from = Number(url.searchParams.get('from'));
      const limit = Number(url.searchParams.get('limit') ?? 100);
      const headers: unknown[] = [];
      for (let h = from; h < from + limit; h++) {
        const view = this.header(h);
        if (view === undefined) break;
        headers.push(view);
      }
      return json(200, { headers });
    }
    let m = /^\/v1\/txs\/([0-9a-f]{64})$/.exec(url.pathname);
    if (m) {
      const answer = this.transaction(m[1]);
      return answer === undefined ? json(404, { error: { code: 'ERR_TX_UNKNOWN', message: 'unknown' } }) : json(200, answer);
    }
    m = /^\/v1\/blocks\/(\d+)$/.exec(url.pathname);
    if (m) {
      const answer = this.block(Number(m[1]));
      return answer === undefined ? missing() : json(200, answer);
    }
    missing();
  }
}
