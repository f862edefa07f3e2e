import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  buildCommitProof,
  type CommitProof,
  type CommitProofFailure,
  decodeVote,
  MessageType,
  signVote,
  type ValidatorSet,
  verifyCommitProof,
  type VoteType,
} from '../../src/consensus/index.js';
import { ed25519 } from '../../src/sig/index.js';
import { request, TEST_CHAIN } from '../_support/requests.js';
import { TestNetwork, testSigners } from '../_support/testNetwork.js';

// Every way a commit proof can be wrong, each from a good proof of a real network with one thing
// changed, and the reason it is refused for.

const net = new TestNetwork(4, { fastPath: false, batchTimeout: 5 });
for (let nonce = 1; nonce <= 7; nonce++) net.submit(request('alice', nonce));
net.deliver();
net.run(50);
const [first, second] = net.commits[0];
const set: ValidatorSet = { chainId: TEST_CHAIN, validators: net.validators };
const { view, height, hash: digest } = second;
const INDEX = 1;
const good = buildCommitProof(second, INDEX);
const tx = second.block.txs[INDEX];

const vote = (signer: number, patch: { type?: VoteType; sender?: number; view?: number; seq?: number; digest?: Uint8Array } = {}) =>
  signVote(net.signers[signer], patch.type ?? MessageType.Commit, patch.sender ?? signer, patch.view ?? view, patch.seq ?? height, patch.digest ?? digest);
const withCert = (certificate: Uint8Array[]): CommitProof => ({ ...good, certificate });
const flipped = (bytes: Uint8Array, at: number) => {
  const out = bytes.slice();
  out[at] ^= 1;
  return out;
};
const expectRefused = (proof: CommitProof, reason: CommitProofFailure, txBytes = tx, validators = set) =>
  expect(verifyCommitProof(proof, txBytes, validators)).toEqual({ ok: false, reason });

