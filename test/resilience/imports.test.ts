import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// resilience/ ships in the browser entry: it must reach no Node built-in and no package (prom-client
// lives behind metrics/), and it leaves its folder only through another folder's face.
const root = fileURLToPath(new URL('../../src/resilience', import.meta.url));
const src = dirname(root);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function specifiers(source: string): string[] {
  const statics = [...source.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]);
  const dynamics = [...source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]);
  return [...statics, ...dynamics];
}

describe('src/resilience imports', () => {
  const all = files(root).flatMap((file) => specifiers(readFileSync(file, 'utf8')).map((s) => ({ file: relative(src, file), s, target: resolve(dirname(file), s) })));

  it('finds the imports it checks', () => {
    expect(all.length).toBeGreaterThan(50);
  });

  it('never names prom-client, a node: built-in or any other package', () => {
    expect(all.filter(({ s }) => !s.startsWith('.')).map(({ file, s }) => `${file} imports ${s}`)).toEqual([]);
  });

  it('leaves resilience/ only through a folder face (index.js)', () => {
    const outside = all.filter(({ target }) => !target.startsWith(root + '/') && !target.endsWith('/index.js'));
    expect(outside.map(({ file, s }) => `${file} imports ${s}`)).toEqual([]);
  });
});
