import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { embeddedWasm } from '../../src/wasm/embedded.js';
import { embeddedWasm as inBrowsers } from '../../src/wasm/embeddedBrowser.js';
import * as hashSimd from '../../src/wasm/generated/hashSimd.js';
import * as sigScalar from '../../src/wasm/generated/sigScalar.js';

// The builds as Node decodes them (base64, the simd ones inflated) are byte for byte the modules
// assembly/build.mjs compiled; the browser variant embeds none.

const build = (name: string) => readFileSync(fileURLToPath(new URL(`../../build/${name}.wasm`, import.meta.url)));

describe('embedded WASM builds', () => {
  for (const family of ['hash', 'sig'] as const) {
    for (const backend of ['scalar', 'simd'] as const) {
      it(`${family} ${backend}: decodes to the module the build wrote`, () => {
        // Buffer.equals: toEqual walks 100 kB element by element.
        expect(Buffer.from(embeddedWasm(family, backend) ?? []).equals(build(`${family}${backend === 'simd' ? 'Simd' : 'Scalar'}`))).toBe(true);
      });
    }
  }

  it('ships the simd builds deflated, the scalar ones as they are, and a page bundle with none', () => {
    expect(hashSimd.deflated).toBe(true);
    expect(hashSimd.base64.length).toBeLessThan(build('hashSimd').length / 2);
    expect(sigScalar.deflated).toBe(false);
    expect(inBrowsers('hash', 'simd')).toBeUndefined();
    expect(inBrowsers('sig', 'scalar')).toBeUndefined();
  });
});
