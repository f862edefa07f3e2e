import { describe, expect, it } from 'vitest';
import { compiledModule, instantiate } from '../../src/wasm/index.js';
import { instantiateTestBuild } from '../_support/testBuild.js';

const TEST_ONLY = [
  'ed25519DoubleScalarMult',
  'ed25519FeInvert',
  'ed25519FeMul',
  'ed25519PointAdd',
  'ed25519PointDecode',
  'ed25519ScalarMultBase',
  'ed25519ScHalfSize',
  'ed25519ScIsCanonical',
  'ed25519ScMulAdd',
  'ed25519ScReduce64',
  'ed25519ScSumProducts',
  'vrfProveWithTrace',
];

function kernelNames(module: WebAssembly.Module): string[] {
  return WebAssembly.Module.exports(module)
    .filter((e) => e.kind === 'function')
    .map((e) => e.name)
    .sort();
}

describe('kernel ABI', () => {
  it('scalar and simd export the same kernels, all camelCase with the algorithm first, none of them test-only', () => {
    for (const family of ['hash', 'sig', 'pq'] as const) {
      const scalar = kernelNames(compiledModule(family, 'scalar'));
      expect(kernelNames(compiledModule(family, 'simd'))).toEqual(scalar);
      for (const name of scalar) expect(name, name).toMatch(/^(scratchBase|(sha256|sha512|blake3|merkle|ed25519|vrf|mldsa)[A-Z][A-Za-z0-9]*)$/);
      expect(scalar.filter((name) => TEST_ONLY.includes(name))).toEqual([]);
    }
    // Dead since the Merkle code reduces levels with merkleReduce / merkleExtend.
    expect(kernelNames(compiledModule('hash', 'scalar'))).not.toContain('merkleHashNodes');
  });

  it('splits the kernels by family: hashing and Merkle, signatures and VRF (their SHA-512 inside), ML-DSA (its SHAKE inside)', () => {
    const families = { hash: kernelNames(compiledModule('hash', 'scalar')), sig: kernelNames(compiledModule('sig', 'scalar')), pq: kernelNames(compiledModule('pq', 'scalar')) };
    expect(families.hash.filter((n) => !/^(scratchBase|(sha256|sha512|blake3|merkle)[A-Z]\w*)$/.test(n))).toEqual([]);
    expect(families.sig.filter((n) => !/^(scratchBase|(ed25519|vrf)[A-Z]\w*)$/.test(n))).toEqual([]);
    expect(families.pq.filter((n) => !/^(scratchBase|mldsa[A-Z]\w*)$/.test(n))).toEqual([]);
    expect(families.hash.filter((n) => families.sig.includes(n) || families.pq.includes(n))).toEqual(['scratchBase']);
  });

  it('the test builds hold every shipped kernel of every family plus the test-only ones, in both backends', () => {
    const shipped = [...new Set((['hash', 'sig', 'pq'] as const).flatMap((family) => kernelNames(compiledModule(family, 'scalar'))))];
    for (const backend of ['scalar', 'simd'] as const) {
      const names = Object.keys(instantiateTestBuild(backend).kernels).filter((n) => n !== 'memory').sort();
      expect(names).toEqual([...shipped, ...TEST_ONLY].sort());
    }
  });

  it('kernels are typed: a misspelt name, a wrong argument count or a kernel of the other family does not compile', () => {
    const kernels = instantiate('hash', 'scalar').kernels;
    // @ts-expect-error: the old snake_case name is gone
    expect(kernels.sha256_many).toBeUndefined();
    // @ts-expect-error: sha256Digest takes (ptr, len, outPtr)
    const wrongCount = () => kernels.sha256Digest(0, 0);
    expect(typeof wrongCount).toBe('function');
    // @ts-expect-error: Ed25519 is in the sig family's module
    expect(kernels.ed25519Verify).toBeUndefined();
  });
});
