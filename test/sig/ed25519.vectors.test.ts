import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/index.js';
import { haveVectors, hex, missingVectorsReason, readVectors } from '../_support/vectors.js';

interface Rfc8032 {
  vectors: { name: string; secretKey: string; publicKey: string; message: string; signature: string }[];
}
interface Wycheproof {
  testGroups: { publicKey: { pk: string }; tests: { tcId: number; comment: string; flags: string[]; msg: string; sig: string; result: 'valid' | 'invalid' }[] }[];
}

const backends = ['scalar', 'simd'] as const;

describe.skipIf(!haveVectors)(`Ed25519 RFC 8032 §7.1 vectors (../shared/vectors/ed25519) ${haveVectors ? '' : missingVectorsReason}`, () => {
  const { vectors } = haveVectors ? readVectors<Rfc8032>('ed25519', 'rfc8032_ed25519.json') : { vectors: [] };

  it('has the five vectors', () => expect(vectors.length).toBe(5));

  for (const name of backends) {
    const { ed25519 } = createBackend(name);
    for (const v of vectors) {
      it(`${name}: ${v.name} — public key, signature, both verification rules, batch`, () => {
        const sk = hex(v.secretKey);
        const msg = hex(v.message);
        expect(Buffer.from(ed25519.getPublicKey(sk)).toString('hex')).toBe(v.publicKey);
        expect(Buffer.from(ed25519.sign(msg, sk)).toString('hex')).toBe(v.signature);
        expect(ed25519.verify(hex(v.signature), msg, hex(v.publicKey))).toBe(true);
        expect(ed25519.verify(hex(v.signature), msg, hex(v.publicKey), { strict: true })).toBe(true);
        expect(ed25519.verifyBatch([{ signature: hex(v.signature), message: msg, publicKey: hex(v.publicKey) }])).toEqual([true]);
      });
    }
  }
});

describe.skipIf(!haveVectors)(`Ed25519 Wycheproof ed25519_test.json (../shared/vectors/ed25519) ${haveVectors ? '' : missingVectorsReason}`, () => {
  const file = haveVectors ? readVectors<Wycheproof>('ed25519', 'wycheproof_ed25519_test.json') : { testGroups: [] };
  const cases = file.testGroups.flatMap((g) => g.tests.map((t) => ({ ...t, pk: g.publicKey.pk })));

  it('has all 151 cases', () => expect(cases.length).toBe(151));

  for (const name of backends) {
    const { ed25519 } = createBackend(name);
    it(`${name}: { strict: true } gives Wycheproof's expected result on every case`, () => {
      const wrong = cases.filter((t) => ed25519.verify(hex(t.sig), hex(t.msg), hex(t.pk), { strict: true }) !== (t.result === 'valid'));
      expect(wrong.map((t) => `${t.tcId} ${t.comment}`)).toEqual([]);
    });

    it(`${name}: the default rule accepts every valid case, and verifyBatch equals verify`, () => {
      const items = cases.map((t) => ({ signature: hex(t.sig), message: hex(t.msg), publicKey: hex(t.pk) }));
      const single = items.map((i) => ed25519.verify(i.signature, i.message, i.publicKey));
      for (const [k, t] of cases.entries()) if (t.result === 'valid') expect(single[k], `tcId ${t.tcId}`).toBe(true);
      expect(ed25519.verifyBatch(items)).toEqual(single);
    });
  }
});
