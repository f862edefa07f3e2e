import { equalBytes } from '../bytes/index.js';
import { ArgumentRangeError, requireBytes, requireInteger, requireObject } from '../check/index.js';
import { type ClientRequest, encodeRequest } from './block.js';
import { quorums } from './certificates.js';
import { Reader, Writer } from './codec.js';
import { ConsensusConfigError } from './errors.js';
import type { Reply } from './step.js';

export interface ClientOptions {
  /** Up to 64 bytes naming this client (unique among clients). */
  clientId: Uint8Array;
  /** Number of validators n; results need f+1 = ⌊(n−1)/3⌋+1 matching replies. */
  replicas: number;
  /** Sequence number of the last request this client already sent (default 0). */
  lastSeq?: number;
}

/**
 * The client side of PBFT, as a pure object: `request` numbers a payload; `onReply` returns the
 * result once f+1 distinct replicas sent the same result for the outstanding request — at least
 * one of them is honest, so the result is the committed one. Sending and retrying are the host's.
 */
export class Client {
  readonly clientId: Uint8Array;
  readonly f: number;
  private seq: number;
  private outstanding: ClientRequest | null = null;
  private replies = new Map<number, Uint8Array>();

  constructor(options: ClientOptions) {
    requireObject(options, 'Client', 'options');
    this.clientId = requireBytes(options.clientId, 'Client', 'options.clientId');
    if (this.clientId.length === 0 || this.clientId.length > 64) {
      throw new ArgumentRangeError('Client', 'options.clientId', `must be 1 to 64 bytes, got ${this.clientId.length}`);
    }
    const n = requireInteger(options.replicas, 'Client', 'options.replicas', 1);
    if (n < 4) throw new ConsensusConfigError(`PBFT needs n ≥ 4 validators, got ${n}`);
    this.f = quorums(n).f;
    this.seq = requireInteger(options.lastSeq ?? 0, 'Client', 'options.lastSeq', 0);
  }

  /** Starts the next request (one at a time); send `bytes` to every replica and again on timeout. */
  request(payload: Uint8Array): { request: ClientRequest; bytes: Uint8Array } {
    requireBytes(payload, 'Client.request', 'payload');
    if (this.outstanding) throw new ConsensusConfigError(`request ${this.outstanding.seq} is still outstanding`);
    const request = { clientId: this.clientId, seq: ++this.seq, payload };
    this.outstanding = request;
    this.replies.clear();
    return { request, bytes: encodeRequest(request) };
  }

  /** The outstanding request (to retransmit), or null. */
  pending(): { request: ClientRequest; bytes: Uint8Array } | null {
    return this.outstanding ? { request: this.outstanding, bytes: encodeRequest(this.outstanding) } : null;
  }

  /** Feeds one replica's reply; returns the accepted result once f+1 replicas agree, else undefined. */
  onReply(reply: Reply): Uint8Array | undefined {
    const r = this.outstanding;
    if (!r || reply.seq !== r.seq || !equalBytes(reply.clientId, this.clientId)) return undefined;
    this.replies.set(reply.replica, reply.result);
    let matching = 0;
    for (const result of this.replies.values()) if (equalBytes(result, reply.result)) matching++;
    if (matching < this.f + 1) return undefined;
    this.outstanding = null;
    this.replies.clear();
    return reply.result;
  }
}

export function encodeReply(reply: Reply): Uint8Array {
  return new Writer(64 + reply.result.length)
    .u16(reply.replica)
    .u8(reply.clientId.length)
    .raw(reply.clientId)
    .u64(reply.seq)
    .u64(reply.height)
    .bytes(reply.result)
    .finish();
}

export function decodeReply(bytes: Uint8Array): Reply {
  const r = new Reader(requireBytes(bytes, 'decodeReply', 'bytes'));
  const replica = r.u16();
  const clientId = r.raw(r.u8());
  const seq = r.u64();
  const height = r.u64();
  const result = r.bytes();
  r.end();
  return { replica, clientId, seq, height, result };
}
