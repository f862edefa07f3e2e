import { equalBytes } from '../bytes/index.js';
import { requireArray, requireBytes, requireBytesList, requireFunction, requireInteger, requireObject, requireOneOf, requireOptions } from '../check/index.js';
import { SwarmguardError } from '../errors/index.js';
import { sha256 } from '../hash/index.js';
import { MERKLE_HASHES, type MerkleHash, MerkleTree, verifyInclusion } from '../merkle/index.js';
import { transactionId } from '../tx/index.js';
import { type BlockHeader, decodeBlockHeader, encodeBlockHeader, requireBlock } from './block.js';
import { quorums } from './certificates.js';
import type { HashFunction, SignatureCheck } from './crypto.js';
import { consensusDomain, requireValidatorSet, underDomain, type ValidatorSet } from './domain.js';
import { DecodeError } from './errors.js';
import { decodeVote, MessageType, type Vote } from './messages.js';
import { schemeFormat } from './scheme.js';
import { wasmVerifierFor } from './schemeVerifier.js';
import type { CommittedBlock } from './step.js';

// A commit proof lets anyone holding the validator set check that a transaction committed,
// without trusting the replica that sent it: the certificate binds the header (by its hash) at
// its height, and the RFC 9162 audit path binds the transaction to the header's txRoot.

/** That transaction `index` of the block with `header` committed: everything but the transaction's bytes. */
export interface CommitProof {
  /** The block's 77-byte header (`encodeBlockHeader`); its hash is the digest the votes sign. */
  header: Uint8Array;
  /** The commit certificate: 2f+1 COMMIT frames of one view, or all n PREPARE frames of one view (fast path). */
  certificate: Uint8Array[];
  /** RFC 9162 inclusion proof of the transaction in the header's txRoot (leaf level first). */
  inclusionPath: Uint8Array[];
  /** The transaction's position in the block. */
  index: number;
}

export interface BuildCommitProofOptions {
  /** The hash of the network's transaction root, as given to `defaultTxRoot` (default `'sha256'`). */
  merkleHash?: MerkleHash;
}

export interface VerifyCommitProofOptions extends BuildCommitProofOptions {
  /** The network's block hash (`ReplicaConfig.hash`; default swarmguard's `sha256`). */
  hash?: HashFunction;
}

/** Why a proof was refused (stable strings, for counting). */
export type CommitProofFailure =
  | 'malformed'
  | 'wrong-vote-type'
  | 'mixed-views'
  | 'wrong-height'
  | 'wrong-digest'
  | 'unknown-signer'
  | 'duplicate-signer'
  | 'too-few-signatures'
  | 'index-out-of-range'
  | 'bad-path'
  | 'wrong-root'
  | 'bad-signature';

export type CommitProofVerdict = { ok: true; height: number; txId: Uint8Array } | { ok: false; reason: CommitProofFailure };

/** A replica was asked to prove a height its log no longer (or not yet) holds: the host keeps older blocks. */
export class BlockNotInLogError extends SwarmguardError {
  override readonly name: string = 'BlockNotInLogError';
  readonly height: number;
  constructor(height: number, message: string) {
    super('ERR_BLOCK_NOT_IN_LOG', message);
    this.height = height;
  }
}

/** A block's txRoot is not the RFC 9162 root of its transactions under the hash asked for: no inclusion proof exists. */
export class TxRootMismatchError extends SwarmguardError {
  override readonly name: string = 'TxRootMismatchError';
  constructor(message: string) {
    super('ERR_TX_ROOT_MISMATCH', message);
  }
}

/**
 * The commit proof of transaction `index` of `committed` (what `Replica.step` returned in
 * `Ready.committed`, or a replica's log kept). Throws `TxRootMismatchError` when the block's
 * txRoot is not the RFC 9162 root under `options.merkleHash`.
 */
export function buildCommitProof(committed: CommittedBlock, index: number, options?: BuildCommitProofOptions): CommitProof {
  return proveIn(committed, index, options, 'buildCommitProof');
}

