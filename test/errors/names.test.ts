import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { browserTarget, type Conditions } from '../_support/exportsMap.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
/** Names chosen on purpose: an aborted pool task is an `AbortError`, as fetch's and AbortSignal's are. */
const CHOSEN: Record<string, string> = { TaskAbortedError: 'AbortError' };
const nodeEntries = ['swarmguard', 'swarmguard/tx', 'swarmguard/consensus', 'swarmguard/resilience', 'swarmguard/storage', 'swarmguard/pool', 'swarmguard/validators', 'swarmguard/light'];
/** Every entry the exports map lets a browser bundle (the module a browser bundler resolves is not null). */
const browserEntries = Object.entries(pkg.exports)
  .filter(([subpath, target]) => subpath !== './package.json' && browserTarget(target as Conditions) !== null)
  .map(([subpath]) => `swarmguard${subpath.slice(1)}`);

/** Bundles `export *` of `entries` minified for `platform`, loads the bundle in Node and returns its exports. */
async function minifiedExports(entries: string[], platform: 'node' | 'browser'): Promise<Record<string, unknown>> {
  const result = await build({
    stdin: { contents: entries.map((e) => `export * from '${e}';`).join('\n'), resolveDir: root, loader: 'js' },
    bundle: true,
    platform,
    format: 'esm',
    minify: true,
    write: false,
    logLevel: 'silent',
    external: ['piscina', 'prom-client'],
  });
  const file = join(mkdtempSync(join(tmpdir(), 'swarmguard-names-')), 'bundle.mjs');
  writeFileSync(file, result.outputFiles[0].text);
  return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
}

function expectNamesKept(exported: Record<string, unknown>, atLeast: number): void {
  const errors = Object.entries(exported).filter(([name, value]) => name.endsWith('Error') && typeof value === 'function');
  expect(errors.length).toBeGreaterThan(atLeast);
  for (const [name, Ctor] of errors) {
    const err = new (Ctor as new (...args: unknown[]) => Error)('x', 'y', 'z');
    expect(err.name, name).toBe(CHOSEN[name] ?? name);
    expect(err).toBeInstanceOf(Error);
  }
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? (name === 'generated' ? [] : walk(path)) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('error names', () => {
  it('every exported error class keeps its name in a minified bundle (minifiers rename classes)', async () => {
    expectNamesKept(await minifiedExports(nodeEntries, 'node'), 15);
  });

  it(`every error class of the browser entries keeps its name in a minified browser bundle (${browserEntries.length} entries)`, async () => {
    expect(browserEntries).toEqual(expect.arrayContaining(['swarmguard', 'swarmguard/hash', 'swarmguard/light']));
    expectNamesKept(await minifiedExports(browserEntries, 'browser'), 20);
  });

  it('every error class in src/ sets its name as a string literal (a minifier keeps literals, not class names)', () => {
    const classes: string[] = [];
    const missing: string[] = [];
    for (const file of walk(join(root, 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/class (\w+) extends (\w*Error)\b[^{]*\{/g)) {
        const [, name] = m;
        classes.push(name);
        const body = text.slice(m.index + m[0].length, text.indexOf('\n}', m.index));
        const literal = CHOSEN[name] ?? name;
        // (SwarmguardError names itself only when it is the class thrown: `new.target === SwarmguardError ? 'SwarmguardError' : …`.)
        const sets = [`name: string = '${literal}'`, `this.name = '${literal}'`, `? '${literal}'`];
        if (!sets.some((s) => body.includes(s))) missing.push(`${relative(root, file)}: ${name}`);
      }
    }
    expect(classes.length).toBeGreaterThan(40);
    expect(missing).toEqual([]);
  });
});
