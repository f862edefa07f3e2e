import { describe, expect, it } from 'vitest';
import { MerkleTree, verifyConsistency, verifyInclusion, verifyInclusionOfHash } from '../../src/merkle/index.js';
import { expectRefusal } from '../_support/refusals.js';

describe('verifyInclusion / verifyConsistency on bad input', () => {
  const t = new MerkleTree();
  t.appendMany(Array.from({ length: 13 }, (_, i) => `leaf ${i}`));
  const root = t.root();
  const proof = t.prove(5);
  const oldRoot = t.rootAt(6);
  const cproof = t.proveConsistency(6);

  it('malformed proofs and roots are false, never thrown', () => {
    const path = proof.path;
    expect(verifyInclusion(proof, 'leaf 5', root)).toBe(true);
    expect(verifyInclusion({ ...proof, path: path.map((p) => p.subarray(0, 31)) }, 'leaf 5', root)).toBe(false);
    expect(verifyInclusion({ ...proof, path: [...path.slice(0, -1), new Uint8Array(64)] }, 'leaf 5', root)).toBe(false);
    expect(verifyInclusion({ ...proof, path: [] }, 'leaf 5', root)).toBe(false);
    expect(verifyInclusion(proof, 'leaf 5', root.subarray(1))).toBe(false);
    expect(verifyInclusion(proof, 'leaf 5', new Uint8Array(0))).toBe(false);
    expect(verifyInclusion({ ...proof, index: 13 }, 'leaf 5', root)).toBe(false);
    expect(verifyInclusion({ ...proof, size: 0 }, 'leaf 5', root)).toBe(false);
    expect(verifyInclusion({ ...proof, size: 2 ** 40 }, 'leaf 5', root)).toBe(false);
    expect(verifyInclusionOfHash(proof, new Uint8Array(31), root)).toBe(false);

    expect(verifyConsistency(cproof, oldRoot, root)).toBe(true);
    expect(verifyConsistency({ ...cproof, path: [] }, oldRoot, root)).toBe(false);
    expect(verifyConsistency({ ...cproof, path: [...cproof.path, cproof.path[0]] }, oldRoot, root)).toBe(false);
    expect(verifyConsistency({ ...cproof, path: cproof.path.map((p) => p.subarray(1)) }, oldRoot, root)).toBe(false);
    expect(verifyConsistency(cproof, oldRoot.subarray(1), root)).toBe(false);
    expect(verifyConsistency({ ...cproof, oldSize: 13, newSize: 6 }, root, oldRoot)).toBe(false);
    expect(verifyConsistency({ ...cproof, oldSize: 0, path: [] }, new Uint8Array(0), root)).toBe(false);
    expect(verifyConsistency({ ...cproof, oldSize: 0, newSize: 0, path: [] }, new Uint8Array(0), new Uint8Array(0))).toBe(false);
    expect(verifyConsistency({ ...cproof, oldSize: 13, path: [] }, root, root)).toBe(true);
    expect(verifyConsistency({ ...cproof, oldSize: 13, path: [root] }, root, root)).toBe(false);
    expect(verifyConsistency({ ...cproof, oldSize: 13, path: [] }, root, oldRoot)).toBe(false);
    expect(verifyConsistency({ ...cproof, newSize: 2 ** 50 }, oldRoot, root)).toBe(false);
  });
});

describe('a proof carries the hash of its tree', () => {
  const leaves = Array.from({ length: 9 }, (_, i) => `leaf ${i}`);
  const blake = new MerkleTree({ hash: 'blake3' });
  blake.appendMany(leaves);
  const sha = new MerkleTree();
  sha.appendMany(leaves);

  it("a BLAKE3 tree's proofs verify as BLAKE3 with no option to forget, and name their hash", () => {
    const proof = blake.prove(4);
    expect(proof.hash).toBe('blake3');
    expect(verifyInclusion(proof, 'leaf 4', blake.root())).toBe(true);
    expect(verifyInclusionOfHash(proof, blake.leafHash(4), blake.root())).toBe(true);
    const cproof = blake.proveConsistency(3);
    expect(cproof.hash).toBe('blake3');
    expect(verifyConsistency(cproof, blake.rootAt(3), blake.root())).toBe(true);
    expect(sha.prove(4).hash).toBe('sha256');
  });

  it('a hash passed as a verifier option is refused, pointing at proof.hash, instead of overriding or being ignored', () => {
    const says = "is not an option: the proof carries its tree's hash (proof.hash)";
    expectRefusal(() => verifyInclusion(blake.prove(4), 'leaf 4', blake.root(), { hash: 'sha256' } as never), 'type', 'verifyInclusion', 'options.hash', says);
    expectRefusal(() => verifyInclusionOfHash(blake.prove(4), blake.leafHash(4), blake.root(), { hash: 'blake3' } as never), 'type', 'verifyInclusionOfHash', 'options.hash', says);
    expectRefusal(() => verifyConsistency(blake.proveConsistency(3), blake.rootAt(3), blake.root(), { hash: 'sha256' } as never), 'type', 'verifyConsistency', 'options.hash', says);
  });

  it('a proof without its hash, or with an unknown one, is refused, not taken as SHA-256', () => {
    const { path, index, size } = blake.prove(4);
    expectRefusal(() => verifyInclusion({ path, index, size } as never, 'leaf 4', blake.root()), 'type', 'verifyInclusion', 'proof.hash', "must be one of 'sha256', 'blake3', got undefined");
    expectRefusal(() => verifyInclusion({ path, index, size, hash: 'sha1' } as never, 'leaf 4', blake.root()), 'range', 'verifyInclusion', 'proof.hash', "got 'sha1'");
  });
});
