import { ed25519 as noble } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/index.js';
import { haveVectors, hex, missingVectorsReason, readVectors } from '../_support/vectors.js';

interface CctvCase {
  number: number;
  key: string;
  sig: string;
  msg: string;
  flags: string[] | null;
}

/** Flags under which RFC 8032 strict verification must reject (encoding or small-order checks, cofactorless equation). */
const strictRejects = ['low_order_A', 'low_order_R', 'non_canonical_A', 'non_canonical_R', 'low_order_residue', 'reencoded_k'];

describe.skipIf(!haveVectors)(`Ed25519 CCTV edge cases (../shared/vectors/ed25519/cctv_ed25519vectors.json) ${haveVectors ? '' : missingVectorsReason}`, () => {
  const cases = haveVectors ? readVectors<CctvCase[]>('ed25519', 'cctv_ed25519vectors.json') : [];
  const items = cases.map((c) => ({ signature: hex(c.sig), message: c.msg, publicKey: hex(c.key), flags: c.flags ?? [] }));

  it('has 914 cases', () => expect(cases.length).toBe(914));

  for (const name of ['scalar', 'simd'] as const) {
    const { ed25519 } = createBackend(name);

    it(`${name}: ZIP-215 mode accepts every case except reencoded_k with a prime-order A (k over the given bytes differs)`, () => {
      const wrong = items.filter((c) => {
        const expected = !(c.flags.includes('reencoded_k') && !c.flags.includes('low_order_A'));
        return ed25519.verify(c.signature, c.message, c.publicKey) !== expected;
      });
      expect(wrong.length).toBe(0);
    });

    it(`${name}: ZIP-215 mode decides exactly as @noble/curves with zip215: true`, () => {
      const enc = new TextEncoder();
      for (const c of items) {
        let want: boolean;
        try {
          want = noble.verify(c.signature, enc.encode(c.message), c.publicKey, { zip215: true });
        } catch {
          want = false;
        }
        expect(ed25519.verify(c.signature, c.message, c.publicKey)).toBe(want);
      }
    });

    it(`${name}: strict mode rejects every case flagged ${strictRejects.join(', ')} and accepts the rest`, () => {
      for (const c of items) {
        const expected = !c.flags.some((f) => strictRejects.includes(f));
        expect(ed25519.verify(c.signature, c.message, c.publicKey, { strict: true }), `flags ${c.flags.join(',')}`).toBe(expected);
      }
    });

    it(`${name}: verifyBatch decides every case as verify does, in one batch and in slices of 97`, () => {
      const single = items.map((c) => ed25519.verify(c.signature, c.message, c.publicKey));
      expect(ed25519.verifyBatch(items)).toEqual(single);
      for (let start = 0; start < items.length; start += 97) {
        expect(ed25519.verifyBatch(items.slice(start, start + 97))).toEqual(single.slice(start, start + 97));
      }
    });
  }
});
