import { describe, expect, it } from 'vitest';
import {
  buildCommitProof,
  type CommitProof,
  type CommittedBlock,
  decodeBlockHeader,
  decodeCommitProof,
  encodeBlockHeader,
  encodeCommitProof,
  type ValidatorSet,
  verifyCommitProof,
} from '../../src/consensus/index.js';
import { detached, expectMessage, expectRefusals, type Refusal } from '../_support/refusals.js';
import { request, TEST_CHAIN } from '../_support/requests.js';
import { TestNetwork } from '../_support/testNetwork.js';

const net = new TestNetwork(4, { fastPath: false, batchTimeout: 5 });
for (let nonce = 1; nonce <= 4; nonce++) net.submit(request('carol', nonce));
net.deliver();
const committed = net.commits[0][0];
const proof = buildCommitProof(committed, 0);
const tx = committed.block.txs[0];
const set: ValidatorSet = { chainId: TEST_CHAIN, validators: net.validators };
const replica = net.replica(0);

const build = (patch: Record<string, unknown>, index = 0, options?: unknown) => () => buildCommitProof({ ...committed, ...patch } as CommittedBlock, index, options as never);
const buildBlock = (patch: Record<string, unknown>) => build({ block: { ...committed.block, ...patch } });
const verify = (patch: Record<string, unknown>, validators: unknown = set, txBytes: unknown = tx, options?: unknown) => () =>
  verifyCommitProof({ ...proof, ...patch } as CommitProof, txBytes as Uint8Array, validators as ValidatorSet, options as never);
const encode = (patch: Record<string, unknown>) => () => encodeCommitProof({ ...proof, ...patch } as CommitProof);
const T = 'type';
const R = 'range';

