import { createHash } from 'node:crypto';
import { blake3 as nobleBlake3 } from '@noble/hashes/blake3.js';
import { describe, expect, it } from 'vitest';
import { instantiate } from '../../src/wasm/index.js';

// Regression: the SIMD build hashes short messages four per lane group, and a lane whose message
// had ended still copied zero bytes from past its end each further block. A copy of zero bytes
// from beyond linear memory traps in WASM, so a short message packed at the very end of memory,
// grouped with a longer one, made blake3Many (and BLAKE3 Merkle leaves) throw "memory access out
// of bounds" — found by the seeded Merkle tree test (SWARMGUARD_SEED=910958887).

const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

const sha256 = (m: Uint8Array) => createHash('sha256').update(m).digest('hex');

describe.each(['scalar', 'simd'] as const)('%s: batch hashing with a message that ends at the end of linear memory', (backend) => {
  for (const [name, short] of [0, 1, 5, 63, 64].flatMap((n) => [['blake3Many', n], ['sha256Many', n]] as const)) {
    it(`${name}: a ${short}-byte message last in memory beside a 900-byte one`, () => {
      const wasm = instantiate(backend);
      const long = Uint8Array.from({ length: 900 }, (_, i) => i % 251);
      const tail = Uint8Array.from({ length: short }, (_, i) => 255 - i);
      const longPtr = wasm.put(long);
      const table = wasm.alloc(16, 8);
      const out = wasm.alloc(64);
      const end = wasm.u8.length; // nothing allocated up there: the message's last byte is memory's last
      wasm.u8.set(tail, end - short);
      const view = new DataView(wasm.u8.buffer);
      view.setUint32(table, longPtr, true);
      view.setUint32(table + 4, long.length, true);
      view.setUint32(table + 8, end - short, true);
      view.setUint32(table + 12, short, true);
      if (name === 'blake3Many') wasm.kernels.blake3Many(0, table, 2, 0, 0, out, 32);
      else wasm.kernels.sha256Many(0, table, 2, out);
      const want = name === 'blake3Many' ? [toHex(nobleBlake3(long)), toHex(nobleBlake3(tail))] : [sha256(long), sha256(tail)];
      expect([toHex(wasm.read(out, 32)), toHex(wasm.read(out + 32, 32))]).toEqual(want);
    });
  }
});
