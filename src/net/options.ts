import {
  ArgumentRangeError,
  requireArray,
  requireByteLength,
  requireInteger,
  requireNumber,
  requireObject,
  requireOptions,
  requireString,
} from '../check/index.js';
import { networkPublicKey } from './certificate.js';

/** A validator as the transport knows it: its network key (from genesis) and where it listens. */
export interface TlsPeer {
  /** 32-byte Ed25519 public network key. */
  networkKey: Uint8Array;
  host: string;
  /** 0 while not known yet (see `setPeerAddress`). */
  port: number;
}

export interface TlsTransportOptions {
  /** This validator's id: its index in `peers`. */
  id: number;
  /** Every validator of the set, this one included, by id. */
  peers: TlsPeer[];
  /** This validator's 32-byte network key seed; its public key must be `peers[id].networkKey`. */
  networkSeed: Uint8Array;
  /** Where to listen; default host 127.0.0.1 and port `peers[id].port` (0: any free port). */
  listen?: { host?: string; port?: number };
  /** Largest frame `send` takes and a peer may send; default 16 MiB. */
  maxFrameBytes?: number;
  /** Bounds of each peer's send queue (wire bytes, frames); default 64 MiB and 8192 frames. */
  maxQueueBytes?: number;
  maxQueueFrames?: number;
  /** Milliseconds between heartbeats to each peer; default 250. */
  heartbeatInterval?: number;
  /** Phi at or above which a peer is suspected; default 8. */
  phiThreshold?: number;
  /** Silence beyond the usual heartbeat interval tolerated before phi climbs (ms); default 2 heartbeat intervals. */
  acceptableHeartbeatPause?: number;
  /** A connection on which nothing was heard this long (ms) is closed and dialed again; default 20 heartbeat intervals. */
  idleTimeout?: number;
  /** Time (ms) for a new connection to finish the TLS handshake and carry its first frame; default 5000. */
  handshakeTimeout?: number;
  /** Delays between dial attempts: exponential from `initialDelay`, at most `maxDelay`, full jitter (ms); default 100 and 5000. */
  reconnect?: { initialDelay?: number; maxDelay?: number };
  /** `failures` dial failures in a row open a peer's breaker for `openDuration` ms (frames to it are dropped meanwhile); default 5 and 2000. */
  breaker?: { failures?: number; openDuration?: number };
}

/** The options, checked, with every default filled in. */
export interface TlsConfig {
  id: number;
  peers: TlsPeer[];
  networkSeed: Uint8Array;
  listenHost: string;
  listenPort: number;
  maxFrameBytes: number;
  maxQueueBytes: number;
  maxQueueFrames: number;
  heartbeatInterval: number;
  phiThreshold: number;
  acceptableHeartbeatPause: number;
  idleTimeout: number;
  handshakeTimeout: number;
  initialDelay: number;
  maxDelay: number;
  breakerFailures: number;
  breakerOpenDuration: number;
}

const WHERE = 'createTlsTransport';
const KNOWN = [
  'id', 'peers', 'networkSeed', 'listen', 'maxFrameBytes', 'maxQueueBytes', 'maxQueueFrames', 'heartbeatInterval', 'phiThreshold',
  'acceptableHeartbeatPause', 'idleTimeout', 'handshakeTimeout', 'reconnect', 'breaker',
];
/** Longest delay a timer takes (2^31 − 1 ms). */
const MAX_TIMER_MS = 0x7fffffff;
const MAX_PORT = 65535;

function checkPeers(value: unknown): TlsPeer[] {
  const list = requireArray(value, WHERE, 'options.peers');
  if (list.length === 0) throw new ArgumentRangeError(WHERE, 'options.peers', 'must list at least one validator, got an empty array');
  const seen = new Map<string, number>();
  return list.map((item, i) => {
    const peer = requireOptions(requireObject<TlsPeer>(item, WHERE, `options.peers[${i}]`), WHERE, `options.peers[${i}]`, ['networkKey', 'host', 'port']);
    const networkKey = requireByteLength(peer.networkKey, WHERE, `options.peers[${i}].networkKey`, 32);
    const hex = Buffer.from(networkKey).toString('hex');
    const first = seen.get(hex);
    if (first !== undefined) throw new ArgumentRangeError(WHERE, `options.peers[${i}].networkKey`, `must differ from every other validator's, got the key of options.peers[${first}]`);
    seen.set(hex, i);
    const host = requireString(peer.host, WHERE, `options.peers[${i}].host`);
    const port = requireInteger(peer.port, WHERE, `options.peers[${i}].port`, 0, MAX_PORT);
    return { networkKey: networkKey.slice(), host, port };
  });
}

