import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserPage, chromiumPath, missingChromiumReason, openPage } from '../_support/browser.js';
import { testSeed } from '../_support/seed.js';
import { haveVectors, missingVectorsReason } from '../_support/vectors.js';

// ML-DSA in headless Chromium, through the package as a browser app bundles it: init() fetches
// the pq family's build (SIMD detected, or scalar forced), then the Wycheproof subsets and the
// seeded agreement with @noble/post-quantum run in the page.

const skip = chromiumPath === null || !haveVectors;
const reason = chromiumPath === null ? missingChromiumReason : haveVectors ? '' : missingVectorsReason;

describe.skipIf(skip)(`in Chromium: ML-DSA on both backends ${reason}`, () => {
  let page: BrowserPage;
  beforeAll(async () => {
    page = await openPage('test/browser/pages/mldsa.ts');
  }, 60_000);
  afterAll(async () => {
    await page?.close();
  });

  for (const backend of ['detected', 'scalar'] as const) {
    it(`${backend}: Wycheproof ML-DSA-44/65/87 verify subsets, and keys and signatures equal to noble's`, async () => {
      const r = await page.call<{ backend: string; checked: number; wrong: string[] }>('mldsaChecks', backend, testSeed(`mldsa in Chromium ${backend}`));
      expect(r.backend).toBe(backend === 'detected' ? 'simd' : 'scalar');
      expect(r.wrong).toEqual([]);
      expect(r.checked).toBe(49 + 47 + 49 + 9);
    }, 60_000);
  }
});
