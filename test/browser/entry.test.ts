import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The browser entry must load in a page: every module it reaches statically is our own, with no
// `node:` built-ins and no Node-only packages (prom-client is imported lazily by metrics()).
const entry = fileURLToPath(new URL('../../dist/src/browser.js', import.meta.url));

function staticImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]);
}

function reachable(file: string, seen = new Map<string, string[]>()): Map<string, string[]> {
  if (seen.has(file)) return seen;
  const specifiers = staticImports(file);
  seen.set(file, specifiers.filter((s) => !s.startsWith('.')));
  for (const s of specifiers) if (s.startsWith('.')) reachable(resolve(dirname(file), s), seen);
  return seen;
}

describe('browser entry (dist/src/browser.js)', () => {
  it('reaches only the package’s own modules', () => {
    const graph = reachable(entry);
    const outside = [...graph].flatMap(([file, bare]) => bare.map((b) => `${file} imports ${b}`));
    expect(graph.size).toBeGreaterThan(10);
    expect(outside).toEqual([]);
  });

  it('exports the hashing, Merkle, signature and resilience APIs but not the Node pool', async () => {
    const api = await import(entry);
    for (const name of ['init', 'features', 'blake3', 'sha256', 'sha512', 'MerkleTree', 'ed25519', 'vrf', 'CircuitBreaker']) {
      expect(api[name], name).toBeDefined();
    }
    expect(api.createPool).toBeUndefined();
  });

  it('is the browser condition of the package exports map', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(pkg.exports['.'].browser).toBe('./dist/src/browser.js');
    expect(pkg.exports['.'].node).toBe('./dist/src/index.js');
  });
});
