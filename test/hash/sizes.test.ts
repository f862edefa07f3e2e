import { inspect } from 'node:util';
import { blake3 as nobleBlake3 } from '@noble/hashes/blake3.js';
import { sha256 as nobleSha256, sha512 as nobleSha512 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backend/index.js';
import { blake3, sha256, sha512 } from '../../src/hash/index.js';

const noble = { sha256: nobleSha256, sha512: nobleSha512, blake3: nobleBlake3 };

describe('hash sizes and inspection', () => {
  for (const backend of ['scalar', 'simd'] as const) {
    const api = createBackend(backend);
    it(`${backend}: outputLen and blockLen as @noble/hashes has them, on the functions and their hashers`, () => {
      for (const [name, fn] of [['sha256', api.sha256], ['sha512', api.sha512], ['blake3', api.blake3]] as const) {
        const n = noble[name];
        expect({ outputLen: fn.outputLen, blockLen: fn.blockLen }, name).toEqual({ outputLen: n.outputLen, blockLen: n.blockLen });
        const h = fn.create();
        expect({ outputLen: h.outputLen, blockLen: h.blockLen }, name).toEqual({ outputLen: n.outputLen, blockLen: n.blockLen });
        expect(h.update('abc').digest().length).toBe(h.outputLen);
      }
      expect(api.blake3.create({ length: 64 }).outputLen).toBe(64);
    });
  }

  it('the default-backend functions carry the same sizes', () => {
    expect([sha256.outputLen, sha256.blockLen, sha512.outputLen, sha512.blockLen, blake3.outputLen, blake3.blockLen]).toEqual([32, 64, 64, 128, 32, 64]);
  });

  it('util.inspect of a hasher is one line naming it, not the WASM memory behind it', () => {
    expect(inspect(sha256.create())).toBe('sha256 hasher { outputLen: 32, blockLen: 64 }');
    expect(inspect(sha512.create())).toBe('sha512 hasher { outputLen: 64, blockLen: 128 }');
    expect(inspect(blake3.create({ length: 48 }))).toBe('blake3 hasher { outputLen: 48, blockLen: 64 }');
    expect(inspect(blake3.create({ key: new Uint8Array(32) }))).toBe('blake3 hasher { outputLen: 32, blockLen: 64, keyed }');
  });
});