const rows: Refusal[] = [
  ['build committed', () => buildCommitProof(null as never, 0), T, 'buildCommitProof', 'committed'],
  ['build block', build({ block: 'b' }), T, 'buildCommitProof', 'committed.block'],
  ['build block.height', buildBlock({ height: -1 }), R, 'buildCommitProof', 'committed.block.height'],
  ['build block.parent', buildBlock({ parent: new Uint8Array(31) }), R, 'buildCommitProof', 'committed.block.parent', 'must be 32 bytes, got 31'],
  ['build block.txRoot', buildBlock({ txRoot: [1] }), T, 'buildCommitProof', 'committed.block.txRoot'],
  ['build block.txs', buildBlock({ txs: null }), T, 'buildCommitProof', 'committed.block.txs'],
  ['build block.txs[i]', buildBlock({ txs: [tx, 'x'] }), T, 'buildCommitProof', 'committed.block.txs[1]'],
  ['build cert', build({ cert: undefined }), T, 'buildCommitProof', 'committed.cert'],
  ['build cert[i]', build({ cert: [detached()] }), T, 'buildCommitProof', 'committed.cert[0]', 'detached'],
  ['build index type', build({}, '0' as never), T, 'buildCommitProof', 'index'],
  ['build index range', build({}, 4), R, 'buildCommitProof', 'index', 'must be an integer in [0, 3], got 4'],
  ['build index fraction', build({}, 0.5), R, 'buildCommitProof', 'index'],
  ['build options', build({}, 0, 'sha256'), T, 'buildCommitProof', 'options'],
  ['build options.merkleHash', build({}, 0, { merkleHash: 'md5' }), R, 'buildCommitProof', 'options.merkleHash', "must be one of 'sha256', 'blake3', got 'md5'"],
  ['verify proof', () => verifyCommitProof(undefined as never, tx, set), T, 'verifyCommitProof', 'proof'],
  ['verify header', verify({ header: 'h' }), T, 'verifyCommitProof', 'proof.header'],
  ['verify certificate', verify({ certificate: {} }), T, 'verifyCommitProof', 'proof.certificate'],
  ['verify certificate[i]', verify({ certificate: [proof.certificate[0], 3] }), T, 'verifyCommitProof', 'proof.certificate[1]'],
  ['verify inclusionPath', verify({ inclusionPath: undefined }), T, 'verifyCommitProof', 'proof.inclusionPath'],
  ['verify index', verify({ index: Number.NaN }), R, 'verifyCommitProof', 'proof.index'],
  ['verify index type', verify({ index: 1n }), T, 'verifyCommitProof', 'proof.index'],
  ['verify validatorSet', verify({}, null), T, 'verifyCommitProof', 'validatorSet'],
  ['verify chainId', verify({}, { ...set, chainId: '' }), R, 'verifyCommitProof', 'validatorSet.chainId'],
  ['verify epoch', verify({}, { ...set, epoch: 1.5 }), R, 'verifyCommitProof', 'validatorSet.epoch'],
  ['verify validators', verify({}, { ...set, validators: 'keys' }), T, 'verifyCommitProof', 'validatorSet.validators'],
  ['verify validators[i]', verify({}, { ...set, validators: [net.validators[0], null] }), T, 'verifyCommitProof', 'validatorSet.validators[1]'],
  ['verify txBytes', verify({}, set, 'tx'), T, 'verifyCommitProof', 'txBytes'],
  ['verify options', verify({}, set, tx, 7), T, 'verifyCommitProof', 'options'],
  ['verify options.hash', verify({}, set, tx, { hash: 'sha256' }), T, 'verifyCommitProof', 'options.hash'],
  ['verify options.merkleHash', verify({}, set, tx, { merkleHash: 'sha512' }), R, 'verifyCommitProof', 'options.merkleHash'],
  ['encode proof', () => encodeCommitProof([] as never), T, 'encodeCommitProof', 'proof'],
  ['encode header', encode({ header: new Uint8Array(78) }), R, 'encodeCommitProof', 'proof.header', 'must be 77 bytes, got 78'],
  ['encode certificate', encode({ certificate: 'c' }), T, 'encodeCommitProof', 'proof.certificate'],
  ['encode certificate size', encode({ certificate: new Array(65536).fill(proof.certificate[0]) }), R, 'encodeCommitProof', 'proof.certificate', 'at most 65535 votes'],
  ['encode inclusionPath[i]', encode({ inclusionPath: [new Uint8Array(32), new Uint8Array(33)] }), R, 'encodeCommitProof', 'proof.inclusionPath[1]', 'must be 32 bytes, got 33'],
  ['encode inclusionPath size', encode({ inclusionPath: new Array(65).fill(new Uint8Array(32)) }), R, 'encodeCommitProof', 'proof.inclusionPath', 'at most 64 hashes'],
  ['encode index', encode({ index: 2 ** 32 }), R, 'encodeCommitProof', 'proof.index', 'must be an integer in [0, 4294967295]'],
  ['decode bytes', () => decodeCommitProof([1] as never), T, 'decodeCommitProof', 'bytes'],
  ['decodeBlockHeader bytes', () => decodeBlockHeader(null as never), T, 'decodeBlockHeader', 'bytes'],
  ['encodeBlockHeader block', () => encodeBlockHeader(1 as never), T, 'encodeBlockHeader', 'block'],
  ['encodeBlockHeader parent', () => encodeBlockHeader({ ...committed.block, parent: undefined as never }), T, 'encodeBlockHeader', 'block.parent'],
  ['proveTransaction height', () => replica.proveTransaction(1.5, 0), R, 'Replica.proveTransaction', 'height'],
  ['proveTransaction height type', () => replica.proveTransaction('1' as never, 0), T, 'Replica.proveTransaction', 'height'],
  ['proveTransaction index', () => replica.proveTransaction(1, -1), R, 'Replica.proveTransaction', 'index'],
  ['proveTransaction options.merkleHash', () => replica.proveTransaction(1, 0, { merkleHash: 1 as never }), T, 'Replica.proveTransaction', 'options.merkleHash'],
];

describe('commit proof argument errors', () => {
  it('refuses every argument of the wrong type or range, naming the function and the argument', () => expectRefusals(rows));

  it('says the whole sentence', () => {
    expectMessage(build({}, 4), R, 'buildCommitProof: index must be an integer in [0, 3], got 4');
    expectMessage(verify({}, set, 'tx'), T, 'verifyCommitProof: txBytes must be a Uint8Array, got a string');
  });

  it('takes bytes that are not a proof as data, not as a bad argument', () => {
    expect(verifyCommitProof({ ...proof, header: new Uint8Array(0), certificate: [new Uint8Array(0)] }, new Uint8Array(0), set)).toEqual({ ok: false, reason: 'malformed' });
  });
});
