import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';
import { bundleForBrowser } from '../../src/bench/browser/bundle.js';

// bundleForBrowser applies the package's `browser` map to the sources too, so a page bundled from
// src/ (bench browser run from the sources) gets what an app's bundler gets from dist/: no Node
// built-in and no embedded WASM build.

describe('bundleForBrowser', () => {
  it('bundles a module of the sources for the browser with the browser map applied', async () => {
    const code = await bundleForBrowser(esbuild, { source: "export { sha256 } from './src/hash/index.js'; export { init } from './src/backend/index.js';", resolveDir: fileURLToPath(new URL('../..', import.meta.url)) });
    expect(code).not.toMatch(/node:zlib|inflateSync/);
    expect(code).toMatch(/generated\/hashSimd/); // the build is there only as the module init() imports
  });
});
