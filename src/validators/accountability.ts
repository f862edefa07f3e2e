import { concatBytes, equalBytes } from '../bytes/index.js';
import { requireArray, requireByteLength, requireBytes, requireBytesList, requireFunction, requireInteger, requireObject } from '../check/index.js';
import { consensusDomain, DecodeError, decodeVote, type HashFunction, isCommitCertificate, quorums, requireScheme, type ValidatorSet, type Vote, wasmVerifierFor } from '../consensus/index.js';
import { SwarmguardError } from '../errors/index.js';
import { requireChainId } from '../tx/index.js';

// Accountable safety: PBFT is safe while at most f of n validators are Byzantine; when it is not
// (two commit certificates for different blocks at one height), the certificates themselves
// name validators that signed on both sides. Which of those pairs prove misbehaviour on their
// own is the evidence rule's business (see "Accountable safety" in docs/validators.md).
//
// Why at least f+1 are named. Let n validators, f = ⌊(n−1)/3⌋, q = n − f (so q ≥ 2f+1 and
// n ≥ 3f+1). A commit certificate holds votes of distinct validators: at least q COMMITs (slow
// path) or all n PREPAREs (fast path). Two sets A and B of validators drawn from n satisfy
// |A ∩ B| ≥ |A| + |B| − n. Both slow: |A ∩ B| ≥ 2q − n = n − 2f ≥ (3f+1) − 2f = f+1. One fast
// (|A| = n): A ∩ B = B, so |A ∩ B| = |B| ≥ q ≥ 2f+1. Both fast: n. Each validator in A ∩ B
// signed a frame in each certificate, for the same height and different digests.

/** One side of a fork: a commit certificate and the height and block hash it commits. */
export interface CommitCertificate {
  /** The block's height (≥ 1). */
  height: number;
  /** The block hash the certificate's votes sign (32 bytes). */
  digest: Uint8Array;
  /** The certificate's vote frames: 2f+1 or more COMMITs of one view, or all n PREPAREs of one view. */
  cert: Uint8Array[];
}

/**
 * A validator that signed in both certificates of a fork, with one of its frames from each. When
 * both certificates are of one view the pair is equivocation no honest replica signs; across views
 * an honest replica may sign it (docs/validators.md, "Accountable safety"), so it convicts no one alone.
 */
export interface ForkCulprit {
  validator: number;
  publicKey: Uint8Array;
  /** Its vote frame from the first certificate (`a`). */
  first: Uint8Array;
  /** Its vote frame from the second certificate (`b`), same height, another digest. */
  second: Uint8Array;
}

/** Why two certificates are not a fork (stable strings). */
export type NotAForkReason = 'different-heights' | 'same-digest' | 'invalid-certificate';

/** Why a certificate was refused: a frame is not a vote, a signer is outside the set, it is not a commit certificate of (height, digest), or a signature fails. */
export type CertificateFailure = 'malformed' | 'unknown-signer' | 'not-a-commit-certificate' | 'bad-signature';

/** `findForkCulprits` was given two certificates that are not a fork: `reason` says why, and for an invalid certificate which one and what is wrong with it. */
export class NotAForkError extends SwarmguardError {
  override readonly name: string = 'NotAForkError';
  readonly reason: NotAForkReason;
  /** The invalid certificate (`'a'` or `'b'`), when `reason` is `'invalid-certificate'`. */
  readonly certificate: 'a' | 'b' | null;
  readonly failure: CertificateFailure | null;
  constructor(reason: NotAForkReason, message: string, certificate: 'a' | 'b' | null = null, failure: CertificateFailure | null = null) {
    super('ERR_NOT_A_FORK', message);
    this.reason = reason;
    this.certificate = certificate;
    this.failure = failure;
  }
}

const WHERE = 'findForkCulprits';

/**
 * The validators that signed both of two conflicting commit certificates of `set` (a fork: same
 * height, different blocks), sorted by validator, each with its frame from `a` and from `b` — the
 * two vote frames an evidence transaction carries. There are at least f+1 (see the note above);
 * with all n PREPAREs on one side, at least 2f+1. Throws `NotAForkError` when the heights differ,
 * the digests are equal, or a certificate is not a validly signed commit certificate of `set`
 * for its (height, digest) under `hash` (the network's block hash, which also names the set's
 * consensus domain). Pure: every signature of both certificates goes through one batch of the
 * set's scheme (`ed25519.verifyBatch`; under 'ed25519+mldsa65', one Ed25519 and one ML-DSA-65 batch).
 */
