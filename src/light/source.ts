import { hexToBytes } from '../bytes/index.js';
import { SIGNATURE_SCHEMES, schemeFormat, voteFrameBytes } from '../consensus/index.js';
import type { HeaderAnswer } from './headers.js';

// One node (or gateway) as the light client asks it, over HTTP with the global fetch: its height,
// ranges of headers, a transaction's status with its commit proof, a transaction's bytes. Every
// answer is parsed strictly into bytes; nothing here decides whether to believe it.

/** An answer: the value, or why there is none (`malformed`: an answer not of the RPC's shape, a lie). */
export type Answer<T> = { ok: true; value: T } | { ok: false; reason: 'unreachable' | 'malformed'; message: string };

/** A transaction's status as a source reports it (the proof still to be checked). */
export type TxAnswer =
  | { status: 'unknown' | 'pending' }
  | { status: 'committed'; height: number; index: number; result: Uint8Array; proof: Uint8Array };

/** Most headers the client asks for in one request (the node's `MAX_HEADERS_PER_REQUEST`). */
export const HEADERS_PER_REQUEST = 100;
const MAX_VOTES = 65535;
/** The longest vote frame of any signature scheme (3,421 bytes, 'ed25519+mldsa65'): a longer certificate frame is not a vote. */
const MAX_VOTE_BYTES = Math.max(...SIGNATURE_SCHEMES.map((scheme) => voteFrameBytes(schemeFormat(scheme))));

const unreachable = (message: string): Answer<never> => ({ ok: false, reason: 'unreachable', message });
const malformed = (message: string): Answer<never> => ({ ok: false, reason: 'malformed', message });

function hex(value: unknown, bytes?: number): Uint8Array | null {
  if (typeof value !== 'string' || value.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(value)) return null;
  if (bytes !== undefined && value.length !== 2 * bytes) return null;
  return hexToBytes(value.toLowerCase());
}

const isHeight = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** One header object of the RPC (`{ height, hash, header, certificate }`), or null. */
export function parseHeader(value: unknown): HeaderAnswer | null {
  if (typeof value !== 'object' || value === null) return null;
  const o = value as Record<string, unknown>;
  const hash = hex(o.hash, 32);
  const header = hex(o.header, 77);
  if (!isHeight(o.height) || hash === null || header === null || !Array.isArray(o.certificate) || o.certificate.length > MAX_VOTES) return null;
  const certificate: Uint8Array[] = [];
  for (const frame of o.certificate) {
    const bytes = hex(frame);
    if (bytes === null || bytes.length > MAX_VOTE_BYTES) return null;
    certificate.push(bytes);
  }
  return { height: o.height, hash, header, certificate };
}

export class NodeSource {
  /** The RPC base URL, without a trailing slash. */
  readonly url: string;

  constructor(
    url: string,
    private readonly timeoutMs: number,
  ) {
    this.url = url.replace(/\/+$/, '');
  }

  /** The WebSocket URL of the header stream. */
  get streamUrl(): string {
    return `${this.url.replace(/^http/, 'ws')}/v1/headers/stream`;
  }

  /** The highest height the source's archive holds (its word: a hint of how far to ask). */
  async height(): Promise<Answer<number>> {
    const got = await this.get('/v1/status');
    if (!got.ok) return got;
    if (got.value.status !== 200) return unreachable(`GET /v1/status answered ${got.value.status}`);
    const height = (got.value.body as { archivedHeight?: unknown } | null)?.archivedHeight;
    return isHeight(height) ? { ok: true, value: height } : malformed('GET /v1/status has no archivedHeight');
  }

  /** Headers from `from` on (at most `limit`), as sent: they must be consecutive heights from `from`. */
  async headers(from: number, limit: number): Promise<Answer<HeaderAnswer[]>> {
    const got = await this.get(`/v1/headers?from=${from}&limit=${limit}`);
    if (!got.ok) return got;
    if (got.value.status !== 200) return unreachable(`GET /v1/headers answered ${got.value.status}`);
    const list = (got.value.body as { headers?: unknown } | null)?.headers;
    if (!Array.isArray(list) || list.length > limit) return malformed(`GET /v1/headers?from=${from}&limit=${limit} is not a list of at most ${limit} headers`);
    const out: HeaderAnswer[] = [];
    for (const item of list) {
      const h = parseHeader(item);
      if (h === null) return malformed(`GET /v1/headers?from=${from}: item ${out.length} is not { height, hash, header, certificate } in hex`);
      out.push(h);
    }
    return { ok: true, value: out };
  }

  /** A transaction's status and, once committed, its commit proof (waiting up to `waitMs` for it). */
  async transaction(id: string, waitMs: number): Promise<Answer<TxAnswer>> {
    const got = await this.get(`/v1/txs/${id}${waitMs > 0 ? `?wait=${waitMs}` : ''}`, waitMs);
    if (!got.ok) return got;
    const { status, body } = got.value;
    if (status === 404) return { ok: true, value: { status: 'unknown' } };
    if (status !== 200) return unreachable(`GET /v1/txs/${id} answered ${status}`);
    const o = (body ?? {}) as Record<string, unknown>;
    if (o.status === 'pending') return { ok: true, value: { status: 'pending' } };
    const result = hex(o.result);
    const proof = hex(o.proof);
    if (o.status !== 'committed' || !isHeight(o.height) || !isHeight(o.index) || result === null || proof === null) return malformed(`GET /v1/txs/${id} is not a pending or committed status with its proof`);
    return { ok: true, value: { status: 'committed', height: o.height, index: o.index, result, proof } };
  }

  /** Transaction `index` of block `height`, as the source's archive holds it. */
  async blockTransaction(height: number, index: number): Promise<Answer<Uint8Array>> {
    const got = await this.get(`/v1/blocks/${height}`);
    if (!got.ok) return got;
    if (got.value.status !== 200) return unreachable(`GET /v1/blocks/${height} answered ${got.value.status}`);
    const txs = (got.value.body as { txs?: unknown } | null)?.txs;
    const tx = Array.isArray(txs) ? hex(txs[index]) : null;
    return tx === null ? malformed(`GET /v1/blocks/${height} has no transaction ${index}`) : { ok: true, value: tx };
  }

  private async get(path: string, extraMs = 0): Promise<Answer<{ status: number; body: unknown }>> {
    let res: Response;
    try {
      res = await fetch(this.url + path, { signal: AbortSignal.timeout(this.timeoutMs + extraMs), headers: { accept: 'application/json' } });
    } catch (err) {
      return unreachable(`GET ${path}: ${(err as Error).message}`);
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch (err) {
      const cut = (err as Error).name === 'AbortError' || (err as Error).name === 'TimeoutError';
      return res.ok && !cut ? malformed(`GET ${path}: the body is not JSON (${(err as Error).message})`) : unreachable(`GET ${path} answered ${res.status}${cut ? ', then timed out' : ''}`);
    }
    return { ok: true, value: { status: res.status, body } };
  }
}