describe('verifyCommitProof refusals', () => {
  afterEach(() => vi.restoreAllMocks());

  it('accepts the good proof, its 2f+1 COMMITs in one verifyBatch, and a certificate of all n COMMITs', () => {
    expect(second.block.txs.length).toBe(3);
    const batch = vi.spyOn(ed25519, 'verifyBatch');
    expect(verifyCommitProof(good, tx, set).ok).toBe(true);
    expect(batch).toHaveBeenCalledTimes(1);
    expect(batch.mock.calls[0][0]).toHaveLength(3);
    expect(verifyCommitProof(withCert([0, 1, 2, 3].map((i) => vote(i))), tx, set).ok).toBe(true);
  });

  it('duplicate signer: the same validator twice, or its two votes', () => {
    expectRefused(withCert([good.certificate[0], good.certificate[0], good.certificate[1]]), 'duplicate-signer');
    expectRefused(withCert([vote(0), vote(1), vote(1)]), 'duplicate-signer');
  });

  it('signer outside the set: an id past the validators, or the right id with a stranger key', () => {
    const stranger = testSigners(1, 'stranger')[0];
    expectRefused(withCert([vote(0), vote(1), signVote(stranger, MessageType.Commit, 4, view, height, digest)]), 'unknown-signer');
    expectRefused(withCert([vote(0), vote(1), signVote(stranger, MessageType.Commit, 2, view, height, digest)]), 'bad-signature');
    expectRefused(good, 'unknown-signer', tx, { ...set, validators: net.validators.slice(0, 2) });
    // The keys of the set in another order: ids name other keys.
    expectRefused(good, 'bad-signature', tx, { ...set, validators: [...net.validators].reverse() });
  });

  it('wrong vote type: CHECKPOINT votes, or COMMITs mixed with PREPAREs', () => {
    expectRefused(withCert([0, 1, 2].map((i) => vote(i, { type: MessageType.Checkpoint }))), 'wrong-vote-type');
    expectRefused(withCert([vote(0), vote(1), vote(2, { type: MessageType.Prepare })]), 'wrong-vote-type');
  });

  it('wrong view or seq binding: votes of two views, or for another height', () => {
    expectRefused(withCert([vote(0), vote(1), vote(2, { view: view + 1 })]), 'mixed-views');
    expectRefused(withCert([0, 1, 2].map((i) => vote(i, { seq: height + 1 }))), 'wrong-height');
    // The first block's certificate under the second block's header.
    expectRefused(withCert(first.cert), 'wrong-height');
  });

  it('wrong digest: votes for another block, or a header changed under the votes', () => {
    expectRefused(withCert([0, 1, 2].map((i) => vote(i, { digest: first.hash }))), 'wrong-digest');
    expectRefused({ ...good, header: flipped(good.header, 50) }, 'wrong-digest');
  });

  it('too few signatures: 2f COMMITs, n − 1 PREPAREs, none', () => {
    expectRefused(withCert(good.certificate.slice(0, 2)), 'too-few-signatures');
    expectRefused(withCert([0, 1, 2].map((i) => vote(i, { type: MessageType.Prepare }))), 'too-few-signatures');
    expectRefused(withCert([]), 'too-few-signatures');
    expect(verifyCommitProof(withCert([0, 1, 2, 3].map((i) => vote(i, { type: MessageType.Prepare }))), tx, set).ok).toBe(true);
  });

  it('bad signature: one flipped bit, or a fourth vote forged beside a good quorum', () => {
    expectRefused(withCert([good.certificate[0], good.certificate[1], flipped(good.certificate[2], 100)]), 'bad-signature');
    const outside = [0, 1, 2, 3].find((i) => !good.certificate.some((frame) => decodeVote(frame).sender === i)) as number;
    const forged = flipped(vote(outside), 60);
    expectRefused(withCert([...good.certificate, forged]), 'bad-signature');
  });

  it('another chain or epoch: the domain the votes were signed under differs', () => {
    expectRefused(good, 'bad-signature', tx, { ...set, chainId: 'other-chain' });
    expectRefused(good, 'bad-signature', tx, { ...set, epoch: 3 });
  });

  it('wrong root: a tampered transaction, another transaction, a changed path hash', () => {
    expectRefused(good, 'wrong-root', flipped(tx, tx.length - 1));
    expectRefused(good, 'wrong-root', second.block.txs[0]);
    expectRefused({ ...good, inclusionPath: [flipped(good.inclusionPath[0], 0), ...good.inclusionPath.slice(1)] }, 'wrong-root');
  });

  it('wrong index: another position with a path of the same length, or past the block', () => {
    expect(good.inclusionPath.length).toBe(2);
    expectRefused({ ...good, index: 0 }, 'wrong-root');
    expectRefused({ ...good, index: 3 }, 'index-out-of-range');
    expectRefused({ ...good, index: 2 ** 40 }, 'index-out-of-range');
    // Leaf 2 of 3 sits one level up: a path of the wrong length for its index.
    expectRefused({ ...good, index: 2 }, 'bad-path');
  });

  it('truncated or padded path, or a hash of the wrong size', () => {
    expectRefused({ ...good, inclusionPath: good.inclusionPath.slice(0, 1) }, 'bad-path');
    expectRefused({ ...good, inclusionPath: [] }, 'bad-path');
    expectRefused({ ...good, inclusionPath: [...good.inclusionPath, good.inclusionPath[0]] }, 'bad-path');
    expectRefused({ ...good, inclusionPath: [good.inclusionPath[0].subarray(1), good.inclusionPath[1]] }, 'bad-path');
  });

  it('malformed: a header or vote frame that does not decode', () => {
    expectRefused({ ...good, header: good.header.subarray(0, 76) }, 'malformed');
    expectRefused({ ...good, header: Uint8Array.of(2, ...good.header.subarray(1)) }, 'malformed');
    expectRefused(withCert([good.certificate[0], good.certificate[1], good.certificate[2].subarray(0, 111)]), 'malformed');
    expectRefused(withCert([good.certificate[0], good.certificate[1], new Uint8Array(112)]), 'malformed');
  });
});
