import { describe, expect, it } from 'vitest';
import { bytesToHex, equalBytes } from '../../src/bytes/index.js';
import { consensusDomain, decodeMessage, decodeVote, MessageType, quorums, signVote, type ValidatorSet } from '../../src/consensus/index.js';
import { nodeSha256 } from '../../src/node/index.js';
import { ed25519 } from '../../src/sig/index.js';
import { type CertificateFailure, type CommitCertificate, findForkCulprits, type ForkCulprit, NotAForkError, type NotAForkReason } from '../../src/validators/index.js';
import { crossViewFork, honestCommitsTwiceWithinThreshold } from '../_support/crossView.js';
import { expectRefusals, type Refusal } from '../_support/refusals.js';
import { testSeed } from '../_support/seed.js';
import { splitBrainFork } from '../_support/splitBrain.js';

const sides = (n: number, seed: number) => {
  const fork = splitBrainFork(n, seed);
  const [a, b] = fork.committed.map((blocks) => blocks[0]).map((c): CommitCertificate => ({ height: c.height, digest: c.hash, cert: c.cert }));
  return { fork, a, b };
};

/** What an evidence transaction needs of a pair: both frames signed by the culprit under the set's domain, one height, the two forked digests. */
function expectConvictingShape(set: ValidatorSet, c: ForkCulprit, a: CommitCertificate, b: CommitCertificate): void {
  const domain = consensusDomain(set, nodeSha256);
  expect(equalBytes(c.publicKey, set.validators[c.validator])).toBe(true);
  const [first, second] = [decodeVote(c.first), decodeVote(c.second)];
  for (const [vote, side] of [[first, a], [second, b]] as const) {
    expect(vote.sender).toBe(c.validator);
    expect(vote.seq).toBe(side.height);
    expect(equalBytes(vote.digest, side.digest)).toBe(true);
    const message = new Uint8Array([...domain, ...vote.signed]);
    expect(ed25519.verify(vote.signature, message, c.publicKey)).toBe(true);
  }
  expect(equalBytes(first.digest, second.digest)).toBe(false);
}

describe('findForkCulprits on forks of real replicas with f+1 Byzantine (split brain)', () => {
  for (const n of [4, 7]) {
    for (let round = 1; round <= 3; round++) {
      const seed = testSeed(`split-brain fork n=${n} round ${round}`);
      it(`n = ${n}, seed ${seed}: names exactly the Byzantine validators, each with two COMMITs of one view`, () => {
        const { fork, a, b } = sides(n, seed);
        // Honest replicas on each side agree with their side and not with the other.
        for (const side of fork.committed) for (const c of side) expect(bytesToHex(c.hash)).toBe(bytesToHex(side[0].hash));
        expect(equalBytes(a.digest, b.digest)).toBe(false);

        const culprits = findForkCulprits(fork.set, nodeSha256, a, b);
        expect(culprits.map((c) => c.validator)).toEqual(fork.byzantine);
        expect(culprits.length).toBeGreaterThanOrEqual(quorums(n).f + 1);
        for (const c of culprits) {
          expectConvictingShape(fork.set, c, a, b);
          // Plain equivocation: the same vote type and view, another digest.
          const [first, second] = [decodeVote(c.first), decodeVote(c.second)];
          expect([first.type, first.view]).toEqual([second.type, second.view]);
        }
        // The other order names the same validators with the frames swapped.
        const swapped = findForkCulprits(fork.set, nodeSha256, b, a);
        expect(swapped.map((c) => [c.validator, bytesToHex(c.first), bytesToHex(c.second)])).toEqual(culprits.map((c) => [c.validator, bytesToHex(c.second), bytesToHex(c.first)]));
      });
    }
  }

  it('names the same culprits from the certificate of any honest replica on either side', () => {
    const seed = testSeed('split-brain fork, every pair of honest replicas');
    const { fork } = sides(7, seed);
    for (const x of fork.committed[0]) {
      for (const y of fork.committed[1]) {
        const culprits = findForkCulprits(fork.set, nodeSha256, { height: x.height, digest: x.hash, cert: x.cert }, { height: y.height, digest: y.hash, cert: y.cert });
        expect(culprits.map((c) => c.validator), `seed ${seed}`).toEqual(fork.byzantine);
      }
    }
  });
});

