import { describe, expect, it } from 'vitest';
import { MerkleTree, verifyConsistency, verifyInclusion } from '../../src/index.js';
import { Rng, testSeed } from '../_support/seed.js';
import { consistency, leafHashOf, mth, path } from '../_support/merkleModel.js';

const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const hexes = (list: Uint8Array[]) => list.map(toHex);

const cases = (['scalar', 'simd'] as const).flatMap((backend) => (['sha256', 'blake3'] as const).map((hash) => ({ backend, hash })));

function randomLeaf(rng: Rng): Uint8Array {
  // Mostly 32-byte leaves (the common case), sometimes empty, long or multi-block.
  const r = rng.int(10);
  return rng.bytes(r < 6 ? 32 : r < 7 ? 0 : r < 9 ? rng.int(200) : 1000 + rng.int(3000));
}

describe.each(cases)('MerkleTree ($backend, $hash) against the recursive RFC 9162 model', ({ backend, hash }) => {
  it('append / appendMany in random mixes give the model root, rootAt and leaf hashes', () => {
    const rng = new Rng(testSeed(`merkle tree append ${backend} ${hash}`));
    for (let round = 0; round < 6; round++) {
      const t = new MerkleTree({ hash, backend });
      const leaves: Uint8Array[] = [];
      const target = rng.int(round < 3 ? 40 : 2500);
      while (leaves.length < target) {
        if (rng.int(3) === 0) {
          const batch = Array.from({ length: 1 + rng.int(300) }, () => randomLeaf(rng));
          expect(t.appendMany(batch)).toBe(leaves.length);
          leaves.push(...batch);
        } else {
          const leaf = randomLeaf(rng);
          expect(t.append(leaf)).toBe(leaves.length);
          leaves.push(leaf);
        }
        expect(t.size).toBe(leaves.length);
      }
      expect(toHex(t.root())).toBe(toHex(mth(hash, leaves)));
      for (let i = 0; i < 5; i++) {
        const size = rng.int(leaves.length + 1);
        expect(toHex(t.rootAt(size))).toBe(toHex(mth(hash, leaves.slice(0, size))));
        if (leaves.length > 0) {
          const index = rng.int(leaves.length);
          expect(toHex(t.leafHash(index))).toBe(toHex(leafHashOf(hash, leaves[index])));
        }
      }
    }
  });

  it('inclusion and consistency proofs equal the RFC PATH / SUBPROOF and verify; tampering fails', () => {
    const rng = new Rng(testSeed(`merkle tree proofs ${backend} ${hash}`));
    for (let round = 0; round < 8; round++) {
      const n = 1 + rng.int(round < 4 ? 20 : 700);
      const leaves = Array.from({ length: n }, () => randomLeaf(rng));
      const t = new MerkleTree({ hash, backend });
      t.appendMany(leaves);
      for (let j = 0; j < 6; j++) {
        const size = 1 + rng.int(n);
        const index = rng.int(size);
        const root = t.rootAt(size);
        const proof = t.prove(index, size);
        expect({ hash: proof.hash, index: proof.index, size: proof.size }).toEqual({ hash, index, size });
        expect(hexes(proof.path)).toEqual(hexes(path(hash, index, leaves.slice(0, size))));
        expect(verifyInclusion(proof, leaves[index], root, { backend })).toBe(true);
        expect(verifyInclusion(proof, rng.bytes(5), root, { backend })).toBe(false);
        // (Two equal leaves, e.g. both empty, legitimately share a proof position.)
        const swapped = leaves[index ^ 1];
        if (size > 1 && (swapped === undefined || toHex(swapped) !== toHex(leaves[index]))) {
          expect(verifyInclusion({ ...proof, index: index ^ 1 }, leaves[index], root, { backend })).toBe(false);
        }
        if (proof.path.length > 0) {
          const bad = proof.path.map((p) => p.slice());
          bad[rng.int(bad.length)][rng.int(32)] ^= 1 << rng.int(8);
          expect(verifyInclusion({ ...proof, path: bad }, leaves[index], root, { backend })).toBe(false);
          expect(verifyInclusion({ ...proof, path: proof.path.slice(1) }, leaves[index], root, { backend })).toBe(false);
        }
        expect(verifyInclusion({ ...proof, path: [...proof.path, root] }, leaves[index], root, { backend })).toBe(false);

        const oldSize = 1 + rng.int(size);
        const cproof = t.proveConsistency(oldSize, size);
        expect({ hash: cproof.hash, oldSize: cproof.oldSize, newSize: cproof.newSize }).toEqual({ hash, oldSize, newSize: size });
        expect(hexes(cproof.path)).toEqual(hexes(consistency(hash, oldSize, leaves.slice(0, size))));
        const oldRoot = t.rootAt(oldSize);
        expect(verifyConsistency(cproof, oldRoot, root, { backend })).toBe(true);
        if (oldSize < size) {
          const bad = cproof.path.map((p) => p.slice());
          bad[rng.int(bad.length)][rng.int(32)] ^= 1;
          expect(verifyConsistency({ ...cproof, path: bad }, oldRoot, root, { backend })).toBe(false);
          expect(verifyConsistency(cproof, root, oldRoot, { backend })).toBe(false);
          expect(verifyConsistency({ ...cproof, path: cproof.path.slice(0, -1) }, oldRoot, root, { backend })).toBe(false);
        }
      }
    }
  });

  it('update and updateMany (duplicates: the later entry wins) match a rebuilt model', () => {
    const rng = new Rng(testSeed(`merkle tree updates ${backend} ${hash}`));
    for (let round = 0; round < 6; round++) {
      const n = 1 + rng.int(round < 3 ? 30 : 1500);
      const leaves = Array.from({ length: n }, () => randomLeaf(rng));
      const t = new MerkleTree({ hash, backend });
      t.appendMany(leaves);
      for (let j = 0; j < 4; j++) {
        if (rng.int(2) === 0) {
          const index = rng.int(n);
          leaves[index] = randomLeaf(rng);
          t.update(index, leaves[index]);
        } else {
          const entries: [number, Uint8Array][] = Array.from({ length: 1 + rng.int(Math.min(n, 200)) }, () => [rng.int(n), randomLeaf(rng)]);
          entries.push([entries[0][0], randomLeaf(rng)]);
          for (const [i, leaf] of entries) leaves[i] = leaf;
          t.updateMany(entries);
        }
        expect(toHex(t.root())).toBe(toHex(mth(hash, leaves)));
      }
      const size = 1 + rng.int(n);
      expect(toHex(t.rootAt(size))).toBe(toHex(mth(hash, leaves.slice(0, size))));
      const index = rng.int(n);
      expect(hexes(t.prove(index).path)).toEqual(hexes(path(hash, index, leaves)));
      // Appending after updates keeps growing the same tree.
      const more = Array.from({ length: rng.int(100) }, () => randomLeaf(rng));
      t.appendMany(more);
      leaves.push(...more);
      expect(toHex(t.root())).toBe(toHex(mth(hash, leaves)));
    }
  });
});

