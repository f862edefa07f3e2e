import { ArgumentRangeError, requireBytes, requireBytesList, requireInteger, requireObject } from '../check/index.js';
import { SwarmguardError } from '../errors/index.js';
import { BLOCK_HEADER_BYTES, decodeBlockHeader } from './block.js';
import { Reader, Writer } from './codec.js';
import type { CommitProof } from './commitProof.js';
import { DecodeError } from './errors.js';
import { decodeVote } from './messages.js';

// The wire form of a commit proof (little-endian):
//   u8 version (1) ‖ header (77) ‖ u32 index ‖ u8 path length ‖ path hashes (32 each)
//   ‖ u16 vote count ‖ each vote frame as u32 length ‖ frame
// Every field is checked on decode, so a decoded proof is well formed (not yet verified).

/** The version byte every encoded commit proof starts with. */
export const COMMIT_PROOF_VERSION = 1;
const HASH_BYTES = 32;
/** An RFC 9162 audit path of a tree of at most 2^32 leaves has at most 32 hashes; room to spare, still one byte. */
const MAX_PATH = 64;
const MAX_VOTES = 65535;
/** An Ed25519 vote frame (header 4, view 4, seq 8, digest 32, signature 64): the writer's first guess at a vote's size. */
const VOTE_BYTES = 112;

/** Bytes that are not an encoded commit proof of a known version (truncated, trailing bytes, bad fields). */
export class MalformedCommitProofError extends SwarmguardError {
  override readonly name: string = 'MalformedCommitProofError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_COMMIT_PROOF_MALFORMED', `commit proof: ${message}`, options);
  }
}

/** The versioned binary form of `proof` (what a node sends a client, or a client stores). */
export function encodeCommitProof(proof: CommitProof): Uint8Array {
  const where = 'encodeCommitProof';
  const p = requireObject<CommitProof>(proof, where, 'proof');
  const header = requireBytes(p.header, where, 'proof.header');
  if (header.length !== BLOCK_HEADER_BYTES) throw new ArgumentRangeError(where, 'proof.header', `must be ${BLOCK_HEADER_BYTES} bytes, got ${header.length}`);
  const certificate = requireBytesList(p.certificate, where, 'proof.certificate');
  if (certificate.length > MAX_VOTES) throw new ArgumentRangeError(where, 'proof.certificate', `must hold at most ${MAX_VOTES} votes, got ${certificate.length}`);
  const path = requireBytesList(p.inclusionPath, where, 'proof.inclusionPath');
  if (path.length > MAX_PATH) throw new ArgumentRangeError(where, 'proof.inclusionPath', `must hold at most ${MAX_PATH} hashes, got ${path.length}`);
  for (let i = 0; i < path.length; i++) {
    if (path[i].length !== HASH_BYTES) throw new ArgumentRangeError(where, `proof.inclusionPath[${i}]`, `must be ${HASH_BYTES} bytes, got ${path[i].length}`);
  }
  const index = requireInteger(p.index, where, 'proof.index', 0, 2 ** 32 - 1);
  const w = new Writer(1 + BLOCK_HEADER_BYTES + 7 + path.length * HASH_BYTES + certificate.length * (VOTE_BYTES + 4));
  w.u8(COMMIT_PROOF_VERSION).raw(header).u32(index).u8(path.length);
  for (const h of path) w.raw(h);
  return w.list(certificate).finish();
}

/**
 * The proof `encodeCommitProof` wrote. Throws `MalformedCommitProofError` (code
 * `ERR_COMMIT_PROOF_MALFORMED`) for any other bytes, and nothing else. Decoding checks the form
 * only: `verifyCommitProof` decides whether the proof holds.
 */
export function decodeCommitProof(bytes: Uint8Array): CommitProof {
  const data = requireBytes(bytes, 'decodeCommitProof', 'bytes');
  try {
    const r = new Reader(data);
    const version = r.u8();
    if (version !== COMMIT_PROOF_VERSION) throw new DecodeError(`unknown version ${version}`);
    const header = r.raw(BLOCK_HEADER_BYTES).slice();
    decodeBlockHeader(header);
    const index = r.u32();
    const pathLength = r.u8();
    if (pathLength > MAX_PATH) throw new DecodeError(`inclusion path of ${pathLength} hashes exceeds ${MAX_PATH}`);
    const inclusionPath: Uint8Array[] = [];
    for (let i = 0; i < pathLength; i++) inclusionPath.push(r.raw(HASH_BYTES).slice());
    const certificate = r.list(MAX_VOTES).map((frame) => frame.slice());
    r.end();
    for (const frame of certificate) decodeVote(frame);
    return { header, certificate, inclusionPath, index };
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err;
    throw new MalformedCommitProofError(err.message, { cause: err });
  }
}
