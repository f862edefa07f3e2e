import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/index.js';
import { instantiateTestBuild } from '../_support/testBuild.js';
import { vrfProveWithTrace } from '../_support/vrfTrace.js';
import { haveVectors, hex, missingVectorsReason, readVectors } from '../_support/vectors.js';

interface VrfExample {
  example: number;
  SK: string;
  PK: string;
  alpha: string;
  H: string;
  k: string;
  U: string;
  V: string;
  pi: string;
  beta: string;
}
interface VrfFile {
  suites: { suite: string; suite_string: string; examples: VrfExample[] }[];
}

const toHex = (b: Uint8Array | null) => (b ? Buffer.from(b).toString('hex') : null);

describe.skipIf(!haveVectors)(`ECVRF RFC 9381 examples 16-21 (../shared/vectors/vrf) ${haveVectors ? '' : missingVectorsReason}`, () => {
  const file = haveVectors ? readVectors<VrfFile>('vrf', 'rfc9381_ecvrf_edwards25519.json') : { suites: [] };
  const examples = file.suites.flatMap((s) => s.examples.map((e) => ({ ...e, suite: (s.suite_string === '03' ? 'TAI' : 'ELL2') as 'TAI' | 'ELL2' })));

  it('has three TAI and three ELL2 examples', () => {
    expect(examples.map((e) => e.suite)).toEqual(['TAI', 'TAI', 'TAI', 'ELL2', 'ELL2', 'ELL2']);
  });

  for (const name of ['scalar', 'simd'] as const) {
    const { vrf, ed25519 } = createBackend(name);
    const instance = instantiateTestBuild(name);
    for (const e of examples) {
      it(`${name}: example ${e.example} (${e.suite}) — H, k, U, V, pi, beta; verify and proofToHash`, () => {
        const options = { suite: e.suite };
        expect(toHex(ed25519.getPublicKey(hex(e.SK)))).toBe(e.PK);
        const { proof, trace } = vrfProveWithTrace(instance, hex(e.alpha), hex(e.SK), options);
        expect(toHex(trace.H)).toBe(e.H);
        expect(toHex(trace.k)).toBe(e.k);
        expect(toHex(trace.U)).toBe(e.U);
        expect(toHex(trace.V)).toBe(e.V);
        expect(toHex(proof)).toBe(e.pi);
        expect(toHex(vrf.prove(hex(e.alpha), hex(e.SK), options))).toBe(e.pi);
        expect(toHex(vrf.verify(hex(e.pi), hex(e.alpha), hex(e.PK), options))).toBe(e.beta);
        expect(toHex(vrf.proofToHash(hex(e.pi), options))).toBe(e.beta);
        // The other suite, another alpha, or a flipped proof bit must not verify.
        expect(vrf.verify(hex(e.pi), hex(e.alpha), hex(e.PK), { suite: e.suite === 'TAI' ? 'ELL2' : 'TAI' })).toBeNull();
        expect(vrf.verify(hex(e.pi), new Uint8Array([...hex(e.alpha), 0]), hex(e.PK), options)).toBeNull();
        for (const bit of [0, 300, 400, 639]) {
          const pi = hex(e.pi);
          pi[bit >> 3] ^= 1 << (bit & 7);
          expect(vrf.verify(pi, hex(e.alpha), hex(e.PK), options)).toBeNull();
        }
      });
    }
  }
});
