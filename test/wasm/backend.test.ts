import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createBackend, features, init, UnsupportedBackendError } from '../../src/index.js';
import { mldsa65, mldsa65OnDemand } from '../../src/sig/index.js';
import { detectFeatures, instantiate, preferredBackend } from '../../src/wasm/index.js';
import { expectRefusal, expectRejection } from '../_support/refusals.js';

describe('backend selection', () => {
  it('detects SIMD on this Node and prefers it unless SWARMGUARD_BACKEND says otherwise', () => {
    const host = detectFeatures();
    expect(host.simd).toBe(true);
    const env = process.env.SWARMGUARD_BACKEND;
    expect(preferredBackend()).toBe(env === 'scalar' || env === 'simd' ? env : 'simd');
  });

  it('features() reports the host and the backend in use', () => {
    const f = features();
    expect(Object.keys(f).sort()).toEqual(['backend', 'relaxedSimd', 'simd', 'threads']);
    expect(typeof f.relaxedSimd).toBe('boolean');
    expect(f.threads).toBe(typeof SharedArrayBuffer === 'function');
  });

  it('init({ backend }) switches the default backend', async () => {
    expect((await init({ backend: 'scalar' })).backend).toBe('scalar');
    expect(features().backend).toBe('scalar');
    expect((await init({ backend: 'simd' })).backend).toBe('simd');
  });

  it('refuses unknown backend names with a RangeError naming the function, and wrong types with a TypeError', async () => {
    expectRefusal(() => createBackend('avx' as never), 'range', 'createBackend', 'name', "must be one of 'scalar', 'simd', got 'avx'");
    expectRefusal(() => createBackend(1 as never), 'type', 'createBackend', 'name');
    await expectRejection(() => init({ backend: 'gpu' as never }), 'range', 'init', 'options.backend');
    await expectRejection(() => init(null as never), 'type', 'init', 'options');
    await expectRejection(() => init({ families: 'pq' as never }), 'type', 'init', 'options.families');
    await expectRejection(() => init({ families: ['pq', 'gpu' as never] }), 'range', 'init', 'options.families[1]');
  });

  it('init({ families }) also loads families read on demand (ML-DSA for hybrid consensus)', async () => {
    expect((await init({ backend: 'scalar', families: ['pq'] })).backend).toBe('scalar');
    const seed = new Uint8Array(32).fill(7);
    const { publicKey, secretKey } = mldsa65.generateKeyPair(seed);
    const signature = mldsa65OnDemand.sign(new Uint8Array([1]), secretKey, { deterministic: true });
    // The on-demand reader and the default ML-DSA-65 share the one pq instance: same keys, same signatures.
    expect(signature).toEqual(mldsa65.sign(new Uint8Array([1]), secretKey, { deterministic: true }));
    expect(mldsa65OnDemand.verify(signature, new Uint8Array([1]), publicKey)).toBe(true);
    expect((await init({ backend: 'simd' })).backend).toBe('simd');
  });

  it('gives each backend its own memory', () => {
    const a = instantiate('hash', 'scalar');
    const b = instantiate('hash', 'scalar');
    const pa = a.put(new Uint8Array([1, 2, 3]));
    b.put(new Uint8Array([9, 9, 9]));
    expect([...a.read(pa, 3)]).toEqual([1, 2, 3]);
  });

  it('grows memory on demand and keeps earlier scratch intact', () => {
    const inst = instantiate('hash', 'simd');
    const first = inst.put(new Uint8Array([7, 7, 7, 7]));
    const big = inst.alloc(8 * 65536);
    inst.u8[big + 8 * 65536 - 1] = 5;
    expect([...inst.read(first, 4)]).toEqual([7, 7, 7, 7]);
    expect(inst.u8[big + 8 * 65536 - 1]).toBe(5);
  });

  it('aligns allocations and gives scratch back at release, also when a scoped body throws', () => {
    const inst = instantiate('hash', 'scalar');
    const mark = inst.mark();
    inst.alloc(3, 1);
    expect(inst.alloc(5, 16) % 16).toBe(0);
    expect(inst.alloc(1, 8) % 8).toBe(0);
    inst.release(mark);
    expect(inst.mark()).toBe(mark);
    expect(() =>
      inst.scoped(() => {
        inst.alloc(100);
        throw new Error('inside');
      }),
    ).toThrow('inside');
    expect(inst.mark()).toBe(mark);
  });

  it('refuses an unknown SWARMGUARD_BACKEND with a RangeError naming it', () => {
    const saved = process.env.SWARMGUARD_BACKEND;
    process.env.SWARMGUARD_BACKEND = 'gpu';
    try {
      expectRefusal(() => preferredBackend(), 'range', 'environment', 'SWARMGUARD_BACKEND', "must be one of 'scalar', 'simd', got 'gpu'");
    } finally {
      if (saved === undefined) delete process.env.SWARMGUARD_BACKEND;
      else process.env.SWARMGUARD_BACKEND = saved;
    }
  });

  it('the first hash under an unknown SWARMGUARD_BACKEND throws that RangeError, not NotInitializedError', () => {
    // A fresh process: this one already has its default instance.
    const entry = fileURLToPath(new URL('../../dist/src/index.js', import.meta.url));
    const script = `import { sha256 } from ${JSON.stringify(entry)};
try { sha256('x'); } catch (err) { console.log(err.name, err.code, err.message); }`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, SWARMGUARD_BACKEND: 'gpu' }, encoding: 'utf8' });
    expect(out.trim()).toBe("ArgumentRangeError ERR_OUT_OF_RANGE environment: SWARMGUARD_BACKEND must be one of 'scalar', 'simd', got 'gpu'");
  });

  it('UnsupportedBackendError carries a stable code', () => {
    expect(new UnsupportedBackendError('x').code).toBe('ERR_UNSUPPORTED_BACKEND');
  });
});
