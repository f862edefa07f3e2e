import { describe, expect, it } from 'vitest';
import { measurePage, PAGES } from '../../bench/pageSizes.js';

// The bytes a page pays (bench/pageSizes.ts: its JavaScript plus the simd builds init() fetches,
// gzipped), held to each page's budget with 10 % of slack; `npm run bundles` prints them all.

describe('page sizes (esbuild, minified, split; gzip)', () => {
  for (const { label, source, budget } of PAGES.filter((p) => p.budget !== undefined)) {
    it(`${label}: within 10 % of its ${((budget as number) / 1000).toFixed(1)} kB budget`, async () => {
      const { js, wasm } = await measurePage(source);
      const total = js.gzip + wasm.gzip;
      console.log(`${label}: ${(js.gzip / 1000).toFixed(1)} kB JS + ${(wasm.gzip / 1000).toFixed(1)} kB WASM (gzip)`);
      expect(total, `${source}: ${total} bytes`).toBeLessThanOrEqual((budget as number) * 1.1);
    });
  }

  it('a page fetches only the builds of the families it uses, and the breaker page none', async () => {
    expect((await measurePage("export * from 'swarmguard/hash';")).families).toEqual(['hash']);
    expect((await measurePage("export { ed25519, vrf } from 'swarmguard/sig';")).families).toEqual(['sig']);
    // ML-DSA is a family of its own: an Ed25519 page never fetches it, an ML-DSA page only it.
    expect((await measurePage("export { mldsa44 } from 'swarmguard/sig';")).families).toEqual(['pq']);
    expect((await measurePage("export * from 'swarmguard/sig';")).families).toEqual(['pq', 'sig']);
    expect((await measurePage("export { verifyInclusion } from 'swarmguard/merkle';")).families).toEqual(['hash']);
    expect((await measurePage("export { CircuitBreaker } from 'swarmguard/resilience';")).families).toEqual([]);
    // It verifies Ed25519 + ML-DSA-65 networks' certificates too, but loads ML-DSA's build only for one (LightClient.open).
    expect((await measurePage("export * from 'swarmguard/light';")).families).toEqual(['hash', 'sig']);
  });
});
