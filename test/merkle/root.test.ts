import { describe, expect, it } from 'vitest';
import { joinSubtreeRoots, merkleRoot, MerkleTree } from '../../src/merkle/index.js';
import { Rng, testSeed } from '../_support/seed.js';
import { mth } from '../_support/merkleModel.js';

const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe.each(['scalar', 'simd'] as const)('merkleRoot (%s)', (backend) => {
  it('equals the recursive model for random sizes, both hashes, across the 2^14-leaf chunk boundary', () => {
    const rng = new Rng(testSeed(`merkleRoot ${backend}`));
    const sizes = [0, 1, 2, 3, 4, 5, 16_383, 16_384, 16_385, 32_769, ...Array.from({ length: 8 }, () => rng.int(3000))];
    for (const n of sizes) {
      const leaves = Array.from({ length: n }, () => rng.bytes(rng.int(4) === 0 ? rng.int(100) : 32));
      for (const hash of ['sha256', 'blake3'] as const) {
        expect(toHex(merkleRoot(leaves, { hash, backend })), `n=${n} ${hash}`).toBe(toHex(mth(hash, leaves)));
      }
    }
  });

  it('leaves that are views of shared buffers (back to back, with gaps, overlapping, repeated) hash like separate copies', () => {
    const rng = new Rng(testSeed(`merkleRoot shared buffers ${backend}`));
    const block = rng.bytes(200_000);
    const leaves: Uint8Array[] = [];
    let at = 0;
    while (leaves.length < 3000) {
      const len = rng.int(3) === 0 ? rng.int(70) : 32;
      const kind = rng.int(6);
      if (kind === 0) at += rng.int(5); // a gap
      if (kind === 1 && at > 40) at -= rng.int(40); // overlap with the previous leaf
      if (kind === 2 && leaves.length > 0) {
        leaves.push(leaves[rng.int(leaves.length)]); // the same view again
        continue;
      }
      if (at + len > block.length) at = 0;
      leaves.push(block.subarray(at, at + len));
      at += len;
    }
    const copies = leaves.map((l) => l.slice());
    for (const hash of ['sha256', 'blake3'] as const) {
      const expected = toHex(mth(hash, copies));
      expect(toHex(merkleRoot(leaves, { hash, backend }))).toBe(expected);
      const tree = new MerkleTree({ hash, backend });
      tree.appendMany(leaves.slice(0, 1000));
      for (const leaf of leaves.slice(1000)) tree.append(leaf);
      expect(toHex(tree.root())).toBe(expected);
    }
  });

  it('leaf lengths around the one-block limit (SHA-256 leaves up to 54 bytes take the one-block path)', () => {
    const rng = new Rng(testSeed(`merkleRoot leaf lengths ${backend}`));
    for (let n = 1; n <= 9; n++) {
      for (const longest of [0, 31, 32, 53, 54, 55, 56, 62, 63, 64, 65]) {
        const leaves = Array.from({ length: n }, (_, i) => rng.bytes(i === n - 1 ? longest : rng.int(longest + 1)));
        for (const hash of ['sha256', 'blake3'] as const) {
          expect(toHex(merkleRoot(leaves, { hash, backend })), `n=${n} longest=${longest} ${hash}`).toBe(toHex(mth(hash, leaves)));
        }
      }
    }
  });

  it('joinSubtreeRoots of aligned subtree roots equals the whole root', () => {
    const rng = new Rng(testSeed(`joinSubtreeRoots ${backend}`));
    for (let round = 0; round < 10; round++) {
      const n = 1 + rng.int(5000);
      const span = 2 ** rng.int(10);
      const leaves = Array.from({ length: n }, () => rng.bytes(32));
      const roots: Uint8Array[] = [];
      for (let i = 0; i < n; i += span) roots.push(merkleRoot(leaves.slice(i, i + span), { backend }));
      expect(toHex(joinSubtreeRoots(roots, { backend }))).toBe(toHex(merkleRoot(leaves, { backend })));
    }
  });
});

describe('merkleRoot arguments', () => {
  it('takes strings as UTF-8, agrees with MerkleTree, and rejects bad input by type', () => {
    const t = new MerkleTree({ hash: 'blake3' });
    t.appendMany(['a', 'bc', '']);
    expect(toHex(merkleRoot(['a', 'bc', ''], { hash: 'blake3' }))).toBe(toHex(t.root()));
    expect(() => merkleRoot('abc' as never)).toThrow(TypeError);
    expect(() => merkleRoot([new Uint8Array(1), {} as never])).toThrow(/leaves\[1\]/);
    expect(() => merkleRoot([], { hash: 'sha512' as never })).toThrow(RangeError);
    expect(() => joinSubtreeRoots([new Uint8Array(31)])).toThrow(RangeError);
    expect(() => joinSubtreeRoots(['x' as never])).toThrow(TypeError);
  });
});
