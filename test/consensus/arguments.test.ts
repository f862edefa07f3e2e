import { describe, expect, it } from 'vitest';
import { Client, consensusDomain, decodeBlock, decodeReply, Replica, type ReplicaConfig, validatorSetId } from '../../src/consensus/index.js';
import { expectMessage, type Kind } from '../_support/refusals.js';
import { TestNetwork } from '../_support/testNetwork.js';

type Refusal = [name: string, call: () => unknown, kind: Kind, message: string | RegExp];

const net = new TestNetwork(4);
const good = net.config(0);
const replica = (patch: Partial<Record<keyof ReplicaConfig, unknown>>) => () => new Replica({ ...good, ...patch } as ReplicaConfig);
/** An epoch start whose fields pass the checks (each row spoils one; none gets as far as the snapshot). */
const start = { height: 4, blockHash: new Uint8Array(32), snapshot: new Uint8Array(0) };
const T = 'type';
const R = 'range';

const table: Refusal[] = [
  ['config', () => new Replica(null as never), T, 'Replica: config must be an object, got null'],
  ['validators', replica({ validators: 'x' }), T, 'Replica: config.validators must be an array, got a string'],
  ['validators[i]', replica({ validators: [...net.validators.slice(0, 3), 7] }), T, 'Replica: config.validators[3] must be a Uint8Array, got a number (7)'],
  ['id', replica({ id: 4 }), R, 'Replica: config.id must be an integer in [0, 3], got 4'],
  ['id type', replica({ id: '0' }), T, 'Replica: config.id must be an integer, got a string'],
  ['signer', replica({ signer: null }), T, 'Replica: config.signer must be an object, got null'],
  ['signer.sign', replica({ signer: { publicKey: net.validators[0] } }), T, 'Replica: config.signer.sign must be a function, got undefined'],
  ['signer.publicKey', replica({ signer: { sign: () => new Uint8Array(64) } }), T, 'Replica: config.signer.publicKey must be a Uint8Array, got undefined'],
  ['verifier', replica({ verifier: {} }), T, 'Replica: config.verifier.verifyBatch must be a function, got undefined'],
  ['application', replica({ application: { execute: () => 0 } }), T, 'Replica: config.application.snapshot must be a function, got undefined'],
  ['hash', replica({ hash: 'sha256' }), T, 'Replica: config.hash must be a function, got a string'],
  ['txRoot', replica({ txRoot: 1 }), T, 'Replica: config.txRoot must be a function, got a number (1)'],
  ['batchSize', replica({ batchSize: 1.5 }), R, 'Replica: config.batchSize must be an integer in [1, 1048576], got 1.5'],
  ['batchTimeout', replica({ batchTimeout: -1 }), R, 'Replica: config.batchTimeout must be a finite number >= 0, got -1'],
  ['checkpointInterval', replica({ checkpointInterval: 0 }), R, 'Replica: config.checkpointInterval must be an integer in [1, 1048576], got 0'],
  ['viewChangeTimeout', replica({ viewChangeTimeout: 0 }), R, 'Replica: config.viewChangeTimeout must be a finite number > 0, got 0'],
  ['retransmitInterval', replica({ retransmitInterval: Number.NaN }), R, 'Replica: config.retransmitInterval must be a finite number > 0, got NaN'],
  ['fastPath', replica({ fastPath: 'yes' }), T, 'Replica: config.fastPath must be a boolean, got a string'],
  ['fastPathWindow', replica({ fastPathWindow: 5 }), T, 'Replica: config.fastPathWindow must be an object, got a number (5)'],
  ['fastPathWindow.max', replica({ fastPathWindow: { min: 10, max: 5 } }), R, 'Replica: config.fastPathWindow.max must be a finite number >= 10, got 5'],
  ['maxPending', replica({ maxPending: 0 }), R, 'Replica: config.maxPending must be a safe integer >= 1, got 0'],
  ['maxPendingBytes', replica({ maxPendingBytes: 0.5 }), R, 'Replica: config.maxPendingBytes must be a safe integer >= 1, got 0.5'],
  ['restore durable', () => Replica.restore(good, null as never), T, 'Replica.restore: durable must be an object, got null'],
  ['step input', () => net.replica(0).step(undefined as never), T, 'Replica.step: input must be an object, got undefined'],
  ['step type', () => net.replica(0).step({ type: 'nope' } as never), R, "Replica.step: input.type must be one of 'message', 'messages', 'request', 'requests', 'tick', 'peers', got 'nope'"],
  ['step now', () => net.replica(0).step({ type: 'tick', now: Infinity }), R, /^Replica\.step: input\.now must be a finite number.*got Infinity$/],
  ['step messages', () => net.replica(0).step({ type: 'messages', messages: null as never }), T, 'Replica.step: input.messages must be an array, got null'],
  ['step request', () => net.replica(0).step({ type: 'request', request: { nonce: 1 } as never }), T, 'Replica.step: input.request must be a Uint8Array (a signed transaction), got Object'],
  ['step requests[i]', () => net.replica(0).step({ type: 'requests', requests: [new Uint8Array(0), 5 as never] }), T, 'Replica.step: input.requests[1] must be a Uint8Array (a signed transaction), got a number (5)'],
  ['step verified', () => net.replica(0).step({ type: 'requests', requests: [], verified: 1 as never }), T, 'Replica.step: input.verified must be a boolean, got a number (1)'],
  ['chainId', replica({ chainId: undefined }), T, 'Replica: config.chainId must be a string, got undefined'],
  ['chainId length', replica({ chainId: 'x'.repeat(65) }), R, 'Replica: config.chainId must be 1 to 64 bytes of UTF-8, got 65'],
  ['epoch', replica({ epoch: -1 }), R, 'Replica: config.epoch must be a safe integer >= 0, got -1'],
  ['maxPayload', replica({ maxPayload: 1.5 }), R, /^Replica: config\.maxPayload must be an integer in \[0, \d+\], got 1\.5$/],
  ['nonceWindow', replica({ nonceWindow: 0 }), R, 'Replica: config.nonceWindow must be an integer in [1, 4294967296], got 0'],
  ['verifiedCacheSize', replica({ verifiedCacheSize: -1 }), R, 'Replica: config.verifiedCacheSize must be an integer in [0, 16777216], got -1'],
  ['lastHeight', replica({ lastHeight: '8' }), T, 'Replica: config.lastHeight must be an integer, got a string'],
  ['lastHeight range', replica({ lastHeight: 0 }), R, 'Replica: config.lastHeight must be a safe integer >= 1, got 0'],
  ['lastHeight checkpoint', replica({ lastHeight: 6 }), R, 'Replica: config.lastHeight must be a multiple of config.checkpointInterval (4), got 6'],
  ['startEpoch start', () => Replica.startEpoch(good, null as never), T, 'Replica.startEpoch: start must be an object, got null'],
  ['startEpoch height', () => Replica.startEpoch({ ...good, lastHeight: 8 }, { ...start, height: 8 }), R, 'Replica.startEpoch: start.height must be an integer in [1, 7], got 8'],
  ['startEpoch height 0', () => Replica.startEpoch(good, { ...start, height: 0 }), R, 'Replica.startEpoch: start.height must be a safe integer >= 1, got 0'],
  ['startEpoch blockHash', () => Replica.startEpoch(good, { ...start, blockHash: new Uint8Array(31) }), R, 'Replica.startEpoch: start.blockHash must be 32 bytes, got 31'],
  ['startEpoch snapshot', () => Replica.startEpoch(good, { ...start, snapshot: 'x' as never }), T, 'Replica.startEpoch: start.snapshot must be a Uint8Array, got a string'],
  ['Client options', () => new Client(undefined as never), T, 'Client: options must be an object, got undefined'],
  ['Client chainId', () => new Client({ chainId: '', secretKey: new Uint8Array(32), replicas: 4 }), R, 'Client: options.chainId must be 1 to 64 bytes of UTF-8, got 0'],
  ['Client secretKey', () => new Client({ chainId: 'c', secretKey: 'k' as never, replicas: 4 }), T, 'Client: options.secretKey must be a Uint8Array, got a string'],
  ['Client replicas', () => new Client({ chainId: 'c', secretKey: new Uint8Array(32), replicas: 4.5 }), R, 'Client: options.replicas must be a safe integer >= 1, got 4.5'],
  ['Client lastNonce', () => new Client({ chainId: 'c', secretKey: new Uint8Array(32), replicas: 4, lastNonce: -1 }), R, 'Client: options.lastNonce must be a safe integer >= 0, got -1'],
  ['Client.request', () => new Client({ chainId: 'c', secretKey: new Uint8Array(32), replicas: 4 }).request('x' as never), T, 'Client.request: payload must be a Uint8Array, got a string'],
  ['decodeReply', () => decodeReply([1, 2] as never), T, 'decodeReply: bytes must be a Uint8Array, got an array'],
  ['decodeBlock', () => decodeBlock(undefined as never), T, 'decodeBlock: bytes must be a Uint8Array, got undefined'],
  ['validatorSetId chainId', () => validatorSetId({ chainId: 7 as never, validators: [] }, (b) => b), T, 'validatorSetId: set.chainId must be a string, got a number (7)'],
  ['consensusDomain chainId', () => consensusDomain({ chainId: '', validators: [] }, (b) => b), R, 'consensusDomain: set.chainId must be 1 to 64 bytes of UTF-8, got 0'],
];

describe('consensus argument errors', () => {
  for (const [name, call, kind, message] of table) it(name, () => expectMessage(call, kind, message));

  it('peer input is never refused: a frame that is not bytes is dropped as malformed', () => {
    const out = net.replica(1).step({ type: 'messages', messages: ['x', undefined] as never });
    expect(out.stats.dropped.malformed).toBe(2);
  });
});
