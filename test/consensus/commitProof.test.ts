import { describe, expect, it } from 'vitest';
import {
  BlockNotInLogError,
  buildCommitProof,
  type CommittedBlock,
  decodeBlockHeader,
  decodeCommitProof,
  defaultTxRoot,
  encodeBlockHeader,
  encodeCommitProof,
  MessageType,
  TxRootMismatchError,
  type ValidatorSet,
  verifyCommitProof,
} from '../../src/consensus/index.js';
import { nodeSha256 } from '../../src/node/index.js';
import { transactionId } from '../../src/tx/index.js';
import { request, TEST_CHAIN } from '../_support/requests.js';
import { TestNetwork } from '../_support/testNetwork.js';

const setOf = (net: TestNetwork, patch: Partial<ValidatorSet> = {}): ValidatorSet => ({ chainId: TEST_CHAIN, validators: net.validators, ...patch });

/** A network of `n` that committed `count` transactions of one sender (blocks of up to 4). */
function committedNetwork(n: number, fastPath: boolean, count: number, options: ConstructorParameters<typeof TestNetwork>[1] = {}): TestNetwork {
  const net = new TestNetwork(n, { fastPath, batchTimeout: 5, checkpointInterval: 64, ...options });
  for (let nonce = 1; nonce <= count; nonce++) net.submit(request('alice', nonce));
  net.deliver();
  net.run(50);
  net.checkAgreement();
  return net;
}

/** Builds and verifies a proof of every transaction of every block `net.commits[0]` holds; returns the blocks. */
function proveEverything(net: TestNetwork, set: ValidatorSet = setOf(net)): CommittedBlock[] {
  const blocks = net.commits[0];
  for (const committed of blocks) {
    committed.block.txs.forEach((tx, index) => {
      const proof = buildCommitProof(committed, index);
      expect(proof.header).toEqual(encodeBlockHeader(committed.block));
      expect(nodeSha256(proof.header)).toEqual(committed.hash);
      expect(verifyCommitProof(proof, tx, set)).toEqual({ ok: true, height: committed.height, txId: transactionId(tx) });
      expect(verifyCommitProof(decodeCommitProof(encodeCommitProof(proof)), tx, set, { hash: nodeSha256 }).ok).toBe(true);
    });
  }
  return blocks;
}

