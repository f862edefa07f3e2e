import { equalBytes } from '../bytes/index.js';
import { requireBytes, requireInteger, requireObject, requireOptions } from '../check/index.js';
import { sha256 } from '../hash/index.js';
import { ed25519 } from '../sig/index.js';
import { requireChainId, requireMaxPayload, signTransaction, type Transaction, transactionId } from '../tx/index.js';
import { quorums } from './certificates.js';
import { Reader, Writer } from './codec.js';
import { ConsensusConfigError } from './errors.js';
import type { Reply } from './step.js';

export interface ClientOptions {
  /** The chain the transactions are for. */
  chainId: string;
  /** The account's 32-byte Ed25519 secret key: the sender is its public key. */
  secretKey: Uint8Array;
  /** Number of validators n; results need f+1 = ⌊(n−1)/3⌋+1 matching replies. */
  replicas: number;
  /** The account's last executed nonce (default 0: a new account). */
  lastNonce?: number;
  /** Largest payload the network accepts (default 64 KiB). */
  maxPayload?: number;
}

/**
 * The client side of PBFT, as a pure object: `request` signs a payload as the next transaction
 * of this account; `onReply` returns the result once f+1 distinct replicas sent the same result
 * hash for that very transaction id — at least one of them is honest, so the result is the
 * committed one. Sending and retrying are the host's.
 */
export class Client {
  readonly chainId: string;
  readonly sender: Uint8Array;
  readonly f: number;
  /** Validators: a reply naming a replica id outside [0, n) is ignored, never counted. */
  readonly n: number;
  private readonly key: { secretKey: Uint8Array; publicKey: Uint8Array };
  private readonly maxPayload: number;
  private nonce: number;
  private outstanding: { tx: Transaction; id: Uint8Array } | null = null;
  /** Result hash each replica answered for the outstanding transaction. */
  private replies = new Map<number, Uint8Array>();

  constructor(options: ClientOptions) {
    const where = 'Client';
    requireOptions(requireObject(options, where, 'options'), where, 'options', ['chainId', 'secretKey', 'replicas', 'lastNonce', 'maxPayload']);
    requireChainId(options.chainId, where, 'options.chainId');
    this.chainId = options.chainId;
    const secretKey = requireBytes(options.secretKey, where, 'options.secretKey');
    this.sender = ed25519.getPublicKey(secretKey);
    this.key = { secretKey, publicKey: this.sender };
    const n = requireInteger(options.replicas, where, 'options.replicas', 1);
    if (n < 4) throw new ConsensusConfigError(`PBFT needs n ≥ 4 validators, got ${n}`);
    this.f = quorums(n).f;
    this.n = n;
    this.nonce = requireInteger(options.lastNonce ?? 0, where, 'options.lastNonce', 0);
    this.maxPayload = requireMaxPayload(options.maxPayload, where, 'options.maxPayload');
  }

  /** Signs the next transaction (one at a time); send `tx.bytes` to the replicas, and again on timeout. */
  request(payload: Uint8Array): { tx: Transaction; id: Uint8Array } {
    requireBytes(payload, 'Client.request', 'payload');
    if (this.outstanding) throw new ConsensusConfigError(`transaction ${this.outstanding.tx.nonce} is still outstanding`);
    const tx = signTransaction({ chainId: this.chainId, nonce: this.nonce + 1, payload }, this.key, { maxPayload: this.maxPayload });
    this.nonce++;
    this.outstanding = { tx, id: transactionId(tx.bytes) };
    this.replies.clear();
    return this.outstanding;
  }

  /** The outstanding transaction (to retransmit), or null. */
  pending(): { tx: Transaction; id: Uint8Array } | null {
    return this.outstanding;
  }

  /**
   * Feeds one replica's reply; returns the result once f+1 replicas answered the outstanding
   * transaction's id with the same result hash, and this reply's result has that hash. `from`:
   * the replica id the transport authenticated the reply as coming from, when it knows.
   */
  onReply(reply: Reply, from?: number): Uint8Array | undefined {
    if (from !== undefined) requireInteger(from, 'Client.onReply', 'from', 0);
    const o = this.outstanding;
    // Ids beyond the set never count; with `from` (the replica the transport authenticated), a
    // reply naming another replica is ignored, so one replica cannot answer under many ids.
    if (!o || !Number.isInteger(reply.replica) || reply.replica < 0 || reply.replica >= this.n || !equalBytes(reply.txId, o.id)) return undefined;
    if (from !== undefined && from !== reply.replica) return undefined;
    this.replies.set(reply.replica, reply.resultHash);
    let matching = 0;
    for (const hash of this.replies.values()) if (equalBytes(hash, reply.resultHash)) matching++;
    if (matching < this.f + 1 || !equalBytes(sha256(reply.result), reply.resultHash)) return undefined;
    this.outstanding = null;
    this.replies.clear();
    return reply.result;
  }
}

export function encodeReply(reply: Reply): Uint8Array {
  return new Writer(160 + reply.result.length)
    .u16(reply.replica)
    .raw(reply.txId)
    .raw(reply.sender)
    .u64(reply.nonce)
    .u64(reply.height)
    .raw(reply.resultHash)
    .bytes(reply.result)
    .finish();
}

export function decodeReply(bytes: Uint8Array): Reply {
  const r = new Reader(requireBytes(bytes, 'decodeReply', 'bytes'));
  const replica = r.u16();
  const txId = r.raw(32);
  const sender = r.raw(32);
  const nonce = r.u64();
  const height = r.u64();
  const resultHash = r.raw(32);
  const result = r.bytes();
  r.end();
  return { replica, txId, sender, nonce, height, result, resultHash };
}
