import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import { ArgumentRangeError, requireArray, requireString } from '../check/index.js';

// Which web pages may call the RPC from another origin (a light client in a browser tab): none
// by default, exactly the listed origins (`http://127.0.0.1:5173`), or any (`*`, for a public
// read-only node). The same list decides which pages may open the header stream: browsers send
// their origin on a WebSocket upgrade but do not apply CORS to it, so the node checks it itself.

/** `value` checked as a list of origins (`scheme://host[:port]`, http or https) or `'*'`. */
export function requireOrigins(value: unknown, where: string, argument: string): string[] {
  const list = requireArray(value, where, argument);
  return list.map((item, i) => {
    const text = requireString(item, where, `${argument}[${i}]`);
    if (text === '*' || isOrigin(text)) return text;
    throw new ArgumentRangeError(where, `${argument}[${i}]`, `must be an origin such as http://127.0.0.1:5173 (scheme, host and port only) or '*', got ${JSON.stringify(text.slice(0, 80))}`);
  });
}

function isOrigin(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === text;
  } catch {
    return false;
  }
}

/** Whether a request that names `origin` (the browser's `Origin` header; absent outside browsers) is let in. */
export function originAllowed(origins: readonly string[], origin: string | undefined): boolean {
  return origin === undefined || origins.includes('*') || origins.includes(origin);
}

/** Answers CORS (preflights included) for `origins`; with none, the server sends no CORS header and browsers keep other origins out. */
export async function registerCors(server: FastifyInstance, origins: readonly string[]): Promise<void> {
  if (origins.length === 0) return;
  await server.register(cors, { origin: origins.includes('*') ? '*' : [...origins], methods: ['GET', 'HEAD', 'POST'] });
}