export function findForkCulprits(set: ValidatorSet, hash: HashFunction, a: CommitCertificate, b: CommitCertificate): ForkCulprit[] {
  const validators = requireSet(set);
  requireFunction<HashFunction>(hash, WHERE, 'hash');
  const first = requireCommitCertificate(a, 'a');
  const second = requireCommitCertificate(b, 'b');
  if (first.height !== second.height) {
    throw new NotAForkError('different-heights', `${WHERE}: the certificates commit heights ${first.height} and ${second.height}: a fork is two blocks at one height`);
  }
  if (equalBytes(first.digest, second.digest)) throw new NotAForkError('same-digest', `${WHERE}: both certificates commit the same block at height ${first.height}: not a fork`);
  const votesA = decodeCertificate(first, validators.length, 'a');
  const votesB = decodeCertificate(second, validators.length, 'b');
  // Consensus signs `domain ‖ frame` (domainSigner): a vote of another chain or epoch fails here.
  const domain = consensusDomain(set, hash);
  const all = [...votesA, ...votesB];
  const checks = all.map((v) => ({ publicKey: validators[v.sender], message: concatBytes(domain, v.signed), signature: v.signature }));
  const bad = wasmVerifierFor(set.signatures ?? 'ed25519').verifyBatch(checks).indexOf(false);
  if (bad !== -1) {
    throw invalid(bad < votesA.length ? 'a' : 'b', 'bad-signature', `the vote of validator ${all[bad].sender} does not verify under the set's consensus domain`);
  }
  const fromA = new Map<number, Uint8Array>();
  for (const v of votesA) fromA.set(v.sender, v.bytes);
  const culprits: ForkCulprit[] = [];
  for (const v of votesB) {
    const frame = fromA.get(v.sender);
    if (frame) culprits.push({ validator: v.sender, publicKey: validators[v.sender].slice(), first: frame.slice(), second: v.bytes.slice() });
  }
  return culprits.sort((x, y) => x.validator - y.validator);
}

function requireSet(value: unknown): Uint8Array[] {
  const set = requireObject<ValidatorSet>(value, WHERE, 'set');
  requireChainId(set.chainId, WHERE, 'set.chainId');
  if (set.epoch !== undefined) requireInteger(set.epoch, WHERE, 'set.epoch', 0);
  requireScheme(set.signatures, WHERE, 'set.signatures');
  const list = requireArray(set.validators, WHERE, 'set.validators');
  for (let i = 0; i < list.length; i++) requireBytes(list[i], WHERE, `set.validators[${i}]`);
  return list as Uint8Array[];
}

function requireCommitCertificate(value: unknown, side: 'a' | 'b'): CommitCertificate {
  const c = requireObject<CommitCertificate>(value, WHERE, side);
  return {
    height: requireInteger(c.height, WHERE, `${side}.height`, 1),
    digest: requireByteLength(c.digest, WHERE, `${side}.digest`, 32),
    cert: requireBytesList(c.cert, WHERE, `${side}.cert`),
  };
}

/** The certificate's votes, checked for shape (signatures aside): known signers, and a commit certificate of (height, digest). */
function decodeCertificate(c: CommitCertificate, n: number, side: 'a' | 'b'): Vote[] {
  const votes: Vote[] = [];
  for (let i = 0; i < c.cert.length; i++) {
    let vote: Vote;
    try {
      vote = decodeVote(c.cert[i]);
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      throw invalid(side, 'malformed', `frame ${i} is not a vote (${err.message})`);
    }
    if (vote.sender >= n) throw invalid(side, 'unknown-signer', `frame ${i} names validator ${vote.sender}, outside a set of ${n}`);
    votes.push(vote);
  }
  const q = quorums(n);
  if (!isCommitCertificate(votes, q, c.height, c.digest)) {
    throw invalid(side, 'not-a-commit-certificate', `it is not ${q.quorum} COMMITs or ${q.n} PREPAREs of one view from distinct validators for (height ${c.height}, its digest)`);
  }
  return votes;
}

function invalid(side: 'a' | 'b', failure: CertificateFailure, detail: string): NotAForkError {
  return new NotAForkError('invalid-certificate', `${WHERE}: certificate ${side} is not a valid commit certificate (${failure}): ${detail}`, side, failure);
}

