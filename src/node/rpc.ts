import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { Registry } from 'prom-client';
import { bytesToHex } from '../bytes/index.js';
import { encodeBlockHeader } from '../consensus/index.js';
import { optionKeys, requireInteger, requireOptions } from '../check/index.js';
import { MetricsUnavailableError, registerMetrics } from '../metrics/index.js';
import { registerCors, requireOrigins } from './cors.js';
import { headerRoutes } from './headerRpc.js';
import { nodeMetrics } from './metrics.js';
import type { SwarmNode } from './node.js';
import { stakingRoutes } from './stakingRpc.js';
import { MAX_SUBMIT_BATCH } from './txIndex.js';

// The node's HTTP API (fastify). JSON in and out; byte strings are lowercase hex. Errors are
// `{ "error": { "code", "message" } }` with a 4xx status for a bad request and 5xx for a node
// that cannot answer. Bodies are bounded: `bodyLimit` bytes and MAX_SUBMIT_BATCH transactions.

export interface RpcOptions {
  /** Default 127.0.0.1: nothing listens beyond loopback unless configured. */
  host?: string;
  /** Default 26657 (CometBFT's); 0 picks a free port. */
  port?: number;
  /** Largest request body in bytes (default 16 MiB). */
  bodyLimit?: number;
  /** Longest `?wait=` a status request may hold, in ms (default 30,000). */
  maxWaitMs?: number;
  /**
   * Origins of web pages allowed to call the RPC and open the header stream (CORS), e.g.
   * `['http://127.0.0.1:5173']`, or `['*']` for any. Default none: browsers keep other origins out.
   */
  corsOrigins?: string[];
  /** Most open header-stream subscriptions (default 256). */
  maxSubscribers?: number;
}

const RPC_OPTIONS = /* @__PURE__ */ optionKeys<RpcOptions>({ host: true, port: true, bodyLimit: true, maxWaitMs: true, corsOrigins: true, maxSubscribers: true });

/** Requests the RPC refused, by reason (for tests and metrics). */
export interface RpcCounters {
  requests: number;
  badRequests: number;
}

const HEX = /^(?:[0-9a-fA-F]{2})*$/;
/** Binary batch body: repeated [u32 big-endian length][transaction bytes]. */
const BATCH_TYPE = 'application/vnd.swarmguard.txs';

function fail(reply: FastifyReply, status: number, code: string, message: string) {
  return reply.code(status).send({ error: { code, message } });
}

function fromHex(value: unknown): Uint8Array | null {
  return typeof value === 'string' && HEX.test(value) ? Uint8Array.from(Buffer.from(value, 'hex')) : null;
}

/** Splits a binary batch body; null when the lengths do not add up. */
function splitBatch(body: Buffer): Uint8Array[] | null {
  const out: Uint8Array[] = [];
  let at = 0;
  while (at < body.length) {
    if (at + 4 > body.length) return null;
    const n = body.readUInt32BE(at);
    at += 4;
    if (at + n > body.length || out.length >= MAX_SUBMIT_BATCH) return null;
    out.push(new Uint8Array(body.buffer, body.byteOffset + at, n));
    at += n;
  }
  return out;
}

/**
 * Starts the RPC server for `node`; resolves once it listens. Close it with `server.close()`.
 * `registry` holds the node's metrics, or is null when prom-client is not installed (then
 * `/metrics` answers 503 with `ERR_METRICS_UNAVAILABLE`).
 */
