import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { connect, type TLSSocket } from 'node:tls';
import { hexToBytes } from '../../src/bytes/index.js';
import { consensusDomain, domainSigner, MessageType, signVote, type ValidatorSet, type VoteType } from '../../src/consensus/index.js';
import { encodeFrame, FrameKind, networkCertificate } from '../../src/net/index.js';
import { nodeEd25519Signer, nodeSha256 } from '../../src/node/index.js';
import type { Address } from './faultProxy.js';
import type { Rng } from './seed.js';

// A validator turned hostile, speaking to a node over its own mutual-TLS port: it holds the
// validator's network key (so the node's pinning lets it in as that validator) and its consensus
// key (so what it floods is signed and costs the node a verification each), and writes whatever
// bytes a test gives it — garbage, frames longer than the limit, cut-off frames, valid frames
// from far in the future.

/** The seeds of a home's keys (keys/network.key, keys/consensus.key). */
export async function homeKeys(home: string): Promise<{ networkSeed: Uint8Array; consensusSeed: Uint8Array }> {
  const read = async (name: string) => hexToBytes((await readFile(join(home, 'keys', name), 'utf8')).trim());
  return { networkSeed: await read('network.key'), consensusSeed: await read('consensus.key') };
}

/** One TLS 1.3 connection to a node, authenticated with a validator's network key. */
export class RoguePeer {
  readonly closed: Promise<void>;
  private ended = false;

  private constructor(private readonly socket: TLSSocket) {
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.ended = true;
        resolve();
      }),
    );
  }

  /** Connects to `address` presenting the certificate of `networkSeed`; resolves once the handshake is done. */
  static async connect(address: Address, networkSeed: Uint8Array): Promise<RoguePeer> {
    const certificate = await networkCertificate(networkSeed);
    const socket = connect({ ...address, ...certificate, rejectUnauthorized: false, minVersion: 'TLSv1.3', checkServerIdentity: () => undefined });
    await new Promise<void>((resolve, reject) => {
      socket.once('secureConnect', resolve);
      socket.once('error', reject);
    });
    return new RoguePeer(socket);
  }

  /** Whether the node closed the connection (or it was destroyed here). */
  get isClosed(): boolean {
    return this.ended;
  }

  /** Writes `bytes`, waiting while the socket pushes back; false once the connection is closed. */
  async write(bytes: Uint8Array): Promise<boolean> {
    if (this.ended) return false;
    if (this.socket.write(bytes)) return true;
    await Promise.race([new Promise((resolve) => this.socket.once('drain', resolve)), this.closed]);
    return !this.ended;
  }

  /** Resolves true once the node has closed the connection, false if it is still open after `timeoutMs`. */
  async closedWithin(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const result = await Promise.race([this.closed.then(() => true), late]);
    clearTimeout(timer);
    return result;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** `body` as a data frame of the transport, header included. */
export const dataFrame = (body: Uint8Array): Uint8Array => encodeFrame(FrameKind.data, body);

/** The transport's heartbeat: the first frame a dialer sends, which establishes the connection. */
export const heartbeatFrame = (): Uint8Array => encodeFrame(FrameKind.heartbeat, new Uint8Array(0));

/**
 * `count` votes of validator `sender`, validly signed under `set`, for slots far beyond anything
 * committed: sequence numbers from 10^9 in the current views, and views from 10^6.
 */
export function farFutureVotes(consensusSeed: Uint8Array, sender: number, set: ValidatorSet, count: number, rng: Rng): Uint8Array[] {
  const signer = domainSigner(nodeEd25519Signer(consensusSeed), consensusDomain(set, nodeSha256));
  const types: VoteType[] = [MessageType.Prepare, MessageType.Commit, MessageType.Checkpoint];
  return Array.from({ length: count }, (_, k) => {
    const farView = k % 2 === 1;
    return signVote(signer, types[k % types.length], sender, farView ? 1_000_000 + k : rng.int(4), 1_000_000_000 + k, rng.bytes(32));
  });
}