describe('commit proofs from real replicas', () => {
  it('proves every transaction of slow-path blocks (2f+1 COMMITs), n = 4 and n = 7', () => {
    for (const n of [4, 7]) {
      const net = committedNetwork(n, false, 11);
      const blocks = proveEverything(net);
      expect(blocks.map((b) => b.block.txs.length)).toEqual([4, 4, 3]);
      for (const b of blocks) {
        expect(b.via).toBe('slow');
        expect(b.cert.every((frame) => frame[1] === MessageType.Commit)).toBe(true);
      }
    }
  });

  it('proves every transaction of fast-path blocks (all n PREPAREs)', () => {
    const net = committedNetwork(4, true, 6);
    const blocks = proveEverything(net);
    expect(blocks.map((b) => [b.via, b.cert.length, b.block.txs.length])).toEqual([
      ['fast', 4, 4],
      ['fast', 4, 2],
    ]);
    expect(blocks[0].cert.every((frame) => frame[1] === MessageType.Prepare)).toBe(true);
  });

  it('gives every replica the same provable blocks: a proof from any of them verifies', () => {
    const net = committedNetwork(4, false, 5);
    const tx = net.commits[0][1].block.txs[0];
    for (let i = 0; i < 4; i++) expect(verifyCommitProof(buildCommitProof(net.commits[i][1], 0), tx, setOf(net)).ok).toBe(true);
  });

  it('is never valid on a network with another chain id or epoch (the signatures bind both)', () => {
    const net = committedNetwork(4, false, 4);
    const committed = net.commits[0][0];
    const proof = buildCommitProof(committed, 2);
    const tx = committed.block.txs[2];
    expect(verifyCommitProof(proof, tx, setOf(net, { chainId: 'another-chain' }))).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyCommitProof(proof, tx, setOf(net, { epoch: 1 }))).toEqual({ ok: false, reason: 'bad-signature' });

    // The same keys re-configured as epoch 1: its proofs hold there and nowhere else.
    const next = committedNetwork(4, false, 4, { epoch: 1 });
    const later = buildCommitProof(next.commits[0][0], 0);
    const laterTx = next.commits[0][0].block.txs[0];
    expect(verifyCommitProof(later, laterTx, setOf(next, { epoch: 1 })).ok).toBe(true);
    expect(verifyCommitProof(later, laterTx, setOf(next))).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('follows the network to a BLAKE3 transaction root when told to, and refuses a root it cannot prove', () => {
    const net = committedNetwork(4, false, 4, { txRoot: defaultTxRoot('blake3') });
    const committed = net.commits[0][0];
    const tx = committed.block.txs[1];
    const proof = buildCommitProof(committed, 1, { merkleHash: 'blake3' });
    expect(verifyCommitProof(proof, tx, setOf(net), { merkleHash: 'blake3' }).ok).toBe(true);
    expect(verifyCommitProof(proof, tx, setOf(net))).toEqual({ ok: false, reason: 'wrong-root' });
    let caught: unknown;
    try {
      buildCommitProof(committed, 1);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(TxRootMismatchError);
    expect((caught as TxRootMismatchError).code).toBe('ERR_TX_ROOT_MISMATCH');
    expect((caught as Error).message).toMatch(/^buildCommitProof: the txRoot of block 1 is not the RFC 9162 sha256 root/);
  });
});

describe('Replica.proveTransaction', () => {
  it('proves from the log what buildCommitProof proves from the committed block', () => {
    const net = committedNetwork(4, false, 8);
    const replica = net.replica(2);
    for (const committed of net.commits[2]) {
      for (let index = 0; index < committed.block.txs.length; index++) {
        const proof = replica.proveTransaction(committed.height, index);
        expect(proof).toEqual(buildCommitProof(committed, index));
        expect(verifyCommitProof(proof, committed.block.txs[index], setOf(net)).ok).toBe(true);
      }
    }
  });

  it('refuses, with ERR_BLOCK_NOT_IN_LOG, a height not yet committed or dropped at a stable checkpoint', () => {
    const net = committedNetwork(4, false, 12, { checkpointInterval: 2 });
    const replica = net.replica(0);
    const { height, stableCheckpoint } = replica.status();
    expect([height, stableCheckpoint]).toEqual([3, 2]);
    expect(verifyCommitProof(replica.proveTransaction(2, 0), net.commits[0][1].block.txs[0], setOf(net)).ok).toBe(true);
    for (const missing of [0, 1, 4]) {
      let caught: unknown;
      try {
        replica.proveTransaction(missing, 0);
      } catch (err) {
        caught = err;
      }
      expect(caught, `height ${missing}`).toBeInstanceOf(BlockNotInLogError);
      const err = caught as BlockNotInLogError;
      expect([err.code, err.height]).toEqual(['ERR_BLOCK_NOT_IN_LOG', missing]);
      expect(err.message).toBe(`Replica.proveTransaction: the log holds no block at height ${missing} (it keeps blocks from the stable checkpoint 2 to height 3)`);
    }
    // What the host kept still proves the dropped height.
    const first = net.commits[0][0];
    expect(verifyCommitProof(buildCommitProof(first, 3), first.block.txs[3], setOf(net)).ok).toBe(true);
  });

  it('reads the header it proves: height, parent, txRoot and count', () => {
    const net = committedNetwork(4, false, 5);
    const committed = net.commits[0][1];
    expect(decodeBlockHeader(net.replica(0).proveTransaction(2, 0).header)).toEqual({
      height: 2,
      parent: net.commits[0][0].hash,
      txRoot: committed.block.txRoot,
      txCount: 1,
    });
  });
});