describe('votes for two blocks at one height in two views (scripted view changes, n = 4)', () => {
  it('an honest replica signs COMMITs for two blocks at one height in two views with only f Byzantine, and nothing forks', () => {
    const { net, digestX, digestY } = honestCommitsTwiceWithinThreshold();
    const commits = net.votesOf(2).filter((v) => v.type === MessageType.Commit && v.seq === 1);
    expect(commits.map((v) => [v.view, bytesToHex(v.digest)])).toEqual(expect.arrayContaining([[0, bytesToHex(digestX)], [1, bytesToHex(digestY)]]));
    for (const i of [1, 2, 3]) expect(net.commits[i].map((c) => [c.height, bytesToHex(c.hash)])).toEqual([[1, bytesToHex(digestY)]]);
    expect(net.evidence).toEqual([]);
    // The lie that freed the slot is on record: the NEW-VIEW replica 1 signed holds validator 0's
    // VIEW-CHANGE at committed height 0 with no vote at height 1, though 0 proposed (PREPAREd) X in view 0.
    const newView = (net.sent[1] ?? []).map((bytes) => decodeMessage(bytes)).find((m) => m.kind === 'newview');
    const fromZero = newView?.kind === 'newview' ? newView.viewChanges.find((vc) => vc.sender === 0) : undefined;
    expect([fromZero?.committed.height, fromZero?.latest, fromZero?.prepared]).toEqual([0, null, []]);
  });

  it('with f+1 Byzantine, two slow certificates in two views can name an honest replica', () => {
    const { net, digestX, digestY, commitX, commitY } = crossViewFork();
    // The honest replicas committed Y and agree; X's certificate is the adversary's, for a light client.
    for (const i of [2, 3]) expect(net.commits[i].map((c) => bytesToHex(c.hash))).toEqual([bytesToHex(digestY)]);
    const a = { height: 1, digest: digestX, cert: commitX };
    const withHonest = findForkCulprits(net.set(), nodeSha256, a, { height: 1, digest: digestY, cert: commitY([0, 1, 2]) });
    expect(withHonest.map((c) => c.validator)).toEqual([0, 1, 2]);
    const honest = withHonest[2];
    expectConvictingShape(net.set(), honest, a, { height: 1, digest: digestY, cert: [] });
    // Replica 2's pair is COMMIT(view 0, X) and COMMIT(view 1, Y): what the protocol's own code signed.
    expect([decodeVote(honest.first).view, decodeVote(honest.second).view]).toEqual([0, 1]);
    expect(bytesToHex(honest.first)).toBe(bytesToHex(net.voteOf(2, MessageType.Commit, 0).bytes));
    // Another certificate of the same block names only the Byzantine pair: which honest replicas appear depends on the certificates.
    const without = findForkCulprits(net.set(), nodeSha256, a, { height: 1, digest: digestY, cert: commitY([0, 1, 3]) });
    expect(without.map((c) => c.validator)).toEqual([0, 1]);
  });

  it('with a fast-path certificate on one side, every signer of the other is named (2f+1), honest ones too', () => {
    const { net, digestX, digestY, fastX } = crossViewFork();
    const mine = net.commits[3][0];
    const culprits = findForkCulprits(net.set(), nodeSha256, { height: 1, digest: digestX, cert: fastX }, { height: 1, digest: digestY, cert: mine.cert });
    const signers = mine.cert.map((frame) => decodeVote(frame).sender).sort();
    expect(culprits.map((c) => c.validator)).toEqual(signers);
    expect(culprits.length).toBeGreaterThanOrEqual(2 * quorums(4).f + 1);
    expect(culprits.some((c) => c.validator >= 2)).toBe(true);
    for (const c of culprits) expect([decodeVote(c.first).type, decodeVote(c.first).view, decodeVote(c.second).type, decodeVote(c.second).view]).toEqual([MessageType.Prepare, 0, MessageType.Commit, 1]);
  });
});

