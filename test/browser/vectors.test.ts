import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserPage, chromiumPath, missingChromiumReason, openPage } from '../_support/browser.js';
import { testSeed } from '../_support/seed.js';
import { haveVectors, missingVectorsReason } from '../_support/vectors.js';
import type { Outcome } from './pages/vectors.js';

// The official vectors and the differential checks, run in headless Chromium on the package as
// a browser app bundles it: SIMD as the page detects it, and scalar forced (test/_support/browser.ts).

const skip = chromiumPath === null || !haveVectors;
const reason = chromiumPath === null ? missingChromiumReason : haveVectors ? '' : missingVectorsReason;

describe.skipIf(skip)(`in Chromium: vectors and differential checks on both backends ${reason}`, () => {
  let page: BrowserPage;
  beforeAll(async () => {
    page = await openPage('test/browser/pages/vectors.ts');
  }, 60_000);
  afterAll(async () => {
    await page?.close();
  });

  // A browser bundle carries no WASM build: init() fetches the one it runs (its own chunk, or a
  // lazily evaluated part of a single-file bundle). So a call before init() cannot compile
  // anything and says what to do.
  it('a call before init() throws NotInitializedError naming `await init()`', async () => {
    const r = await page.call<{ error: { name: string; code: string; message: string } }>('callBeforeInit');
    expect(r.error).toMatchObject({ name: 'NotInitializedError', code: 'ERR_NOT_INITIALIZED' });
    expect(r.error.message).toMatch(/call `await init\(\)` first/);
  });

  it('features() reports what the page got: SIMD detected and chosen, scalar when forced', async () => {
    const detected = await page.call<{ installed: string; features: { simd: boolean; backend: string; threads: boolean }; engineSimd: boolean; crossOriginIsolated: boolean }>('featuresAfterInit', 'detected');
    expect(detected.engineSimd).toBe(true); // Chromium ≥ 91 has WASM SIMD: the detected page must be on it
    expect(detected.installed).toBe('simd');
    expect(detected.features).toMatchObject({ simd: true, backend: 'simd' });
    // Shared memory needs a cross-origin-isolated page; this one is not, and the report says so.
    expect(detected.features.threads).toBe(detected.crossOriginIsolated);
    const forced = await page.call<{ installed: string; features: { backend: string; simd: boolean } }>('featuresAfterInit', 'scalar');
    expect(forced.installed).toBe('scalar');
    expect(forced.features).toMatchObject({ simd: true, backend: 'scalar' });
  });

  // Exact counts: BLAKE3 35 lengths × 3 modes + SHA-256 78 + SHA-512 142; Merkle 9 roots + 36 inclusion + 36 consistency;
  // Ed25519 RFC 8032 5 + Wycheproof 151 + one batch check + CCTV 914.
  const suites: [string, string, number][] = [
    ['BLAKE3 and SHA-256/512 official vectors', 'hashVectors', 325],
    ['RFC 6962 / 9162 Merkle vectors', 'merkleVectors', 81],
    ['Ed25519 RFC 8032, Wycheproof and CCTV (strict and ZIP-215, verifyBatch = verify)', 'ed25519Vectors', 1071],
    ['ECVRF RFC 9381 examples (TAI and ELL2)', 'vrfVectors', 6],
  ];
  for (const backend of ['detected', 'scalar'] as const) {
    for (const [title, fn, count] of suites) {
      it(`${backend}: ${title}`, async () => {
        const r = await page.call<Outcome>(fn, backend);
        expect(r.backend).toBe(backend === 'detected' ? 'simd' : 'scalar');
        expect(r.wrong).toEqual([]);
        expect(r.checked).toBe(count);
      }, 60_000);
    }
    it(`${backend}: hashes agree with WebCrypto and @noble/hashes on random inputs and batches`, async () => {
      const r = await page.call<Outcome>('hashDifferential', backend, testSeed(`browser hashes ${backend}`));
      expect(r.wrong).toEqual([]);
      expect(r.checked).toBe(320);
    }, 60_000);
    it(`${backend}: Ed25519 agrees with @noble/curves and WebCrypto Ed25519; verifyBatch finds the bad item`, async () => {
      const r = await page.call<Outcome>('ed25519Differential', backend, testSeed(`browser ed25519 ${backend}`));
      expect(r.wrong).toEqual([]);
      expect(r.checked).toBe(49);
    }, 60_000);
  }

  it('the page logged no error', () => expect(page.errors).toEqual([]));
});

// README's Content-Security-Policy note, checked: the embedded WASM is compiled from bytes, so a
// page needs 'wasm-unsafe-eval'; without it the first call says why instead of a bare CompileError.
describe.skipIf(chromiumPath === null)(`in Chromium: under a Content-Security-Policy ${chromiumPath === null ? missingChromiumReason : ''}`, () => {
  it("script-src 'self' alone: init() rejects with the engine's CompileError, and calls stay NotInitializedError", async () => {
    const page = await openPage('test/browser/pages/vectors.ts', { headers: { 'content-security-policy': "script-src 'self'" } });
    try {
      const r = await page.call<{ initialized: Record<string, string>; after: Record<string, string> }>('underPolicy');
      expect(r.initialized).toMatchObject({ name: 'CompileError' });
      expect(r.initialized.message).toMatch(/Content Security Policy|unsafe-eval/i);
      expect(r.after).toMatchObject({ name: 'NotInitializedError', code: 'ERR_NOT_INITIALIZED' });
      expect(r.after.message).toMatch(/await init\(\)/);
    } finally {
      await page.close();
    }
  }, 60_000);

  it("script-src 'self' 'wasm-unsafe-eval': both backends run", async () => {
    const page = await openPage('test/browser/pages/vectors.ts', { headers: { 'content-security-policy': "script-src 'self' 'wasm-unsafe-eval'" } });
    try {
      expect(await page.call('underPolicy')).toEqual({ initialized: { backend: 'simd' }, after: { digest: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' } });
      expect((await page.call<Outcome>('hashVectors', 'scalar')).wrong).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);
});