/** Checks `createTlsTransport`'s options (argument errors name it) and fills in the defaults. */
export function tlsConfig(value: TlsTransportOptions): TlsConfig {
  const options = requireOptions(requireObject<TlsTransportOptions>(value, WHERE, 'options'), WHERE, 'options', KNOWN);
  const peers = checkPeers(options.peers);
  const id = requireInteger(options.id, WHERE, 'options.id', 0, peers.length - 1);
  const networkSeed = requireByteLength(options.networkSeed, WHERE, 'options.networkSeed', 32).slice();
  if (Buffer.compare(networkPublicKey(networkSeed), peers[id].networkKey) !== 0) {
    throw new ArgumentRangeError(WHERE, 'options.networkSeed', `must be the seed of options.peers[${id}].networkKey, got the seed of another key`);
  }
  const listen = requireOptions(options.listen, WHERE, 'options.listen', ['host', 'port']);
  const maxFrameBytes = requireInteger(options.maxFrameBytes ?? 16 * 2 ** 20, WHERE, 'options.maxFrameBytes', 1, 2 ** 30);
  const heartbeatInterval = requireInteger(options.heartbeatInterval ?? 250, WHERE, 'options.heartbeatInterval', 1, MAX_TIMER_MS);
  const idleTimeout = requireInteger(options.idleTimeout ?? Math.min(MAX_TIMER_MS, 20 * heartbeatInterval), WHERE, 'options.idleTimeout', 1, MAX_TIMER_MS);
  if (idleTimeout <= heartbeatInterval) {
    throw new ArgumentRangeError(WHERE, 'options.idleTimeout', `must be longer than options.heartbeatInterval (${heartbeatInterval}), got ${idleTimeout}`);
  }
  const reconnect = requireOptions(options.reconnect, WHERE, 'options.reconnect', ['initialDelay', 'maxDelay']);
  const initialDelay = requireNumber(reconnect.initialDelay ?? 100, WHERE, 'options.reconnect.initialDelay', 0, MAX_TIMER_MS);
  const breaker = requireOptions(options.breaker, WHERE, 'options.breaker', ['failures', 'openDuration']);
  return {
    id,
    peers,
    networkSeed,
    listenHost: requireString(listen.host ?? '127.0.0.1', WHERE, 'options.listen.host'),
    listenPort: requireInteger(listen.port ?? peers[id].port, WHERE, 'options.listen.port', 0, MAX_PORT),
    maxFrameBytes,
    maxQueueBytes: requireInteger(options.maxQueueBytes ?? 64 * 2 ** 20, WHERE, 'options.maxQueueBytes', 1),
    maxQueueFrames: requireInteger(options.maxQueueFrames ?? 8192, WHERE, 'options.maxQueueFrames', 1),
    heartbeatInterval,
    phiThreshold: requireNumber(options.phiThreshold ?? 8, WHERE, 'options.phiThreshold', 0, Infinity, '()'),
    acceptableHeartbeatPause: requireNumber(options.acceptableHeartbeatPause ?? 2 * heartbeatInterval, WHERE, 'options.acceptableHeartbeatPause', 0),
    idleTimeout,
    handshakeTimeout: requireInteger(options.handshakeTimeout ?? 5000, WHERE, 'options.handshakeTimeout', 1, MAX_TIMER_MS),
    initialDelay,
    maxDelay: requireNumber(reconnect.maxDelay ?? Math.max(5000, initialDelay), WHERE, 'options.reconnect.maxDelay', initialDelay, MAX_TIMER_MS),
    breakerFailures: requireInteger(breaker.failures ?? 5, WHERE, 'options.breaker.failures', 1),
    breakerOpenDuration: requireInteger(breaker.openDuration ?? 2000, WHERE, 'options.breaker.openDuration', 1, MAX_TIMER_MS),
  };
}
