import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as simd from '../../src/wasm/generated/simd.js';
import { embeddedWasm } from '../../src/wasm/embedded.js';
import { embeddedWasm as inBrowsers } from '../../src/wasm/embeddedBrowser.js';

// The builds as Node decodes them (base64, the simd one inflated) are byte for byte the modules
// assembly/build.mjs compiled; the browser variant embeds nothing.

const build = (target: string) => new Uint8Array(readFileSync(fileURLToPath(new URL(`../../build/${target}.wasm`, import.meta.url))));

describe('embedded WASM builds', () => {
  for (const backend of ['scalar', 'simd'] as const) {
    it(`${backend}: decodes to the module the build wrote`, () => {
      // Buffer.equals: toEqual walks 157 kB element by element.
      expect(Buffer.from(embeddedWasm(backend) ?? []).equals(build(backend))).toBe(true);
    });
  }

  it('ships the simd build deflated, and a page bundle with none', () => {
    expect(simd.deflated).toBe(true);
    expect(simd.base64.length).toBeLessThan(build('simd').length / 2);
    expect(inBrowsers('scalar')).toBeUndefined();
    expect(inBrowsers('simd')).toBeUndefined();
  });
});
