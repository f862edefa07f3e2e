import { describe, expect, it } from 'vitest';
import { merkleRoot, MerkleTree, verifyConsistency, verifyInclusion, verifyInclusionOfHash } from '../../src/merkle/index.js';
import { haveVectors, hex, missingVectorsReason, readVectors } from '../_support/vectors.js';

interface InclusionCase {
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  root: string;
  proof: string[];
}
interface ConsistencyCase {
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  proof: string[];
}
interface Rfc6962 {
  leaves: string[];
  leafHashes: string[];
  nodeHashes: { levels: string[][] };
  roots: { values: string[] };
  publishedInclusionProofs: { cases: InclusionCase[] };
  publishedConsistencyProofs: { cases: ConsistencyCase[] };
  allInclusionProofs: { cases: InclusionCase[] };
  allConsistencyProofs: { cases: ConsistencyCase[] };
}
interface Probes {
  inclusion: (InclusionCase & { file: string; wantErr: boolean })[];
  consistency: (ConsistencyCase & { file: string; wantErr: boolean })[];
}

const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const backends = ['scalar', 'simd'] as const;

/** A probe is rejected by returning false, or by a RangeError for an index beyond 2^53 (upstream wraps a u64 there). */
function rejects(verify: () => boolean): boolean {
  try {
    return !verify();
  } catch (err) {
    if (err instanceof RangeError) return true;
    throw err;
  }
}

describe.skipIf(!haveVectors)(`RFC 6962 / RFC 9162 vectors (../shared/vectors/merkle)${haveVectors ? '' : ` — ${missingVectorsReason}`}`, () => {
  const v = haveVectors ? readVectors<Rfc6962>('merkle', 'rfc6962_merkle_vectors.json') : (undefined as never);
  const p = haveVectors ? readVectors<Probes>('merkle', 'transparency_dev_probes.json') : (undefined as never);

  describe.each(backends)('%s backend', (backend) => {
    const leaves = () => v.leaves.map(hex);
    const tree = () => {
      const t = new MerkleTree({ backend });
      for (const leaf of leaves()) t.append(leaf);
      return t;
    };

    it('leaf hashes, complete-subtree node hashes and roots 0..8', () => {
      const t = tree();
      v.leafHashes.forEach((h, i) => expect(toHex(t.leafHash(i))).toBe(h));
      v.nodeHashes.levels.forEach((level, l) =>
        level.forEach((h, i) => expect(toHex(merkleRoot(leaves().slice(i * 2 ** l, (i + 1) * 2 ** l), { backend }))).toBe(h)),
      );
      v.roots.values.forEach((root, n) => {
        expect(toHex(t.rootAt(n))).toBe(root);
        expect(toHex(merkleRoot(leaves().slice(0, n), { backend }))).toBe(root);
      });
      expect(toHex(t.root())).toBe(v.roots.values[8]);
    });

    it('inclusion proofs (published and all derived) are generated exactly and verify', () => {
      const t = tree();
      for (const c of [...v.publishedInclusionProofs.cases, ...v.allInclusionProofs.cases]) {
        const proof = t.prove(c.leafIndex, c.treeSize);
        expect(proof.path.map(toHex)).toEqual(c.proof);
        expect(toHex(t.rootAt(c.treeSize))).toBe(c.root);
        expect(verifyInclusion(proof, leaves()[c.leafIndex], hex(c.root), { backend })).toBe(true);
        const published = { hash: 'sha256', index: c.leafIndex, size: c.treeSize, path: c.proof.map(hex) } as const;
        expect(verifyInclusionOfHash(published, hex(c.leafHash), hex(c.root), { backend })).toBe(true);
      }
    });

    it('consistency proofs (published and all derived) are generated exactly and verify', () => {
      const t = tree();
      for (const c of [...v.publishedConsistencyProofs.cases, ...v.allConsistencyProofs.cases]) {
        expect(t.proveConsistency(c.size1, c.size2).path.map(toHex)).toEqual(c.proof);
        const published = { hash: 'sha256', oldSize: c.size1, newSize: c.size2, path: c.proof.map(hex) } as const;
        expect(verifyConsistency(published, hex(c.root1), hex(c.root2), { backend })).toBe(true);
      }
    });

    it(`transparency-dev inclusion probes: accept/reject as upstream (${p?.inclusion.length} files)`, () => {
      for (const c of p.inclusion) {
        const proof = { hash: 'sha256', index: c.leafIndex, size: c.treeSize, path: c.proof.map(hex) } as const;
        const verify = () => verifyInclusionOfHash(proof, hex(c.leafHash), hex(c.root), { backend });
        expect({ file: c.file, rejected: rejects(verify) }).toEqual({ file: c.file, rejected: c.wantErr });
      }
    });

    it(`transparency-dev consistency probes: accept/reject as upstream (${p?.consistency.length} files)`, () => {
      for (const c of p.consistency) {
        const proof = { hash: 'sha256', oldSize: c.size1, newSize: c.size2, path: c.proof.map(hex) } as const;
        const verify = () => verifyConsistency(proof, hex(c.root1), hex(c.root2), { backend });
        expect({ file: c.file, rejected: rejects(verify) }).toEqual({ file: c.file, rejected: c.wantErr });
      }
    });
  });
});
