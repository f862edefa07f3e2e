import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, missingChromiumReason, openBuiltApp } from '../_support/browser.js';

// The package as a Vite user meets it: an app page that only hashes (test/browser/apps/hash),
// built by `vite build` with its defaults from the built package (npm test builds dist/ first),
// then opened in Chromium. esbuild's side is test/browser/bundle.test.ts (every entry) and the
// vector suites (test/browser/vectors.test.ts run on an esbuild bundle).

const root = fileURLToPath(new URL('../..', import.meta.url));
const app = join(root, 'test/browser/apps/hash');
const NODE_ONLY = /\b(?:node:\w+|worker_threads|piscina|prom-client)\b|\brequire\(\s*["'](?:fs|util|os|path|crypto)["']/;
const ABC = { sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', blake3: '6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85' };

describe('Vite builds a page that imports swarmguard/hash', () => {
  let out: string;
  let js: string;
  let assets: string[];
  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'swarmguard-vite-'));
    const { build } = await import('vite');
    await build({ root: app, logLevel: 'silent', configFile: false, build: { outDir: out, emptyOutDir: true } });
    assets = readdirSync(join(out, 'assets')).filter((f) => f.endsWith('.js'));
    js = assets.map((f) => readFileSync(join(out, 'assets', f), 'utf8')).join('\n');
  }, 120_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('with no Node built-in, no Node-only package and none of the signature code', () => {
    expect(js.length).toBeGreaterThan(0);
    expect(NODE_ONLY.exec(js)?.[0]).toBeUndefined();
    // The TypeScript of Ed25519/VRF and ML-DSA is tree-shaken away; each WASM build is a chunk of
    // its own, emitted for every family (one dynamic import each in src/wasm/builds.ts), of which
    // init() fetches the hash family's (test/browser/chunks.test.ts watches which).
    expect(js).not.toMatch(/verifyBatch|proofToHash/);
    expect(assets.map((f) => f.replace(/-.*$/, '')).filter((f) => /Scalar|Simd/.test(f)).sort()).toEqual(['hashScalar', 'hashSimd', 'pqScalar', 'pqSimd', 'sigScalar', 'sigSimd']);
    console.log(`vite hash page: ${(js.length / 1000).toFixed(1)} kB min, ${(gzipSync(js).length / 1000).toFixed(1)} kB min+gzip`);
  });

  describe.skipIf(chromiumPath === null)(`and the page runs in Chromium ${chromiumPath === null ? missingChromiumReason : ''}`, () => {
    it('hashes "abc" right on the detected (SIMD) and the forced scalar backend', async () => {
      const page = await openBuiltApp(out);
      try {
        expect(await page.call('digests')).toEqual({ backend: 'simd', ...ABC });
        expect(await page.call('digests', 'scalar')).toEqual({ backend: 'scalar', ...ABC });
        expect(page.errors).toEqual([]);
      } finally {
        await page.close();
      }
    }, 60_000);
  });
});
