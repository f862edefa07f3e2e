import { describe, expect, it } from 'vitest';
import {
  joinSubtreeRoots,
  MAX_TREE_LEAVES,
  merkleRoot,
  MerkleTree,
  verifyConsistency,
  verifyInclusion,
  verifyInclusionOfHash,
} from '../../src/merkle/index.js';
import { detached, expectRefusal, expectRefusals, holes, type Refusal } from '../_support/refusals.js';

const leaf = new Uint8Array([1, 2, 3]);
const hash = new Uint8Array(32);

describe('merkle argument errors', () => {
  it('merkleRoot and joinSubtreeRoots name themselves and the argument', () => {
    const rows: Refusal[] = [
      ['merkleRoot string', () => merkleRoot('abc' as never), 'type', 'merkleRoot', 'leaves', 'must be an array'],
      ['merkleRoot bad leaf', () => merkleRoot([leaf, {} as never]), 'type', 'merkleRoot', 'leaves[1]', 'got Object'],
      ['merkleRoot holes', () => merkleRoot(holes(4)), 'type', 'merkleRoot', 'leaves[0]', 'got undefined'],
      ['merkleRoot detached leaf', () => merkleRoot([leaf, detached()]), 'type', 'merkleRoot', 'leaves[1]', 'detached'],
      ['merkleRoot options 1', () => merkleRoot([], 1 as never), 'type', 'merkleRoot', 'options'],
      ['merkleRoot unknown hash', () => merkleRoot([], { hash: 'sha512' as never }), 'range', 'merkleRoot', 'options.hash', "must be one of 'sha256', 'blake3', got 'sha512'"],
      ['merkleRoot number hash', () => merkleRoot([], { hash: 1 as never }), 'type', 'merkleRoot', 'options.hash'],
      ['merkleRoot unknown backend', () => merkleRoot([], { backend: 'gpu' as never }), 'range', 'merkleRoot', 'options.backend', "must be one of 'scalar', 'simd', got 'gpu'"],
      ['join string root', () => joinSubtreeRoots(['x' as never]), 'type', 'joinSubtreeRoots', 'roots[0]'],
      ['join 31-byte root', () => joinSubtreeRoots([hash, new Uint8Array(31)]), 'range', 'joinSubtreeRoots', 'roots[1]', 'must be 32 bytes, got 31'],
      ['join holes', () => joinSubtreeRoots(holes(2)), 'type', 'joinSubtreeRoots', 'roots[0]'],
      ['join detached', () => joinSubtreeRoots([detached()]), 'type', 'joinSubtreeRoots', 'roots[0]', 'detached'],
      ['join too many', () => joinSubtreeRoots(holes(MAX_TREE_LEAVES + 1)), 'range', 'joinSubtreeRoots', 'roots', `at most MAX_TREE_LEAVES = ${MAX_TREE_LEAVES} roots`],
      ['join unknown hash', () => joinSubtreeRoots([hash], { hash: 'md5' as never }), 'range', 'joinSubtreeRoots', 'options.hash'],
    ];
    expectRefusals(rows);
  });

  it('MerkleTree methods name themselves and the argument, and a refused call leaves the tree intact', () => {
    const t = new MerkleTree();
    const empty = new MerkleTree();
    t.appendMany(['a', 'b', 'c']);
    const root = t.root();
    const rows: Refusal[] = [
      ['ctor null', () => new MerkleTree(null as never), 'type', 'MerkleTree', 'options'],
      ['ctor hash', () => new MerkleTree({ hash: 'md5' as never }), 'range', 'MerkleTree', 'options.hash'],
      ['ctor backend', () => new MerkleTree({ backend: 'gpu' as never }), 'range', 'MerkleTree', 'options.backend'],
      ['append number', () => t.append(42 as never), 'type', 'MerkleTree.append', 'leaf'],
      ['append detached', () => t.append(detached()), 'type', 'MerkleTree.append', 'leaf', 'detached'],
      ['appendMany string', () => t.appendMany('abc' as never), 'type', 'MerkleTree.appendMany', 'leaves'],
      ['appendMany bad leaf', () => t.appendMany(['d', 5 as never]), 'type', 'MerkleTree.appendMany', 'leaves[1]'],
      ['appendMany holes', () => t.appendMany(holes(2)), 'type', 'MerkleTree.appendMany', 'leaves[0]'],
      ['appendMany past the limit', () => t.appendMany(holes(MAX_TREE_LEAVES)), 'range', 'MerkleTree.appendMany', 'leaves', `past MAX_TREE_LEAVES = ${MAX_TREE_LEAVES}`],
      ['rootAt 4', () => t.rootAt(4), 'range', 'MerkleTree.rootAt', 'size', 'in [0, 3], got 4'],
      ['rootAt 2^53', () => t.rootAt(2 ** 53), 'range', 'MerkleTree.rootAt', 'size'],
      ['rootAt string', () => t.rootAt('1' as never), 'type', 'MerkleTree.rootAt', 'size'],
      ['leafHash 3', () => t.leafHash(3), 'range', 'MerkleTree.leafHash', 'index'],
      ['leafHash empty tree', () => empty.leafHash(0), 'range', 'MerkleTree.leafHash', 'index', 'the range [0, -1] is empty'],
      ['update -1', () => t.update(-1, 'x'), 'range', 'MerkleTree.update', 'index'],
      ['update 1.5', () => t.update(1.5, 'x'), 'range', 'MerkleTree.update', 'index', 'got 1.5'],
      ['update NaN', () => t.update(Number.NaN, 'x'), 'range', 'MerkleTree.update', 'index'],
      ['update leaf', () => t.update(0, null as never), 'type', 'MerkleTree.update', 'leaf'],
      ['updateMany string', () => t.updateMany('x' as never), 'type', 'MerkleTree.updateMany', 'entries'],
      ['updateMany index 7', () => t.updateMany([[0, 'x'], [7, 'y']]), 'range', 'MerkleTree.updateMany', 'entries[1][0]', 'in [0, 2], got 7'],
      ['updateMany index 2^53', () => t.updateMany([[2 ** 53, 'y']]), 'range', 'MerkleTree.updateMany', 'entries[0][0]'],
      ['updateMany index 0.5', () => t.updateMany([[0.5, 'y']]), 'range', 'MerkleTree.updateMany', 'entries[0][0]'],
      ['updateMany pair', () => t.updateMany([[0, 'x'], [1] as never]), 'type', 'MerkleTree.updateMany', 'entries[1]', 'must be an [index, leaf] pair'],
      ['updateMany hole', () => t.updateMany(holes(1)), 'type', 'MerkleTree.updateMany', 'entries[0]', 'got undefined'],
      ['updateMany leaf', () => t.updateMany([[1, detached()]]), 'type', 'MerkleTree.updateMany', 'entries[0][1]', 'detached'],
      ['prove 3', () => t.prove(3), 'range', 'MerkleTree.prove', 'index'],
      ['prove size 4', () => t.prove(0, 4), 'range', 'MerkleTree.prove', 'size'],
      ['prove size 0', () => t.prove(0, 0), 'range', 'MerkleTree.prove', 'size'],
      ['prove empty tree', () => empty.prove(0), 'range', 'MerkleTree.prove', 'size', 'is empty'],
      ['proveConsistency 0', () => t.proveConsistency(0), 'range', 'MerkleTree.proveConsistency', 'oldSize'],
      ['proveConsistency 3, 2', () => t.proveConsistency(3, 2), 'range', 'MerkleTree.proveConsistency', 'oldSize'],
      ['proveConsistency 1, 4', () => t.proveConsistency(1, 4), 'range', 'MerkleTree.proveConsistency', 'newSize'],
    ];
    expectRefusals(rows);
    expect(t.size).toBe(3);
    expect(t.root()).toEqual(root);
  });

  it('the verifiers name themselves and the argument; 2^53 and fractions are RangeErrors', () => {
    const t = new MerkleTree();
    t.appendMany(['a', 'b', 'c', 'd', 'e']);
    const proof = t.prove(1);
    const path = proof.path;
    const cproof = t.proveConsistency(2);
    const root = t.root();
    const rows: Refusal[] = [
      ['inclusion proof', () => verifyInclusion(path as never, 'b', root), 'type', 'verifyInclusion', 'proof', 'must be an object, got an array'],
      ['inclusion leaf', () => verifyInclusion(proof, 5 as never, root), 'type', 'verifyInclusion', 'leaf'],
      ['inclusion index string', () => verifyInclusion({ ...proof, index: '1' as never }, 'b', root), 'type', 'verifyInclusion', 'proof.index'],
      ['inclusion index -1', () => verifyInclusion({ ...proof, index: -1 }, 'b', root), 'range', 'verifyInclusion', 'proof.index'],
      ['inclusion index 2^53', () => verifyInclusion({ ...proof, index: 2 ** 53 }, 'b', root), 'range', 'verifyInclusion', 'proof.index', 'must be a safe integer >= 0, got 9007199254740992'],
      ['inclusion size 13.5', () => verifyInclusion({ ...proof, size: 13.5 }, 'b', root), 'range', 'verifyInclusion', 'proof.size'],
      ['inclusion path string', () => verifyInclusion({ ...proof, path: 'p' as never }, 'b', root), 'type', 'verifyInclusion', 'proof.path'],
      ['inclusion path item', () => verifyInclusion({ ...proof, path: ['ab' as never] }, 'b', root), 'type', 'verifyInclusion', 'proof.path[0]'],
      ['inclusion path hole', () => verifyInclusion({ ...proof, path: [path[0], , path[2]] as never }, 'b', root), 'type', 'verifyInclusion', 'proof.path[1]'],
      ['inclusion path detached', () => verifyInclusion({ ...proof, path: [detached()] }, 'b', root), 'type', 'verifyInclusion', 'proof.path[0]', 'detached'],
      ['inclusion root', () => verifyInclusion(proof, 'b', 'r' as never), 'type', 'verifyInclusion', 'root'],
      ['inclusion hash', () => verifyInclusion({ ...proof, hash: 'sha1' as never }, 'b', root), 'range', 'verifyInclusion', 'proof.hash'],
      ['inclusion options', () => verifyInclusion(proof, 'b', root, 5 as never), 'type', 'verifyInclusion', 'options'],
      ['inclusion unknown option', () => verifyInclusion(proof, 'b', root, { backnd: 'simd' } as never), 'type', 'verifyInclusion', 'options.backnd', "did you mean 'backend'?"],
      ['ofHash leafHash', () => verifyInclusionOfHash(proof, 'x' as never, root), 'type', 'verifyInclusionOfHash', 'leafHash'],
      ['ofHash detached', () => verifyInclusionOfHash(proof, detached(), root), 'type', 'verifyInclusionOfHash', 'leafHash', 'detached'],
      ['ofHash size 2^53', () => verifyInclusionOfHash({ ...proof, size: 2 ** 53 }, hash, root), 'range', 'verifyInclusionOfHash', 'proof.size'],
      ['consistency proof', () => verifyConsistency(cproof.path as never, root, root), 'type', 'verifyConsistency', 'proof'],
      ['consistency oldSize -6', () => verifyConsistency({ ...cproof, oldSize: -6 }, root, root), 'range', 'verifyConsistency', 'proof.oldSize'],
      ['consistency newSize 2^53', () => verifyConsistency({ ...cproof, newSize: 2 ** 53 }, root, root), 'range', 'verifyConsistency', 'proof.newSize'],
      ['consistency oldRoot', () => verifyConsistency(cproof, 'x' as never, root), 'type', 'verifyConsistency', 'oldRoot'],
      ['consistency newRoot detached', () => verifyConsistency(cproof, root, detached()), 'type', 'verifyConsistency', 'newRoot', 'detached'],
      ['consistency path item', () => verifyConsistency({ ...cproof, path: [null as never] }, root, root), 'type', 'verifyConsistency', 'proof.path[0]'],
      ['consistency options', () => verifyConsistency(cproof, root, root, 5 as never), 'type', 'verifyConsistency', 'options'],
    ];
    expectRefusals(rows);
  });

  it('largest safe numbers are not refused: a proof that does not fit is simply false', () => {
    const t = new MerkleTree();
    t.appendMany(['a', 'b']);
    expect(verifyInclusion({ ...t.prove(0), index: 2 ** 53 - 2, size: 2 ** 53 - 1 }, 'a', t.root())).toBe(false);
    expectRefusal(() => verifyInclusion(t.prove(0), 'a', t.root(), { backend: 'avx' as never }), 'range', 'verifyInclusion', 'options.backend');
  });
});