describe('MerkleTree layout growth', () => {
  it('keeps every node across many doublings (70,000 single appends, pending batches, roots on the way)', () => {
    const rng = new Rng(testSeed('merkle tree growth'));
    const t = new MerkleTree();
    const reference = new MerkleTree({ backend: 'scalar' });
    const leaves: Uint8Array[] = [];
    for (let i = 0; i < 70_000; i++) {
      const leaf = rng.bytes(32);
      leaves.push(leaf);
      t.append(leaf);
      if (i % 9973 === 0) expect(toHex(t.root())).toBe(toHex(mth('sha256', leaves)));
    }
    reference.appendMany(leaves);
    expect(toHex(t.root())).toBe(toHex(reference.root()));
    expect(toHex(t.root())).toBe(toHex(mth('sha256', leaves)));
    expect(toHex(t.rootAt(65_536))).toBe(toHex(mth('sha256', leaves.slice(0, 65_536))));
  });

  it('accepts strings as UTF-8 and leaves larger than the append buffer', () => {
    const t = new MerkleTree();
    const big = new Uint8Array(200_000).fill(7);
    t.append('héllo');
    t.append(big);
    t.append('x');
    const enc = new TextEncoder();
    expect(toHex(t.root())).toBe(toHex(mth('sha256', [enc.encode('héllo'), big, enc.encode('x')])));
  });
});

describe('MerkleTree argument checks', () => {
  it('rejects wrong types with TypeError and unknown names, fractional or out-of-range indices and sizes with RangeError, leaving the tree intact', () => {
    const t = new MerkleTree();
    t.appendMany(['a', 'b', 'c']);
    const root = toHex(t.root());
    expect(() => new MerkleTree({ hash: 'md5' as never })).toThrow(RangeError);
    expect(() => new MerkleTree({ backend: 'gpu' as never })).toThrow(RangeError);
    expect(() => new MerkleTree(null as never)).toThrow(TypeError);
    expect(() => t.append(42 as never)).toThrow(TypeError);
    expect(() => t.appendMany(['d', 5 as never])).toThrow(/leaves\[1\]/);
    expect(() => t.appendMany('abc' as never)).toThrow(TypeError);
    expect(() => t.update(3, 'x')).toThrow(RangeError);
    expect(() => t.update(-1, 'x')).toThrow(RangeError);
    expect(() => t.update(1.5, 'x')).toThrow(RangeError);
    expect(() => t.updateMany([[0, 'x'], [7, 'y']])).toThrow(RangeError);
    expect(() => t.updateMany([[0, 'x'], [1] as never])).toThrow(TypeError);
    expect(() => t.leafHash(3)).toThrow(RangeError);
    expect(() => t.rootAt(4)).toThrow(RangeError);
    expect(() => t.prove(3)).toThrow(RangeError);
    expect(() => t.prove(0, 4)).toThrow(RangeError);
    expect(() => t.prove(0, 0)).toThrow(RangeError);
    expect(() => t.proveConsistency(0)).toThrow(RangeError);
    expect(() => t.proveConsistency(3, 2)).toThrow(RangeError);
    expect(() => t.proveConsistency(1, 4)).toThrow(RangeError);
    expect(t.size).toBe(3);
    expect(toHex(t.root())).toBe(root);
  });

  it('an empty tree has root H("") and no proofs', () => {
    const t = new MerkleTree({ hash: 'blake3' });
    expect(t.size).toBe(0);
    expect(toHex(t.root())).toBe(toHex(mth('blake3', [])));
    expect(toHex(new MerkleTree().root())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(() => t.prove(0)).toThrow(RangeError);
  });

  it('root() returns a copy the caller may modify', () => {
    const t = new MerkleTree();
    t.append('a');
    const r = t.root();
    r[0] ^= 1;
    expect(toHex(t.root())).not.toBe(toHex(r));
  });
});
