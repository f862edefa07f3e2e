import { requireBytesList, requireInteger, requireObject, requireOneOf } from '../check/index.js';
import { MERKLE_HASHES, type MerkleHash } from './kernels.js';

// A proof carries what it is a proof of: the hash of the tree that made it and the positions it
// speaks of. A verifier reads the hash from the proof, so a BLAKE3 tree's proof can never be
// checked as SHA-256 by a default and quietly come out false.

/** RFC 9162 §2.1.3 inclusion proof of leaf `index` in the tree of its first `size` leaves, as `MerkleTree.prove` gives it. */
export interface InclusionProof {
  /** The tree's hash function. */
  readonly hash: MerkleHash;
  readonly index: number;
  readonly size: number;
  /** The audit path, leaf level first. */
  readonly path: Uint8Array[];
}

/** RFC 9162 §2.1.4 consistency proof between the trees of the first `oldSize` and `newSize` leaves, as `MerkleTree.proveConsistency` gives it. */
export interface ConsistencyProof {
  readonly hash: MerkleHash;
  readonly oldSize: number;
  readonly newSize: number;
  readonly path: Uint8Array[];
}

/** `value` checked as an inclusion proof for `where` (the object itself is returned). */
export function requireInclusionProof(value: unknown, where: string): InclusionProof {
  const p = requireObject<InclusionProof>(value, where, 'proof');
  requireOneOf(p.hash, where, 'proof.hash', MERKLE_HASHES);
  requireInteger(p.index, where, 'proof.index', 0);
  requireInteger(p.size, where, 'proof.size', 0);
  requireBytesList(p.path, where, 'proof.path');
  return p;
}

/** `value` checked as a consistency proof for `where` (the object itself is returned). */
export function requireConsistencyProof(value: unknown, where: string): ConsistencyProof {
  const p = requireObject<ConsistencyProof>(value, where, 'proof');
  requireOneOf(p.hash, where, 'proof.hash', MERKLE_HASHES);
  requireInteger(p.oldSize, where, 'proof.oldSize', 0);
  requireInteger(p.newSize, where, 'proof.newSize', 0);
  requireBytesList(p.path, where, 'proof.path');
  return p;
}
