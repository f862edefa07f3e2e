import { equalBytes } from '../bytes/index.js';
import { type BlockHeader, type CommitProofFailure, DecodeError, decodeBlockHeader, type ValidatorSet, verifyCommitCertificates } from '../consensus/index.js';
import { sha256 } from '../hash/index.js';
import type { LieReason } from './errors.js';

// A header is trusted when its commit certificate — 2f+1 COMMITs of one view, or all n PREPAREs
// — verifies under the trusted validator set and its consensus domain (consensus's own check,
// every signature in one batch), at the height it was asked for. Links to the neighbours the
// client already trusts are the client's business (they need its store).

/** A block header as a source sent it: bytes, not yet trusted. */
export interface HeaderAnswer {
  /** The height the source says it is. */
  height: number;
  /** The block hash the source says it has. */
  hash: Uint8Array;
  /** The 77-byte header. */
  header: Uint8Array;
  /** The commit certificate's vote frames. */
  certificate: Uint8Array[];
}

/** A header the client verified: its fields, its bytes and the certificate that committed it. */
export interface TrustedHeader extends BlockHeader {
  hash: Uint8Array;
  header: Uint8Array;
  certificate: Uint8Array[];
}

/** Why an answer was refused, for the client to report. */
export interface Refusal {
  reason: LieReason;
  detail: CommitProofFailure | null;
  message: string;
}

/**
 * Verifies `answers` (one signature batch for all): each must be the header of `heights[i]`,
 * hash to the hash it names and carry a commit certificate of the trusted set. Network block
 * hashes are SHA-256 (the node's `nodeSha256`).
 */
export function checkHeaders(answers: readonly HeaderAnswer[], heights: readonly number[], set: ValidatorSet): (TrustedHeader | Refusal)[] {
  const out: (TrustedHeader | Refusal | null)[] = answers.map((a, i) => {
    let fields: BlockHeader;
    try {
      fields = decodeBlockHeader(a.header);
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err;
      return refusal('malformed', null, `the header does not decode (${err.message})`);
    }
    if (fields.height !== heights[i] || a.height !== heights[i]) {
      return refusal('wrong-height', null, `asked for height ${heights[i]}, got the header of height ${fields.height} (announced as ${a.height})`);
    }
    if (!equalBytes(sha256(a.header), a.hash)) return refusal('wrong-hash', null, `the hash given for height ${a.height} is not its header's`);
    return null;
  });
  const pending = answers.flatMap((a, i) => (out[i] === null ? [{ i, item: { header: a.header, certificate: a.certificate } }] : []));
  const verdicts = pending.length === 0 ? [] : verifyCommitCertificates(pending.map((p) => p.item), set);
  pending.forEach(({ i }, k) => {
    const failure = verdicts[k];
    const a = answers[i];
    const header = a.header.slice();
    out[i] =
      failure === null
        ? { ...decodeBlockHeader(header), hash: a.hash.slice(), header, certificate: a.certificate.map((f) => f.slice()) }
        : refusal('bad-certificate', failure, `the certificate of height ${a.height} does not commit its header under the trusted validator set (${failure})`);
  });
  return out as (TrustedHeader | Refusal)[];
}

export function refusal(reason: LieReason, detail: CommitProofFailure | null, message: string): Refusal {
  return { reason, detail, message };
}

export function isRefusal(value: TrustedHeader | Refusal): value is Refusal {
  return 'reason' in value;
}