describe('findForkCulprits refuses what is not a fork', () => {
  const seed = testSeed('refusals fork');
  const { fork, a, b } = sides(4, seed);
  const set = fork.set;

  function expectNotAFork(call: () => unknown, reason: NotAForkReason, certificate: 'a' | 'b' | null = null, failure: CertificateFailure | null = null): void {
    let caught: unknown;
    try {
      call();
    } catch (err) {
      caught = err;
    }
    expect(caught, `seed ${seed}`).toBeInstanceOf(NotAForkError);
    const err = caught as NotAForkError;
    expect([err.code, err.name, err.reason, err.certificate, err.failure]).toEqual(['ERR_NOT_A_FORK', 'NotAForkError', reason, certificate, failure]);
    expect(err.message.startsWith('findForkCulprits: ')).toBe(true);
  }
  const withCert = (c: CommitCertificate, cert: Uint8Array[]) => ({ ...c, cert });
  const flip = (frame: Uint8Array, at: number) => {
    const bad = frame.slice();
    bad[at] ^= 1;
    return bad;
  };

  it(`different heights (seed ${seed})`, () => {
    expectNotAFork(() => findForkCulprits(set, nodeSha256, a, { ...b, height: b.height + 1 }), 'different-heights');
  });

  it(`the same block twice (seed ${seed})`, () => {
    expectNotAFork(() => findForkCulprits(set, nodeSha256, a, a), 'same-digest');
    expectNotAFork(() => findForkCulprits(set, nodeSha256, a, withCert(a, [...a.cert].reverse())), 'same-digest');
  });

  it(`invalid or short certificates, saying which and why (seed ${seed})`, () => {
    const q = quorums(set.validators.length);
    expectNotAFork(() => findForkCulprits(set, nodeSha256, withCert(a, a.cert.slice(0, q.quorum - 1)), b), 'invalid-certificate', 'a', 'not-a-commit-certificate');
    expectNotAFork(() => findForkCulprits(set, nodeSha256, a, withCert(b, [])), 'invalid-certificate', 'b', 'not-a-commit-certificate');
    expectNotAFork(() => findForkCulprits(set, nodeSha256, a, withCert(b, [b.cert[0], b.cert[0], b.cert[1]])), 'invalid-certificate', 'b', 'not-a-commit-certificate');
    // b's votes under a's digest: they sign another block.
    expectNotAFork(() => findForkCulprits(set, nodeSha256, a, { ...a, digest: b.digest }), 'invalid-certificate', 'b', 'not-a-commit-certificate');
    // Three PREPAREs of one view: a prepared certificate, not a commit (the fast path needs all n).
    const prepares = [0, 1, 2].map((i) => signVote({ publicKey: set.validators[i], sign: () => new Uint8Array(64) }, MessageType.Prepare, i, 0, b.height, b.digest));
    expectNotAFork(() => findForkCulprits(set, nodeSha256, a, withCert(b, prepares)), 'invalid-certificate', 'b', 'not-a-commit-certificate');
    expectNotAFork(() => findForkCulprits(set, nodeSha256, withCert(a, [a.cert[0].subarray(0, 50), ...a.cert.slice(1)]), b), 'invalid-certificate', 'a', 'malformed');
    const stranger = a.cert[0].slice();
    stranger[2] = 200; // sender id, little-endian at bytes 2–3
    expectNotAFork(() => findForkCulprits(set, nodeSha256, withCert(a, [stranger, ...a.cert.slice(1)]), b), 'invalid-certificate', 'a', 'unknown-signer');
    const forged = b.cert.map((frame, i) => (i === 1 ? flip(frame, frame.length - 1) : frame));
    expectNotAFork(() => findForkCulprits(set, nodeSha256, a, withCert(b, forged)), 'invalid-certificate', 'b', 'bad-signature');
    // The same votes under another epoch's set: signed under another consensus domain.
    expectNotAFork(() => findForkCulprits({ ...set, epoch: 1 }, nodeSha256, a, b), 'invalid-certificate', 'a', 'bad-signature');
  });

  it(`wrong types and out-of-range values (seed ${seed})`, () => {
    const F = 'findForkCulprits';
    const call = (s: unknown, h: unknown, x: unknown, y: unknown) => () => findForkCulprits(s as ValidatorSet, h as typeof nodeSha256, x as CommitCertificate, y as CommitCertificate);
    const rows: Refusal[] = [
      ['set', call(null, nodeSha256, a, b), 'type', F, 'set'],
      ['set.chainId', call({ ...set, chainId: 7 }, nodeSha256, a, b), 'type', F, 'set.chainId'],
      ['set.chainId empty', call({ ...set, chainId: '' }, nodeSha256, a, b), 'range', F, 'set.chainId'],
      ['set.epoch', call({ ...set, epoch: -1 }, nodeSha256, a, b), 'range', F, 'set.epoch'],
      ['set.validators', call({ ...set, validators: 'keys' }, nodeSha256, a, b), 'type', F, 'set.validators'],
      ['set.validators[1]', call({ ...set, validators: [set.validators[0], 'key'] }, nodeSha256, a, b), 'type', F, 'set.validators[1]'],
      ['hash', call(set, 'sha256', a, b), 'type', F, 'hash'],
      ['a', call(set, nodeSha256, undefined, b), 'type', F, 'a'],
      ['b', call(set, nodeSha256, a, [b]), 'type', F, 'b'],
      ['a.height type', call(set, nodeSha256, { ...a, height: '1' }, b), 'type', F, 'a.height'],
      ['a.height 0', call(set, nodeSha256, { ...a, height: 0 }, b), 'range', F, 'a.height'],
      ['b.height fractional', call(set, nodeSha256, a, { ...b, height: 1.5 }), 'range', F, 'b.height'],
      ['a.digest type', call(set, nodeSha256, { ...a, digest: bytesToHex(a.digest) }, b), 'type', F, 'a.digest'],
      ['b.digest length', call(set, nodeSha256, a, { ...b, digest: b.digest.subarray(1) }), 'range', F, 'b.digest', 'must be 32 bytes, got 31'],
      ['a.cert', call(set, nodeSha256, { ...a, cert: a.cert[0] }, b), 'type', F, 'a.cert'],
      ['b.cert[1]', call(set, nodeSha256, a, { ...b, cert: [b.cert[0], 'vote'] }), 'type', F, 'b.cert[1]'],
    ];
    expectRefusals(rows);
  });
});
