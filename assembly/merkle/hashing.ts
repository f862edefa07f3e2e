// The two hash functions a Merkle tree may use, behind one switch so every kernel below
// serves both. Ids are shared with src/merkle/kernels.ts.
import { hashMany as blake3HashMany, hashOne as blake3HashOne } from "../blake3/oneshot";
import { blake3HashPairs } from "../blake3/pairs";
import { sha256Digest, sha256HashMany, sha256HashPairs } from "../sha2/sha256";

export const SHA256: i32 = 0;
export const BLAKE3: i32 = 1;
/** RFC 9162 §2.1.1: interior nodes hash 0x01 ‖ left ‖ right. */
export const NODE_PREFIX: i32 = 1;

/** Node hashes of `count` consecutive 64-byte (left ‖ right) pairs at `inPtr` into `outPtr`. */
export function hashNodes(hash: i32, inPtr: usize, outPtr: usize, count: i32): void {
  if (count <= 0) return;
  if (hash == BLAKE3) blake3HashPairs(inPtr, outPtr, count, NODE_PREFIX);
  else sha256HashPairs(inPtr, outPtr, count, NODE_PREFIX);
}

/** Digests of `count` messages listed as (offset, length) u32 pairs at `table`. */
export function hashMessages(hash: i32, dataPtr: usize, table: usize, count: i32, outPtr: usize): void {
  if (count <= 0) return;
  if (hash == BLAKE3) blake3HashMany(dataPtr, table, <u32>count, 0, 0, outPtr, 32);
  else sha256HashMany(dataPtr, table, count, outPtr);
}

export function digest(hash: i32, ptr: usize, len: usize, outPtr: usize): void {
  if (hash == BLAKE3) blake3HashOne(ptr, len, 0, 0, outPtr, 32);
  else sha256Digest(ptr, len, outPtr);
}
