import { describe, expect, it } from 'vitest';
import { ArgumentRangeError } from '../../src/check/index.js';
import { createBackend } from '../../src/index.js';
import { haveVectors, hex, missingVectorsReason, readVectors } from '../_support/vectors.js';

// Wycheproof's ML-DSA verify vectors (the subsets in ../shared/vectors/mldsa), read in place, on
// both backends, through verify and verifyBatch. A context over 255 bytes is an argument error
// here (FIPS 204 forbids it): those cases must throw, never verify.

interface MlDsaVerifyFile {
  algorithm: string;
  numberOfTests: number;
  testGroups: { publicKey: string; tests: { tcId: number; comment: string; flags: string[]; msg: string; ctx?: string; sig: string; result: 'valid' | 'invalid' }[] }[];
}

const sets = [
  { file: 'wycheproof_mldsa_44_verify_subset.json', api: 'mldsa44', count: 49 },
  { file: 'wycheproof_mldsa_65_verify_subset.json', api: 'mldsa65', count: 47 },
  { file: 'wycheproof_mldsa_87_verify_subset.json', api: 'mldsa87', count: 49 },
] as const;

for (const set of sets) {
  describe.skipIf(!haveVectors)(`${set.api}: Wycheproof ${set.file} ${haveVectors ? '' : missingVectorsReason}`, () => {
    const data = haveVectors ? readVectors<MlDsaVerifyFile>('mldsa', set.file) : { testGroups: [], numberOfTests: 0 };
    const cases = data.testGroups.flatMap((g) => g.tests.map((t) => ({ ...t, pk: g.publicKey })));

    it(`has the ${set.count} cases of the subset, valid and invalid`, () => {
      expect(cases.length).toBe(set.count);
      expect(cases.some((t) => t.result === 'valid') && cases.some((t) => t.result === 'invalid')).toBe(true);
    });

    for (const name of ['scalar', 'simd'] as const) {
      const api = createBackend(name)[set.api];
      it(`${name}: verify gives the expected result on every case; a context over 255 bytes throws`, () => {
        const wrong: string[] = [];
        for (const t of cases) {
          const ctx = t.ctx === undefined ? undefined : hex(t.ctx);
          if (ctx !== undefined && ctx.length > 255) {
            expect(t.result).toBe('invalid');
            expect(() => api.verify(hex(t.sig), hex(t.msg), hex(t.pk), { context: ctx })).toThrow(ArgumentRangeError);
            continue;
          }
          const ok = api.verify(hex(t.sig), hex(t.msg), hex(t.pk), ctx === undefined ? undefined : { context: ctx });
          if (ok !== (t.result === 'valid')) wrong.push(`${t.tcId} ${t.comment} [${t.flags.join(',')}]`);
        }
        expect(wrong).toEqual([]);
      });

      it(`${name}: verifyBatch over all cases (keys repeated and mixed) equals verify`, () => {
        const items = cases
          .filter((t) => t.ctx === undefined || t.ctx.length <= 510)
          .map((t) => ({ signature: hex(t.sig), message: hex(t.msg), publicKey: hex(t.pk), ...(t.ctx === undefined ? {} : { context: hex(t.ctx) }), result: t.result }));
        const batch = api.verifyBatch(items);
        expect(batch).toEqual(items.map((i) => i.result === 'valid'));
        expect(batch).toEqual(items.map((i) => api.verify(i.signature, i.message, i.publicKey, i.context ? { context: i.context } : undefined)));
      });
    }
  });
}
