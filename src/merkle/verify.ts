import { equalBytes, type Input } from '../bytes/index.js';
import { requireBytes, requireInput } from '../check/index.js';
import { APPEND, HASH_BYTES, type MerkleKernels, PREPEND, PREPEND_BOTH } from './kernels.js';
import { type MerkleVerifyOptions, proofKernels } from './options.js';
import { type ConsistencyProof, type InclusionProof, requireConsistencyProof, requireInclusionProof } from './proof.js';

// Verification follows RFC 9162 §2.1.3.2 and §2.1.4.2 step by step. Indices and sizes come
// from untrusted messages, so they are walked as numbers up to 2^53 (no 32-bit shifts), and
// any proof that does not fit the claimed sizes is simply false.

const isOdd = (x: number) => x % 2 === 1;
const half = (x: number) => Math.floor(x / 2);

/** Runs the hashing of a proof in one kernel call; returns [fr, sr]. */
function fold(k: MerkleKernels, first: Uint8Array, proof: readonly Uint8Array[], steps: Uint8Array): [Uint8Array, Uint8Array] {
  const wasm = k.wasm;
  return wasm.scoped(() => {
    const accs = wasm.alloc(2 * HASH_BYTES);
    const hashes = wasm.alloc(Math.max(1, proof.length) * HASH_BYTES);
    const kinds = wasm.alloc(Math.max(1, steps.length));
    const u8 = wasm.u8;
    u8.set(first, accs);
    u8.set(first, accs + HASH_BYTES);
    for (let i = 0; i < proof.length; i++) u8.set(proof[i], hashes + i * HASH_BYTES);
    u8.set(steps, kinds);
    k.foldProof(k.id, accs, hashes, kinds, steps.length);
    return [wasm.read(accs, HASH_BYTES), wasm.read(accs + HASH_BYTES, HASH_BYTES)];
  });
}

/**
 * RFC 9162 §2.1.3.2: whether `proof` shows that the leaf whose hash is `leafHash` is at
 * `proof.index` in the tree of `proof.size` leaves whose root is `root`.
 */
export function verifyInclusionOfHash(proof: InclusionProof, leafHash: Uint8Array, root: Uint8Array, options?: MerkleVerifyOptions): boolean {
  const where = 'verifyInclusionOfHash';
  const p = requireInclusionProof(proof, where);
  requireBytes(leafHash, where, 'leafHash');
  requireBytes(root, where, 'root');
  return checkInclusion(proofKernels(p.hash, options, where), leafHash, p.index, p.size, p.path, root);
}

/**
 * RFC 9162 §2.1.3.2: whether `proof` (as `MerkleTree.prove` gives it) shows that `leaf` is at
 * `proof.index` in the tree of `proof.size` leaves whose root is `root`, hashed with
 * `proof.hash`. A path of the wrong length or with hashes of the wrong size is simply false.
 */
export function verifyInclusion(proof: InclusionProof, leaf: Input, root: Uint8Array, options?: MerkleVerifyOptions): boolean {
  const where = 'verifyInclusion';
  const p = requireInclusionProof(proof, where);
  const bytes = requireInput(leaf, where, 'leaf');
  requireBytes(root, where, 'root');
  const k = proofKernels(p.hash, options, where);
  const leafHash = k.wasm.scoped(() => {
    const out = k.wasm.alloc(HASH_BYTES);
    k.hashLeaves([bytes], 0, 1, out);
    return k.wasm.read(out, HASH_BYTES);
  });
  return checkInclusion(k, leafHash, p.index, p.size, p.path, root);
}

function checkInclusion(k: MerkleKernels, leafHash: Uint8Array, index: number, size: number, proof: readonly Uint8Array[], root: Uint8Array): boolean {
  // Step 1.
  if (index >= size) return false;
  if (leafHash.length !== HASH_BYTES || root.length !== HASH_BYTES) return false;
  if (proof.some((p) => p.length !== HASH_BYTES)) return false;
  // Steps 2–4, deciding where each path hash goes.
  let fn = index;
  let sn = size - 1;
  const steps = new Uint8Array(proof.length);
  for (let i = 0; i < proof.length; i++) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      steps[i] = PREPEND;
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      steps[i] = APPEND;
    }
    fn = half(fn);
    sn = half(sn);
  }
  // Step 5.
  if (sn !== 0) return false;
  const [, r] = fold(k, leafHash, proof, steps);
  return equalBytes(r, root);
}

/**
 * RFC 9162 §2.1.4.2: whether `proof` (as `MerkleTree.proveConsistency` gives it) shows that the
 * tree of `proof.newSize` leaves with root `newRoot` extends the tree of `proof.oldSize` leaves
 * with root `oldRoot`, hashed with `proof.hash`. Equal sizes need an empty path and equal roots;
 * an old size of 0 is always false (nothing can be proven).
 */
export function verifyConsistency(proof: ConsistencyProof, oldRoot: Uint8Array, newRoot: Uint8Array, options?: MerkleVerifyOptions): boolean {
  const where = 'verifyConsistency';
  const { hash, oldSize, newSize, path } = requireConsistencyProof(proof, where);
  requireBytes(oldRoot, where, 'oldRoot');
  requireBytes(newRoot, where, 'newRoot');
  const k = proofKernels(hash, options, where);
  if (oldSize === 0 || oldSize > newSize) return false;
  if (oldSize === newSize) return path.length === 0 && equalBytes(oldRoot, newRoot);
  if (oldRoot.length !== HASH_BYTES || newRoot.length !== HASH_BYTES) return false;
  if (path.length === 0 || path.some((p) => p.length !== HASH_BYTES)) return false;
  // Step 2: a power-of-two old tree is a node of the new one, so its root starts the walk.
  const hashes = isPowerOfTwo(oldSize) ? [oldRoot, ...path] : path;
  // Steps 3–4.
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  // Steps 5–6.
  const steps = new Uint8Array(hashes.length - 1);
  for (let i = 1; i < hashes.length; i++) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      steps[i - 1] = PREPEND_BOTH;
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      steps[i - 1] = APPEND;
    }
    fn = half(fn);
    sn = half(sn);
  }
  // Step 7.
  if (sn !== 0) return false;
  const [fr, sr] = fold(k, hashes[0], hashes.slice(1), steps);
  return equalBytes(fr, oldRoot) && equalBytes(sr, newRoot);
}

function isPowerOfTwo(x: number): boolean {
  while (x > 1 && !isOdd(x)) x = half(x);
  return x === 1;
}
