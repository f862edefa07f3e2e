import { describe, expect, it } from 'vitest';
import { chromiumPath, missingChromiumReason, openPage } from '../_support/browser.js';

// The WASM builds as separately loaded files, checked in Chromium: pages bundled with code
// splitting (every build is a chunk of its own), and the paths each page requests. init() fetches
// the simd build of the families the page uses and nothing else; the scalar build only when
// asked for.

const ABC = { sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', blake3: '6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85' };
const builds = (requests: string[]) => requests.filter((p) => /^\/(?:hash|sig|pq)(?:Scalar|Simd)-/.test(p)).map((p) => p.replace(/-.*$/, '').slice(1));

describe.skipIf(chromiumPath === null)(`in Chromium: each page fetches only the WASM builds it runs ${chromiumPath === null ? missingChromiumReason : ''}`, () => {
  it('a hashing page: the hash family on simd at init(), the scalar build only when forced, never the signature builds', async () => {
    const page = await openPage('test/browser/pages/hashOnly.ts', { split: true });
    try {
      expect(builds(page.requests)).toEqual([]);
      expect(await page.call('digests')).toEqual({ backend: 'simd', ...ABC });
      expect(builds(page.requests)).toEqual(['hashSimd']);
      expect(await page.call('digests', 'scalar')).toEqual({ backend: 'scalar', ...ABC });
      expect(builds(page.requests)).toEqual(['hashSimd', 'hashScalar']);
      expect(page.errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('an engine without DecompressionStream gets the scalar builds, and a refusal naming why if it asks for simd', async () => {
    const page = await openPage('test/browser/pages/hashOnly.ts', { split: true });
    try {
      const r = await page.call<{ chosen: string; forced: { name: string; message: string } | null; sha256: string }>('withoutDecompressionStream');
      expect(r).toMatchObject({ chosen: 'scalar', sha256: ABC.sha256, forced: { name: 'UnsupportedBackendError' } });
      expect(r.forced?.message).toMatch(/DecompressionStream; use the scalar backend/);
      expect(builds(page.requests)).toEqual(['hashScalar', 'hashSimd']);
    } finally {
      await page.close();
    }
  }, 60_000);

  it("a light-client page: the hash and signature builds; ML-DSA's only once it opens on an Ed25519 + ML-DSA-65 network", async () => {
    const page = await openPage('test/browser/pages/lightOpen.ts', { split: true });
    try {
      expect(await page.call('opens', 'ed25519')).toBe(0);
      expect(builds(page.requests).sort()).toEqual(['hashSimd', 'sigSimd']);
      expect(await page.call('opens', 'ed25519+mldsa65')).toBe(0);
      expect(builds(page.requests).sort()).toEqual(['hashSimd', 'pqSimd', 'sigSimd']);
      expect(page.errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);

  it('a signing page: the signature family on simd, never the hash builds', async () => {
    const page = await openPage('test/browser/pages/signOnly.ts', { split: true });
    try {
      expect(await page.call('signs')).toBe(true);
      expect(builds(page.requests)).toEqual(['sigSimd']);
      expect(page.errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);
});
