import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type PackedApp, packedApp } from '../_support/packedApp.js';

// The README's examples as a newcomer runs them: copied out of the README unchanged into a fresh
// app that installed the packed tarball (npm test builds dist/ first), and run with Node.

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The first ```ts block after `heading`. */
function example(heading: string): string {
  const at = readme.indexOf(heading);
  expect(at, heading).toBeGreaterThan(-1);
  const start = readme.indexOf('```ts\n', at);
  return readme.slice(start + 6, readme.indexOf('```', start + 6));
}

describe('README', () => {
  let app: PackedApp;
  beforeAll(async () => {
    app = await packedApp();
  });

  it('the first example runs as written against the installed package and prints what its comments say', async () => {
    const code = example('## A first example');
    expect(code).toContain("from 'swarmguard'");
    const r = await app.node([app.write('first.mjs', code)]);
    expect(r.stderr).toBe('');
    expect(r).toMatchObject({ code: 0, stdout: 'true\n[ true ]\n' });
  });

  it("the browser example (\"Use in the browser\") runs as written in Node too: init() resolves, then the same calls", async () => {
    const code = example('## Use in the browser');
    expect(code).toContain("from 'swarmguard/hash'");
    const r = await app.node([app.write('app.mjs', code)]);
    expect(r.stderr).toBe('');
    expect(r).toMatchObject({ code: 0, stdout: 'simd\ntrue\n' });
  });
});
