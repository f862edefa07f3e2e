import { bytesToHex, equalBytes } from '../bytes/index.js';
import { ArgumentRangeError, requireBytes, requireInteger, requireOptions } from '../check/index.js';
import { type CommitProof, decodeBlockHeader, decodeCommitProof, MalformedCommitProofError, type ValidatorSet, verifyCommitProof } from '../consensus/index.js';
import { sha256 } from '../hash/index.js';
import { transactionId } from '../tx/index.js';
import { type SourceFailure, transactionUnverified } from './errors.js';
import { type Refusal, refusal, type TrustedHeader } from './headers.js';
import type { Answer, NodeSource } from './source.js';

// A transaction's commit, checked as a light client must: the source's proof verifies under the
// trusted set (certificate and inclusion path, `verifyCommitProof`), and the header it proves
// against is the one the client trusts at that height — else the proof is a second certified
// header at a trusted height, a fork.

export interface VerifyTransactionOptions {
  /** Milliseconds a source may hold the request while the transaction is still pending (its `?wait=`; default 0, at most 30,000). */
  waitMs?: number;
}

/**
 * The answer for a transaction. `committed`: its commit proof verified under the trusted set and
 * its header is the trusted header at `height`. `result` is the source's word: the proof covers
 * the transaction, not what executing it returned. `pending`/`unknown`: what the sources said, not
 * proven (no proof of absence exists).
 */
export type TxVerdict =
  | { status: 'committed'; id: string; height: number; index: number; blockHash: Uint8Array; result: Uint8Array; source: string }
  | { status: 'pending' | 'unknown'; id: string };

/** What `verifyTransactionWith` needs of the client. */
export interface TxContext {
  sources: readonly NodeSource[];
  set: ValidatorSet;
  failed(source: NodeSource, answer: { reason: 'unreachable' | 'malformed'; message: string }, height: number | null): SourceFailure;
  lie(source: NodeSource, r: Refusal, height: number | null): Refusal;
  /** The trusted header at `height` (fetched and verified first when the client lacks it, `source` asked first). */
  trustedAt(height: number, source: NodeSource): Promise<TrustedHeader>;
  /** Reports the fork a verified header at a trusted height makes, and throws `ForkDetectedError`. */
  conflict(height: number, source: NodeSource, header: TrustedHeader): Promise<never>;
}

const HEX_ID = /^[0-9a-fA-F]{64}$/;

export async function verifyTransactionWith(tx: Uint8Array | string, options: VerifyTransactionOptions | undefined, where: string, ctx: TxContext): Promise<TxVerdict> {
  let given: Uint8Array | null = null;
  let id: string;
  if (typeof tx === 'string') {
    if (!HEX_ID.test(tx)) throw new ArgumentRangeError(where, 'tx', `must be a transaction's bytes or its id as 64 hex digits, got ${JSON.stringify(tx.slice(0, 80))}`);
    id = tx.toLowerCase();
  } else {
    given = requireBytes(tx, where, 'tx');
    id = bytesToHex(transactionId(given));
  }
  const { waitMs } = requireOptions(options, where, 'options', ['waitMs']);
  const wait = requireInteger(waitMs ?? 0, where, 'options.waitMs', 0, 30_000);
  const failures: SourceFailure[] = [];
  let said: 'pending' | 'unknown' | null = null;
  const refuse = (source: NodeSource, r: Refusal, height: number | null) => {
    ctx.lie(source, r, height);
    failures.push({ source: source.url, reason: r.reason, message: r.message });
  };
  for (const source of ctx.sources) {
    const answer = await source.transaction(id, wait);
    if (!answer.ok) {
      failures.push(ctx.failed(source, answer, null));
      continue;
    }
    const a = answer.value;
    if (a.status !== 'committed') {
      if (said !== 'pending') said = a.status;
      continue;
    }
    const bytes = given ?? (await fetched(source, a.height, a.index, id, ctx, failures));
    if (bytes === null) continue;
    let proof: CommitProof;
    try {
      proof = decodeCommitProof(a.proof);
    } catch (err) {
      if (!(err instanceof MalformedCommitProofError)) throw err;
      refuse(source, refusal('malformed', null, err.message), a.height);
      continue;
    }
    const verdict = verifyCommitProof(proof, bytes, ctx.set);
    if (!verdict.ok) {
      refuse(source, refusal('bad-proof', verdict.reason, `the commit proof of ${id} does not verify under the trusted set (${verdict.reason})`), a.height);
      continue;
    }
    if (verdict.height !== a.height || proof.index !== a.index) {
      refuse(source, refusal('wrong-height', null, `says ${id} is transaction ${a.index} at height ${a.height}; its proof is of transaction ${proof.index} at height ${verdict.height}`), a.height);
      continue;
    }
    const trusted = await ctx.trustedAt(verdict.height, source);
    const hash = sha256(proof.header);
    if (!equalBytes(hash, trusted.hash)) {
      await ctx.conflict(verdict.height, source, { ...decodeBlockHeader(proof.header), hash, header: proof.header, certificate: proof.certificate });
    }
    return { status: 'committed', id, height: verdict.height, index: proof.index, blockHash: hash, result: a.result, source: source.url };
  }
  if (said !== null) return { status: said, id };
  throw transactionUnverified(id, failures);
}

/** The bytes of transaction `index` of block `height` from `source`, which must hash to `id`; null (reported) otherwise. */
async function fetched(source: NodeSource, height: number, index: number, id: string, ctx: TxContext, failures: SourceFailure[]): Promise<Uint8Array | null> {
  const answer: Answer<Uint8Array> = await source.blockTransaction(height, index);
  if (!answer.ok) {
    failures.push(ctx.failed(source, answer, height));
    return null;
  }
  if (bytesToHex(transactionId(answer.value)) === id) return answer.value;
  const r = ctx.lie(source, refusal('wrong-transaction', null, `transaction ${index} of block ${height} is not ${id}`), height);
  failures.push({ source: source.url, reason: r.reason, message: r.message });
  return null;
}