/** `buildCommitProof` with argument errors naming `where` (the replica's method shares it). */
export function proveIn(committed: CommittedBlock, index: number, options: BuildCommitProofOptions | undefined, where: string): CommitProof {
  const c = requireObject<CommittedBlock>(committed, where, 'committed');
  const block = requireBlock(c.block, where, 'committed.block');
  const txs = requireBytesList(block.txs, where, 'committed.block.txs');
  const certificate = requireBytesList(c.cert, where, 'committed.cert');
  requireInteger(index, where, 'index', 0, txs.length - 1);
  const merkleHash = requireMerkleHash(options, where);
  const tree = new MerkleTree({ hash: merkleHash });
  tree.appendMany(txs);
  if (!equalBytes(tree.root(), block.txRoot)) {
    throw new TxRootMismatchError(`${where}: the txRoot of block ${block.height} is not the RFC 9162 ${merkleHash} root of its transactions (set options.merkleHash to the network's defaultTxRoot hash)`);
  }
  return { header: encodeBlockHeader(block), certificate: certificate.slice(), inclusionPath: tree.prove(index).path, index };
}

const VERIFY_OPTIONS = ['hash', 'merkleHash'];

function requireMerkleHash(options: BuildCommitProofOptions | undefined, where: string, known: readonly string[] = ['merkleHash']): MerkleHash {
  const { merkleHash } = requireOptions(options, where, 'options', known);
  return merkleHash === undefined ? 'sha256' : requireOneOf(merkleHash, where, 'options.merkleHash', MERKLE_HASHES);
}

/**
 * Checks that `txBytes` committed under `validatorSet`, as `proof` claims: the certificate holds
 * enough distinct, validly signed votes of one view for (header height, hash of the header) —
 * 2f+1 COMMITs, or all n PREPAREs (fast path) — and the inclusion path links `txBytes` at
 * `proof.index` to the header's txRoot. All signatures are checked in one `ed25519.verifyBatch`,
 * under the set's consensus domain (so a proof is never valid for another chain or epoch); under an
 * 'ed25519+mldsa65' set (`validatorSet.signatures`), both halves of every signature, the
 * Ed25519 ones in one batch and the ML-DSA-65 ones in another.
 * The arguments go as every verifier's (docs/signatures.md): the proof, what it is about, then
 * what it is checked against. Pure and browser-safe; a wrong proof gives a reason, never a throw.
 */
export function verifyCommitProof(proof: CommitProof, txBytes: Uint8Array, validatorSet: ValidatorSet, options?: VerifyCommitProofOptions): CommitProofVerdict {
  const where = 'verifyCommitProof';
  const p = requireObject<CommitProof>(proof, where, 'proof');
  const headerBytes = requireBytes(p.header, where, 'proof.header');
  const frames = requireBytesList(p.certificate, where, 'proof.certificate');
  const path = requireBytesList(p.inclusionPath, where, 'proof.inclusionPath');
  const index = requireInteger(p.index, where, 'proof.index', 0);
  const tx = requireBytes(txBytes, where, 'txBytes');
  const set = requireValidatorSet(validatorSet, where, 'validatorSet');
  const { hash: givenHash } = requireOptions(options, where, 'options', VERIFY_OPTIONS);
  const hash = givenHash === undefined ? sha256 : requireFunction<HashFunction>(givenHash, where, 'options.hash');
  const merkleHash = requireMerkleHash(options, where, VERIFY_OPTIONS);

  let header: BlockHeader;
  const votes: Vote[] = [];
  try {
    header = decodeBlockHeader(headerBytes);
    for (const frame of frames) votes.push(decodeSetVote(frame, set));
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err;
    return refused('malformed');
  }
  const failure = checkCertificate(votes, set.validators.length, header.height, hash(headerBytes)) ?? checkInclusion(header, index, path, tx, merkleHash);
  if (failure !== null) return refused(failure);
  const checks = underDomain(votes.map((v) => ({ publicKey: set.validators[v.sender], message: v.signed, signature: v.signature })), consensusDomain(set, hash));
  if (!wasmVerifierFor(set.signatures ?? 'ed25519').verifyBatch(checks).every(Boolean)) return refused('bad-signature');
  return { ok: true, height: header.height, txId: transactionId(tx) };
}

/** One block's header and commit certificate, for `verifyCommitCertificates`. */
export interface CertifiedHeader {
  header: Uint8Array;
  certificate: Uint8Array[];
}

/**
 * Checks many blocks' commit certificates under `validatorSet` (what a node re-checks when it
 * opens its store, and a light client when it follows headers): for each, null when the
 * certificate commits that header at its height, else the reason. Every signature of every
 * certificate goes through one batch of the set's verifier (`ed25519.verifyBatch`; under
 * 'ed25519+mldsa65', one Ed25519 and one ML-DSA-65 batch). A failure never throws.
 */
