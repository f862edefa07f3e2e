import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { type WebSocket, WebSocketServer } from 'ws';
import { bytesToHex } from '../bytes/index.js';
import { type CommittedBlock, encodeBlockHeader } from '../consensus/index.js';
import { originAllowed } from './cors.js';
import type { SwarmNode } from './node.js';

// Headers for light clients, which check every one themselves (docs/light.md):
//   GET /v1/headers?from=H&limit=N   consecutive heights from H that the archive holds (N ≤ 100)
//   WebSocket /v1/headers/stream      the latest header on connect, then each block this node
//                                     commits, once durable
// Each header is JSON { height, hash, header, certificate } (hex): the 77-byte header and the
// commit certificate's vote frames, the same ones a commit proof carries.

/** Most headers one `GET /v1/headers` answers. */
const MAX_HEADERS_PER_REQUEST = 100;
const HEADER_STREAM_PATH = '/v1/headers/stream';
/** A subscriber this far behind (bytes queued on its socket) is cut off: it reconnects and fetches the gap. */
const MAX_BUFFERED_BYTES = 1 << 20;
const PING_INTERVAL_MS = 30_000;

export interface HeaderStreamOptions {
  /** Origins whose pages may subscribe (see cors.ts); clients that send no Origin are always let in. */
  origins: readonly string[];
  /** Most open subscriptions; more are refused with 503. */
  maxSubscribers: number;
}

/** One committed block as the header routes show it. */
function headerView(c: CommittedBlock): { height: number; hash: string; header: string; certificate: string[] } {
  return { height: c.height, hash: bytesToHex(c.hash), header: bytesToHex(encodeBlockHeader(c.block)), certificate: c.cert.map(bytesToHex) };
}

/** Adds the header routes to `server` (before it listens). */
export function headerRoutes(
  server: FastifyInstance,
  node: SwarmNode,
  options: HeaderStreamOptions,
  fail: (reply: FastifyReply, status: number, code: string, message: string) => unknown,
): void {
  server.get('/v1/headers', async (req, reply) => {
    const query = req.query as { from?: string; limit?: string };
    const from = /^[0-9]{1,15}$/.test(query.from ?? '') ? Number(query.from) : NaN;
    const limit = query.limit === undefined ? MAX_HEADERS_PER_REQUEST : /^[0-9]{1,3}$/.test(query.limit) ? Number(query.limit) : NaN;
    if (!(from >= 1)) return fail(reply, 400, 'ERR_BAD_REQUEST', 'from must be a positive integer (the first height)');
    if (!(limit >= 1 && limit <= MAX_HEADERS_PER_REQUEST)) return fail(reply, 400, 'ERR_BAD_REQUEST', `limit must be an integer from 1 to ${MAX_HEADERS_PER_REQUEST}`);
    const last = Math.min(from + limit - 1, node.durableHeight);
    const blocks = await Promise.all(Array.from({ length: Math.max(0, last - from + 1) }, (_, i) => node.block(from + i)));
    const held = blocks.findIndex((b) => b === null);
    return { headers: (held < 0 ? blocks : blocks.slice(0, held)).map((b) => headerView(b as CommittedBlock)) };
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  const alive = new WeakSet<WebSocket>();
  const send = (socket: WebSocket, text: string) => {
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) socket.terminate();
    else socket.send(text);
  };
  const off = node.onCommit((blocks) => {
    if (wss.clients.size === 0) return;
    for (const b of blocks) {
      const text = JSON.stringify(headerView(b));
      for (const socket of wss.clients) send(socket, text);
    }
  });
  const ping = setInterval(() => {
    for (const socket of wss.clients) {
      if (!alive.has(socket)) socket.terminate();
      else {
        alive.delete(socket);
        socket.ping();
      }
    }
  }, PING_INTERVAL_MS);
  ping.unref();

  server.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refuse = (status: string) => {
      socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    };
    if (new URL(req.url ?? '/', 'http://x').pathname !== HEADER_STREAM_PATH) return refuse('404 Not Found');
    if (!originAllowed(options.origins, req.headers.origin)) return refuse('403 Forbidden');
    if (wss.clients.size >= options.maxSubscribers) return refuse('503 Service Unavailable');
    wss.handleUpgrade(req, socket, head, (ws) => {
      alive.add(ws);
      ws.on('pong', () => alive.add(ws));
      ws.on('message', () => undefined); // subscribers have nothing to say; frames are bounded by maxPayload
      wss.emit('connection', ws, req);
      node.block(node.durableHeight).then(
        (latest) => {
          if (latest !== null && ws.readyState === ws.OPEN) send(ws, JSON.stringify(headerView(latest)));
        },
        () => undefined, // a stopping node: the stream ends anyway
      );
    });
  });

  // Subscriptions are not requests: closing the server ends them instead of waiting for them.
  server.addHook('preClose', async () => {
    off();
    clearInterval(ping);
    for (const socket of wss.clients) socket.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  });
}