export async function startRpc(node: SwarmNode, options: RpcOptions = {}): Promise<{ server: FastifyInstance; address: { host: string; port: number }; counters: RpcCounters; registry: Registry | null }> {
  requireOptions(options, 'startRpc', 'options', RPC_OPTIONS);
  const counters: RpcCounters = { requests: 0, badRequests: 0 };
  const maxWaitMs = options.maxWaitMs ?? 30_000;
  const origins = requireOrigins(options.corsOrigins ?? [], 'startRpc', 'options.corsOrigins');
  const maxSubscribers = requireInteger(options.maxSubscribers ?? 256, 'startRpc', 'options.maxSubscribers', 0);
  const server = Fastify({ bodyLimit: options.bodyLimit ?? 16 * 2 ** 20, logger: false });
  await registerCors(server, origins);
  // prom-client is an optional peer dependency: without it the node runs, and /metrics says what to install.
  const metrics = await registerMetrics(nodeMetrics(node)).catch((err: unknown) => {
    if (err instanceof MetricsUnavailableError) return err;
    throw err;
  });
  server.addContentTypeParser(BATCH_TYPE, { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  server.addHook('onRequest', async () => {
    counters.requests++;
  });
  // Closing waits for requests in flight and for their keep-alive connections: long polls are
  // answered now, not at their deadlines, and every answer from then on closes its connection.
  let closing = false;
  server.addHook('preClose', async () => {
    closing = true;
    node.txs.releaseWaiters();
  });
  server.addHook('onSend', async (_req, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  server.setErrorHandler((err: { statusCode?: number; code?: string; message: string }, _req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status < 500) counters.badRequests++;
    return fail(reply, status, err.code ?? (status < 500 ? 'ERR_BAD_REQUEST' : 'ERR_INTERNAL'), err.message);
  });
  server.setNotFoundHandler((req, reply) => fail(reply, 404, 'ERR_NOT_FOUND', `no route ${req.method} ${req.url}`));
  const bad = (reply: FastifyReply, message: string) => {
    counters.badRequests++;
    return fail(reply, 400, 'ERR_BAD_REQUEST', message);
  };

  server.post('/v1/txs', async (req, reply) => {
    let txs: Uint8Array[] | null;
    if (Buffer.isBuffer(req.body)) {
      txs = splitBatch(req.body);
      if (txs === null) return bad(reply, `a ${BATCH_TYPE} body is [u32 length][bytes] repeated, at most ${MAX_SUBMIT_BATCH} transactions`);
    } else {
      const body = req.body as { tx?: unknown; txs?: unknown } | null;
      const list = body && typeof body === 'object' ? (body.txs ?? (body.tx === undefined ? undefined : [body.tx])) : undefined;
      if (!Array.isArray(list)) return bad(reply, 'the body must be JSON { "tx": "<hex>" } or { "txs": ["<hex>", …] }');
      if (list.length > MAX_SUBMIT_BATCH) return bad(reply, `at most ${MAX_SUBMIT_BATCH} transactions per request, got ${list.length}`);
      txs = [];
      for (let i = 0; i < list.length; i++) {
        const bytes = fromHex(list[i]);
        if (bytes === null) return bad(reply, `txs[${i}] must be a hex string`);
        txs.push(bytes);
      }
    }
    if (txs.length === 0) return bad(reply, 'no transactions in the body');
    return { results: await node.submit(txs) };
  });

  server.get('/v1/txs/:id', async (req, reply) => {
    const id = fromHex((req.params as { id: string }).id);
    if (id === null || id.length !== 32) return bad(reply, 'the id must be 64 hex digits (a transaction id)');
    const wait = (req.query as { wait?: string }).wait;
    if (wait !== undefined) {
      const ms = Number(wait);
      if (!Number.isInteger(ms) || ms < 0 || ms > maxWaitMs) return bad(reply, `wait must be an integer of milliseconds from 0 to ${maxWaitMs}`);
      const first = await node.txStatus(id);
      if (first.status !== 'committed' && ms > 0) await node.txs.waitFor(id, ms);
    }
    const s = await node.txStatus(id);
    if (s.status === 'unknown') return fail(reply, 404, 'ERR_TX_UNKNOWN', `transaction ${s.id} is neither pending here nor committed`);
    if (s.status === 'pending') return s;
    return { ...s, result: bytesToHex(s.result), proof: bytesToHex(s.proof) };
  });

  server.get('/v1/blocks/:height', async (req, reply) => {
    const text = (req.params as { height: string }).height;
    const height = /^[0-9]{1,15}$/.test(text) ? Number(text) : NaN;
    if (!(height >= 1)) return bad(reply, 'the height must be a positive integer');
    const c = await node.block(height);
    if (c === null) return fail(reply, 404, 'ERR_BLOCK_UNKNOWN', `block ${height} is not in this node's archive (its height is ${node.status().height})`);
    return {
      height: c.height,
      hash: bytesToHex(c.hash),
      parent: bytesToHex(c.block.parent),
      txRoot: bytesToHex(c.block.txRoot),
      header: bytesToHex(encodeBlockHeader(c.block)),
      view: c.view,
      via: c.via,
      txs: c.block.txs.map(bytesToHex),
      certificate: c.cert.map(bytesToHex),
    };
  });

  server.get('/v1/accounts/:sender', async (req, reply) => {
    const sender = fromHex((req.params as { sender: string }).sender);
    if (sender === null || sender.length !== 32) return bad(reply, 'the sender must be 64 hex digits (an Ed25519 public key)');
    return { sender: bytesToHex(sender), nonce: node.lastNonce(sender), height: node.status().height };
  });

  stakingRoutes(server, node.staking, fail);
  headerRoutes(server, node, { origins, maxSubscribers }, fail);

  server.get('/v1/status', async () => node.status());

  server.get('/health', async (_req, reply) => {
    const h = node.health();
    const s = node.status();
    return reply.code(h.ready ? 200 : 503).send({ ...h, view: s.view, height: s.height, syncing: s.syncing, peers: s.peers });
  });

  // Liveness alone (for a process supervisor: restart only a node whose loop stopped), apart from readiness.
  server.get('/health/live', async (_req, reply) => {
    const h = node.health();
    return reply.code(h.live ? 200 : 503).send({ live: h.live, reason: h.live ? null : h.reason });
  });

  server.get('/metrics', async (_req, reply) =>
    metrics instanceof MetricsUnavailableError ? fail(reply, 503, metrics.code, metrics.message) : reply.type(metrics.contentType).send(await metrics.metrics()),
  );

  const address = await server.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 26657 });
  const url = new URL(address);
  return { server, address: { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port) }, counters, registry: metrics instanceof MetricsUnavailableError ? null : metrics };
}
