import { afterAll, describe, expect, it } from 'vitest';
import { createTlsTransport, type TlsTransport, type TlsTransportOptions } from '../../src/net/index.js';
import { detached, expectRefusal, expectRejection, type Kind } from '../_support/refusals.js';
import { peersOf, seedOf } from './cluster.js';

// Every option of createTlsTransport, and every argument of the transport's methods, refused
// with the class, code and message of the checking module.

const W = 'createTlsTransport';
const peers = peersOf(2);
const base = (): TlsTransportOptions => ({ id: 0, peers: peersOf(2), networkSeed: seedOf(0) });
const withPeer = (i: number, patch: object) => ({ ...base(), peers: peers.map((p, j) => (j === i ? { ...p, ...patch } : p)) });

const rows: [string, unknown, Kind, string, string?][] = [
  ['options', undefined, 'type', 'options'],
  ['options', null, 'type', 'options'],
  ['options.unknown', { ...base(), maxFrameByte: 5 }, 'type', 'options.maxFrameByte', "did you mean 'maxFrameBytes'?"],
  ['options.peers', { ...base(), peers: 'x' }, 'type', 'options.peers'],
  ['options.peers', { ...base(), peers: [] }, 'range', 'options.peers', 'at least one validator'],
  ['options.peers[1]', { ...base(), peers: [peers[0], 7] }, 'type', 'options.peers[1]'],
  ['options.peers[1].networkKey', withPeer(1, { networkKey: new Uint8Array(31) }), 'range', 'options.peers[1].networkKey', 'must be 32 bytes, got 31'],
  ['options.peers[1].networkKey', withPeer(1, { networkKey: detached() }), 'type', 'options.peers[1].networkKey'],
  ['options.peers[1].networkKey', withPeer(1, { networkKey: peers[0].networkKey }), 'range', 'options.peers[1].networkKey', 'the key of options.peers[0]'],
  ['options.peers[1].host', withPeer(1, { host: 5 }), 'type', 'options.peers[1].host'],
  ['options.peers[1].port', withPeer(1, { port: 65536 }), 'range', 'options.peers[1].port'],
  ['options.peers[1].port', withPeer(1, { port: '80' }), 'type', 'options.peers[1].port'],
  ['options.peers[1].extra', withPeer(1, { address: 'x' }), 'type', 'options.peers[1].address'],
  ['options.id', { ...base(), id: 2 }, 'range', 'options.id', 'in [0, 1]'],
  ['options.id', { ...base(), id: 0.5 }, 'range', 'options.id'],
  ['options.id', { ...base(), id: '0' }, 'type', 'options.id'],
  ['options.networkSeed', { ...base(), networkSeed: new Uint8Array(16) }, 'range', 'options.networkSeed'],
  ['options.networkSeed', { ...base(), networkSeed: seedOf(1) }, 'range', 'options.networkSeed', 'must be the seed of options.peers[0].networkKey'],
  ['options.listen', { ...base(), listen: 5 }, 'type', 'options.listen'],
  ['options.listen.port', { ...base(), listen: { port: -1 } }, 'range', 'options.listen.port'],
  ['options.listen.host', { ...base(), listen: { host: 1 } }, 'type', 'options.listen.host'],
  ['options.maxFrameBytes', { ...base(), maxFrameBytes: 0 }, 'range', 'options.maxFrameBytes'],
  ['options.maxFrameBytes', { ...base(), maxFrameBytes: 2 ** 31 }, 'range', 'options.maxFrameBytes'],
  ['options.maxQueueBytes', { ...base(), maxQueueBytes: NaN }, 'range', 'options.maxQueueBytes'],
  ['options.maxQueueFrames', { ...base(), maxQueueFrames: 0 }, 'range', 'options.maxQueueFrames'],
  ['options.heartbeatInterval', { ...base(), heartbeatInterval: 0 }, 'range', 'options.heartbeatInterval'],
  ['options.heartbeatInterval', { ...base(), heartbeatInterval: 2 ** 31 }, 'range', 'options.heartbeatInterval'],
  ['options.phiThreshold', { ...base(), phiThreshold: 0 }, 'range', 'options.phiThreshold'],
  ['options.phiThreshold', { ...base(), phiThreshold: Infinity }, 'range', 'options.phiThreshold'],
  ['options.acceptableHeartbeatPause', { ...base(), acceptableHeartbeatPause: -1 }, 'range', 'options.acceptableHeartbeatPause'],
  ['options.idleTimeout', { ...base(), heartbeatInterval: 100, idleTimeout: 100 }, 'range', 'options.idleTimeout', 'longer than options.heartbeatInterval (100)'],
  ['options.handshakeTimeout', { ...base(), handshakeTimeout: 1.5 }, 'range', 'options.handshakeTimeout'],
  ['options.reconnect', { ...base(), reconnect: { initialDelay: 1, maxDelay: 2, factor: 2 } }, 'type', 'options.reconnect.factor'],
  ['options.reconnect.initialDelay', { ...base(), reconnect: { initialDelay: -1 } }, 'range', 'options.reconnect.initialDelay'],
  ['options.reconnect.maxDelay', { ...base(), reconnect: { initialDelay: 500, maxDelay: 100 } }, 'range', 'options.reconnect.maxDelay', 'in [500, 2147483647]'],
  ['options.breaker.failures', { ...base(), breaker: { failures: 0 } }, 'range', 'options.breaker.failures'],
  ['options.breaker.openDuration', { ...base(), breaker: { openDuration: 'long' } }, 'type', 'options.breaker.openDuration'],
];

describe('createTlsTransport options', () => {
  for (const [label, options, kind, argument, says] of rows) {
    it(`refuses a bad ${label} (${argument})`, async () => {
      await expectRejection(() => createTlsTransport(options as TlsTransportOptions), kind, W, argument, says);
    });
  }
});

describe('TLS transport methods', () => {
  let transport: TlsTransport;
  afterAll(() => transport?.close());

  it('refuse bad arguments, naming the method', async () => {
    transport = await createTlsTransport(base());
    expectRefusal(() => transport.setPeerAddress(2, { host: 'a', port: 1 }), 'range', 'TlsTransport.setPeerAddress', 'id');
    expectRefusal(() => transport.setPeerAddress(0, { host: 'a', port: 1 }), 'range', 'TlsTransport.setPeerAddress', 'id', "another validator's id");
    expectRefusal(() => transport.setPeerAddress(1, null as never), 'type', 'TlsTransport.setPeerAddress', 'address');
    expectRefusal(() => transport.setPeerAddress(1, { host: 'a', port: 0 }), 'range', 'TlsTransport.setPeerAddress', 'address.port');
    expectRefusal(() => transport.setPeerAddress(1, { host: 1 as never, port: 1 }), 'type', 'TlsTransport.setPeerAddress', 'address.host');
    expectRefusal(() => transport.send(1, 'text' as never), 'type', 'TlsTransport.send', 'frame');
    expectRefusal(() => transport.broadcast([1] as never), 'type', 'TlsTransport.broadcast', 'frame');
    expectRefusal(() => transport.onFrame(5 as never), 'type', 'TlsTransport.onFrame', 'handler');
    expectRefusal(() => transport.onPeerChange(undefined as never), 'type', 'TlsTransport.onPeerChange', 'listener');
    expect(transport.stats().dropped).toEqual({ queueFull: 0, breakerOpen: 0, noSuchPeer: 0, oversize: 0 });
  });
});