export function verifyCommitCertificates(items: CertifiedHeader[], validatorSet: ValidatorSet, options?: VerifyCommitProofOptions): (CommitProofFailure | null)[] {
  const where = 'verifyCommitCertificates';
  const list = requireArray(items, where, 'items');
  const set = requireValidatorSet(validatorSet, where, 'validatorSet');
  const { hash: givenHash } = requireOptions(options, where, 'options', VERIFY_OPTIONS);
  const hash = givenHash === undefined ? sha256 : requireFunction<HashFunction>(givenHash, where, 'options.hash');
  const domain = consensusDomain(set, hash);
  const verdicts: (CommitProofFailure | null)[] = [];
  const checks: SignatureCheck[] = [];
  const owner: number[] = [];
  for (let i = 0; i < list.length; i++) {
    const item = requireObject<CertifiedHeader>(list[i], where, `items[${i}]`);
    const headerBytes = requireBytes(item.header, where, `items[${i}].header`);
    const frames = requireBytesList(item.certificate, where, `items[${i}].certificate`);
    let height: number;
    const votes: Vote[] = [];
    try {
      height = decodeBlockHeader(headerBytes).height;
      for (const frame of frames) votes.push(decodeSetVote(frame, set));
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      verdicts.push('malformed');
      continue;
    }
    const failure = checkCertificate(votes, set.validators.length, height, hash(headerBytes));
    verdicts.push(failure);
    if (failure !== null) continue;
    for (const c of underDomain(votes.map((v) => ({ publicKey: set.validators[v.sender], message: v.signed, signature: v.signature })), domain)) {
      checks.push(c);
      owner.push(i);
    }
  }
  const results = checks.length ? wasmVerifierFor(set.signatures ?? 'ed25519').verifyBatch(checks) : [];
  for (let j = 0; j < results.length; j++) if (!results[j]) verdicts[owner[j]] = 'bad-signature';
  return verdicts;
}

/** A vote frame signed under the set's scheme; one of another scheme does not decode here. */
function decodeSetVote(frame: Uint8Array, set: ValidatorSet): Vote {
  const vote = decodeVote(frame);
  const version = schemeFormat(set.signatures ?? 'ed25519').wireVersion;
  if (frame[0] !== version) throw new DecodeError(`a vote of wire version ${frame[0]} under a set whose signatures are '${set.signatures}'`);
  return vote;
}

function refused(reason: CommitProofFailure): CommitProofVerdict {
  return { ok: false, reason };
}

/** The certificate's shape (signatures aside): one vote type and view, bound to (height, digest), distinct known senders, enough of them. */
function checkCertificate(votes: Vote[], n: number, height: number, digest: Uint8Array): CommitProofFailure | null {
  if (votes.length === 0) return 'too-few-signatures';
  const { type, view } = votes[0];
  if (type !== MessageType.Commit && type !== MessageType.Prepare) return 'wrong-vote-type';
  const seen = new Set<number>();
  for (const v of votes) {
    if (v.type !== type) return 'wrong-vote-type';
    if (v.view !== view) return 'mixed-views';
    if (v.seq !== height) return 'wrong-height';
    if (!equalBytes(v.digest, digest)) return 'wrong-digest';
    if (v.sender >= n) return 'unknown-signer';
    if (seen.has(v.sender)) return 'duplicate-signer';
    seen.add(v.sender);
  }
  const needed = type === MessageType.Commit ? quorums(n).quorum : n;
  return votes.length < needed ? 'too-few-signatures' : null;
}

function checkInclusion(header: BlockHeader, index: number, path: Uint8Array[], tx: Uint8Array, merkleHash: MerkleHash): CommitProofFailure | null {
  if (index >= header.txCount) return 'index-out-of-range';
  if (path.length !== pathLength(index, header.txCount) || path.some((h) => h.length !== 32)) return 'bad-path';
  return verifyInclusion({ hash: merkleHash, index, size: header.txCount, path }, tx, header.txRoot) ? null : 'wrong-root';
}

/** RFC 9162 §2.1.3.1: the audit path of leaf `index` (< size) has one hash per split on the way down. */
function pathLength(index: number, size: number): number {
  let length = 0;
  let lo = 0;
  let hi = size;
  while (hi - lo > 1) {
    let k = 1;
    while (k * 2 < hi - lo) k *= 2;
    if (index < lo + k) hi = lo + k;
    else lo += k;
    length++;
  }
  return length;
}
