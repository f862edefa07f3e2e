import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build, type BuildFailure, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { browserTarget, type Conditions } from '../_support/exportsMap.js';

// What a browser app gets: each entry of the package, imported by name and bundled by esbuild for
// the browser platform from the built dist/ (npm test builds it first), the way an app's bundler
// resolves it through the exports map. A Node built-in or a Node-only package anywhere in the
// graph fails the build; the bundle must hold only the package's own modules and expose the same
// names as the entry does on Node. The Node-only subpaths must be refused, by name.

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { exports: Record<string, string | Conditions> };
const subpaths = Object.entries(pkg.exports).filter(([subpath]) => subpath !== './package.json');
const browserSafe = subpaths.filter(([, c]) => typeof c === 'object' && browserTarget(c) !== null).map(([s]) => s);
const nodeOnly = subpaths.filter(([, c]) => browserTarget(c) === null).map(([s]) => s);
const specifier = (subpath: string) => `swarmguard${subpath.slice(1)}`;
/** What a browser bundle of this package must never contain. */
const NODE_ONLY = /\b(?:node:\w+|worker_threads|piscina|prom-client|cluster|child_process)\b|\brequire\(\s*["'](?:fs|util|os|path|crypto)["']/;

async function bundle(subpath: string): Promise<{ code: string; metafile: Metafile }> {
  const result = await build({
    stdin: { contents: `export * from '${specifier(subpath)}';`, resolveDir: root, loader: 'js' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    minify: true, // comments go, so only code is searched for Node names
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return { code: result.outputFiles[0].text, metafile: result.metafile };
}

describe('browser bundles (esbuild --platform=browser)', () => {
  it('covers the root and the browser-safe subpaths, and refuses the Node-only ones', () => {
    expect(browserSafe).toEqual(['.', './hash', './merkle', './sig', './resilience', './consensus', './consensus/wire', './sim', './storage', './tx', './validators', './light', './pool']);
    expect(nodeOnly).toEqual(['./metrics', './node']);
  });

  for (const subpath of browserSafe) {
    it(`bundles ${specifier(subpath)} from the package's own modules, with its Node API`, async () => {
      const { code, metafile } = await bundle(subpath);
      const inputs = Object.keys(metafile.inputs).filter((i) => i !== '<stdin>');
      expect(inputs.filter((i) => !i.startsWith('dist/src/'))).toEqual([]);
      expect(inputs.filter((i) => /^dist\/src\/(?:pool|node|metrics|cli|bench)\//.test(i))).toEqual([]);
      const external = Object.values(metafile.inputs).flatMap((i) => i.imports.filter((m) => m.external).map((m) => m.path));
      expect(external).toEqual([]);
      expect(NODE_ONLY.exec(code)?.[0]).toBeUndefined();
      // `swarmguard/pool` has a module per platform (worker threads, Web Workers) with one API.
      const conditions = pkg.exports[subpath] as Record<string, string | null>;
      const onNode = Object.keys(await import(`${root}/${conditions.default ?? conditions.node}`)).sort();
      expect(onNode.length).toBeGreaterThan(0);
      expect(Object.values(metafile.outputs)[0].exports.sort()).toEqual(onNode);
    });
  }

  // Entries that neither hash nor sign must not carry the embedded WASM (~290 kB): a module-level
  // call the bundler cannot prove pure (e.g. an Object.assign without /* @__PURE__ */) would keep it.
  for (const subpath of ['./consensus/wire', './resilience', './storage']) {
    it(`leaves the WASM out of ${specifier(subpath)}`, async () => {
      const { metafile } = await bundle(subpath);
      const output = Object.values(metafile.outputs)[0];
      const wasm = Object.entries(output.inputs).filter(([i, { bytesInOutput }]) => /^dist\/src\/wasm\/generated\//.test(i) && bytesInOutput > 0);
      expect(wasm).toEqual([]);
      expect(output.bytes).toBeLessThan(50_000);
    });
  }

  for (const subpath of nodeOnly) {
    it(`refuses ${specifier(subpath)} to a browser bundle, naming the package's choice`, async () => {
      const failure = (await bundle(subpath).catch((err: BuildFailure) => err)) as BuildFailure;
      expect(failure.errors?.[0]?.notes?.[0]?.text).toMatch(/cannot be imported from package "swarmguard" because it was explicitly disabled by the package author/);
    });
  }
});
