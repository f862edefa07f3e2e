import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backend/index.js';
import { blake3, hmac, sha256, sha512 } from '../../src/hash/index.js';
import { MerkleTree } from '../../src/merkle/index.js';
import { createPool } from '../../src/pool/index.js';
import { instantiate } from '../../src/wasm/index.js';

// Printing an object that sits over a WASM instance (console.log, util.inspect, a REPL) shows one
// line naming it, not the instance's megabytes of linear memory.

describe('util.inspect of the objects over WASM', () => {
  const pool = createPool({ threads: 1, inlineBelow: 0 });
  afterAll(() => pool.close());

  it('prints one short line for hashers, an HMAC, a backend, a tree, a pool and a bare instance', () => {
    const tree = new MerkleTree({ hash: 'blake3', backend: 'scalar' });
    tree.appendMany(['a', 'b', 'c']);
    const finished = sha256.create();
    finished.digest();
    const lines: [unknown, string][] = [
      [sha256.create(), 'sha256 hasher { outputLen: 32, blockLen: 64 }'],
      [sha512.create(), 'sha512 hasher { outputLen: 64, blockLen: 128 }'],
      [blake3.create({ key: new Uint8Array(32) }), 'blake3 hasher { outputLen: 32, blockLen: 64, keyed }'],
      [finished, 'sha256 hasher { outputLen: 32, blockLen: 64, finished }'],
      [hmac.create(sha256, new Uint8Array(8)), 'hmac { outputLen: 32, blockLen: 64 }'],
      [tree, "MerkleTree { hash: 'blake3', size: 3, backend: 'scalar' }"],
      [pool, "Pool { threads: 1, backend: '" + pool.backend + "', inlineBelow: 0 }"],
    ];
    for (const [value, line] of lines) expect(inspect(value)).toBe(line);
    expect(inspect(createBackend('scalar'))).toMatch(/^Backend \{ name: 'scalar', memory: \d+ bytes \}$/);
    expect(inspect(instantiate('simd'))).toMatch(/^WasmInstance \{ backend: 'simd', memory: \d+ bytes \}$/);
  });

  it('nested in other values too (console.log of an object holding them), still without the memory', () => {
    const text = inspect({ hasher: sha256.create(), backend: createBackend('simd'), tree: new MerkleTree() }, { depth: 5 });
    expect(text).not.toMatch(/Memory|ArrayBuffer|Uint8Array|\[Function/);
    expect(text.split('\n').length).toBeLessThanOrEqual(5);
  });

  it('the hook is not enumerable: a backend spreads into its name and functions only', () => {
    const spread = { ...createBackend('scalar') };
    expect(Object.getOwnPropertySymbols(spread)).toEqual([]);
    expect(Object.keys(spread)).toEqual(expect.arrayContaining(['name', 'sha256', 'blake3', 'ed25519', 'vrf']));
  });
});
