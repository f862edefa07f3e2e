import { describe, expect, it } from 'vitest';
import { MerkleTree, verifyConsistency, verifyInclusion, verifyInclusionOfHash } from '../../src/merkle/index.js';

describe('verifyInclusion / verifyConsistency on bad input', () => {
  const t = new MerkleTree();
  t.appendMany(Array.from({ length: 13 }, (_, i) => `leaf ${i}`));
  const root = t.root();
  const proof = t.prove(5);
  const oldRoot = t.rootAt(6);
  const cproof = t.proveConsistency(6);

  it('malformed proofs and roots are false, never thrown', () => {
    expect(verifyInclusion('leaf 5', 5, 13, proof, root)).toBe(true);
    expect(verifyInclusion('leaf 5', 5, 13, proof.map((p) => p.subarray(0, 31)), root)).toBe(false);
    expect(verifyInclusion('leaf 5', 5, 13, [...proof.slice(0, -1), new Uint8Array(64)], root)).toBe(false);
    expect(verifyInclusion('leaf 5', 5, 13, [], root)).toBe(false);
    expect(verifyInclusion('leaf 5', 5, 13, proof, root.subarray(1))).toBe(false);
    expect(verifyInclusion('leaf 5', 5, 13, proof, new Uint8Array(0))).toBe(false);
    expect(verifyInclusion('leaf 5', 13, 13, proof, root)).toBe(false);
    expect(verifyInclusion('leaf 5', 5, 0, proof, root)).toBe(false);
    expect(verifyInclusion('leaf 5', 5, 2 ** 40, proof, root)).toBe(false);
    expect(verifyInclusionOfHash(new Uint8Array(31), 5, 13, proof, root)).toBe(false);
    expect(verifyInclusion('leaf 5', 5, 13, proof, root, { hash: 'blake3' })).toBe(false);

    expect(verifyConsistency(6, 13, oldRoot, root, cproof)).toBe(true);
    expect(verifyConsistency(6, 13, oldRoot, root, [])).toBe(false);
    expect(verifyConsistency(6, 13, oldRoot, root, [...cproof, cproof[0]])).toBe(false);
    expect(verifyConsistency(6, 13, oldRoot, root, cproof.map((p) => p.subarray(1)))).toBe(false);
    expect(verifyConsistency(6, 13, oldRoot.subarray(1), root, cproof)).toBe(false);
    expect(verifyConsistency(13, 6, root, oldRoot, cproof)).toBe(false);
    expect(verifyConsistency(0, 13, new Uint8Array(0), root, [])).toBe(false);
    expect(verifyConsistency(0, 0, new Uint8Array(0), new Uint8Array(0), [])).toBe(false);
    expect(verifyConsistency(13, 13, root, root, [])).toBe(true);
    expect(verifyConsistency(13, 13, root, root, [root])).toBe(false);
    expect(verifyConsistency(13, 13, root, oldRoot, [])).toBe(false);
    expect(verifyConsistency(6, 2 ** 50, oldRoot, root, cproof)).toBe(false);
  });

  it('wrong argument types throw TypeError naming the argument; impossible numbers RangeError', () => {
    expect(() => verifyInclusion(5 as never, 5, 13, proof, root)).toThrow(/leaf/);
    expect(() => verifyInclusion('leaf 5', '5' as never, 13, proof, root)).toThrow(TypeError);
    expect(() => verifyInclusion('leaf 5', 5, 13.5, proof, root)).toThrow(RangeError);
    expect(() => verifyInclusion('leaf 5', 5, 13, 'proof' as never, root)).toThrow(/path/);
    expect(() => verifyInclusion('leaf 5', 5, 13, ['ab' as never], root)).toThrow(/path\[0\]/);
    expect(() => verifyInclusion('leaf 5', 5, 13, proof, 'root' as never)).toThrow(/root/);
    expect(() => verifyInclusion('leaf 5', 5, 13, proof, root, { hash: 'sha1' as never })).toThrow(RangeError);
    expect(() => verifyInclusion('leaf 5', -1, 13, proof, root)).toThrow(RangeError);
    expect(() => verifyInclusion('leaf 5', 2 ** 64, 13, proof, root)).toThrow(RangeError);
    expect(() => verifyConsistency(6, 13, oldRoot, root, [null as never])).toThrow(/proof\[0\]/);
    expect(() => verifyConsistency(6, 13, 'x' as never, root, cproof)).toThrow(/oldRoot/);
    expect(() => verifyConsistency(-6, 13, oldRoot, root, cproof)).toThrow(RangeError);
  });
});
