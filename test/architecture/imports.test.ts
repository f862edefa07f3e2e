import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The layering of ARCHITECTURE.md as a test: a folder of src/ imports only from folders of lower
// layers, only through their index.ts, with no cycle; the pure cores name no clock, timer,
// randomness or Node built-in; only src/wasm touches WebAssembly.

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

/** Layer of every folder of src/ (lower imports nothing higher). A new folder must be placed here. */
const LAYERS: Record<string, number> = {
  errors: 0,
  check: 0,
  bytes: 0.5, // checks its arguments with check/
  wasm: 1,
  resilience: 1,
  net: 1.6, // sockets (node:tls), with resilience's retry, breaker and phi detector per peer
  metrics: 1.5, // above resilience: it maps the policies' stats to Prometheus families
  merkle: 2,
  hash: 2,
  sig: 2,
  backend: 2.5, // init/features/createBackend bind hash/ and sig/ to a WASM instance
  consensus: 3,
  validators: 3.4, // the validator set: staking, slashing, sortition; above tx and consensus
  storage: 3,
  shards: 2.8, // what the Node and the browser worker pools share: operations, packing, sharding, the API
  pool: 3,
  webpool: 3, // the browser's worker pool (Web Workers)
  tasks: 3,
  tx: 2.7, // signed transactions: below consensus, which orders them
  node: 4,
  gateway: 4,
  light: 4,
  kv: 3.5, // the key-value application: implements consensus's Application, used by sim/ and node/
  sim: 4,
  bench: 4.5, // races the assembled parts: consensus in the simulator, node:crypto adapters
  cli: 5,
  entries: 5, // the package's subpath entries (src/index.ts is its root): public names only
};

/** Deterministic cores: time and randomness arrive as inputs. */
const PURE = ['consensus', 'validators', 'tx', 'sim'];
const IMPURE = /\b(Date\.now|new Date\(|performance\.now|setTimeout|setInterval|setImmediate|Math\.random|process\.)/;
/** Folders the pure consensus-side cores must not reach even though they sit lower. */
const EDGES = ['net', 'storage', 'node'];
/** Folders that may name packages or Node built-ins; every other folder ships to browsers as it is. */
const NODE_ONLY = ['pool', 'node', 'metrics', 'net', 'cli', 'bench'];
/** Files browser bundlers swap for another (package.json's `browser` map): they may name Node built-ins. */
const SWAPPED_FOR_BROWSERS = Object.keys((JSON.parse(readFileSync(join(SRC, '../package.json'), 'utf8')) as { browser: Record<string, string> }).browser).map((dist) =>
  join(SRC, dist.replace(/^\.\/dist\/src\//, '').replace(/\.js$/, '.ts')),
);

interface Edge {
  from: string;
  to: string;
  spec: string;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? (name === 'generated' ? [] : walk(path)) : path.endsWith('.ts') ? [path] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]);
}

const files = walk(SRC);
const folderOf = (file: string): string | null => {
  const rel = relative(SRC, file).split(/[\\/]/);
  return rel.length > 1 ? rel[0] : null;
};
const edges: Edge[] = files.flatMap((from) =>
  imports(from)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => ({ from, to: resolve(dirname(from), spec.replace(/\.js$/, '.ts')), spec })),
);
const rel = (f: string) => relative(SRC, f);

describe('src/ layering', () => {
  it('places every folder in a layer', () => {
    const unknown = [...new Set(files.map(folderOf).filter((f): f is string => f !== null && !(f in LAYERS)))];
    expect(unknown, 'add the folder to LAYERS (and to ARCHITECTURE.md)').toEqual([]);
  });

  it('imports only from lower layers, through their index.ts', () => {
    const wrong: string[] = [];
    for (const { from, to } of edges) {
      const a = folderOf(from);
      const b = folderOf(to);
      if (a === null || a === b) continue; // the root entry imports any face; a folder imports itself freely
      if (b === null) wrong.push(`${rel(from)} -> ${rel(to)} (the package's root entry: nothing inside imports it)`);
      else if (!(b in LAYERS)) wrong.push(`${rel(from)} -> ${rel(to)} (outside src/)`);
      else if (!(LAYERS[b] < LAYERS[a])) wrong.push(`${rel(from)} -> ${rel(to)} (layer ${LAYERS[a]} -> ${LAYERS[b]})`);
      else if (rel(to) !== `${b}/index.ts`) wrong.push(`${rel(from)} -> ${rel(to)} (not the folder's face)`);
    }
    expect(wrong).toEqual([]);
  });

  it('has no import cycle (type-only imports count)', () => {
    const graph = new Map<string, string[]>(files.map((f) => [f, []]));
    for (const { from, to } of edges) if (graph.has(to)) graph.get(from)?.push(to);
    const state = new Map<string, 1 | 2>();
    const stack: string[] = [];
    const cycles: string[] = [];
    const visit = (n: string): void => {
      state.set(n, 1);
      stack.push(n);
      for (const d of graph.get(n) ?? []) {
        if (state.get(d) === 1) cycles.push([...stack.slice(stack.indexOf(d)), d].map(rel).join(' -> '));
        else if (!state.get(d)) visit(d);
      }
      stack.pop();
      state.set(n, 2);
    };
    for (const n of graph.keys()) if (!state.get(n)) visit(n);
    expect(cycles).toEqual([]);
  });

  it('keeps the cores pure: no clock, timers, randomness, Node built-ins or I/O edges', () => {
    const wrong: string[] = [];
    for (const file of files) {
      const folder = folderOf(file);
      if (folder === null || !PURE.includes(folder)) continue;
      const text = readFileSync(file, 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '');
      const hit = IMPURE.exec(text);
      if (hit) wrong.push(`${rel(file)}: ${hit[0]}`);
      for (const spec of imports(file)) {
        if (spec.startsWith('node:') || !spec.startsWith('.')) {
          if (spec.startsWith('node:')) wrong.push(`${rel(file)}: imports ${spec}`);
          continue;
        }
        const target = folderOf(resolve(dirname(file), spec));
        if (folder !== 'sim' && target !== null && EDGES.includes(target)) wrong.push(`${rel(file)}: imports ${target}/`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('swaps only files that exist, for files that exist', () => {
    const map = (JSON.parse(readFileSync(join(SRC, '../package.json'), 'utf8')) as { browser: Record<string, string> }).browser;
    const source = (dist: string) => join(SRC, dist.replace(/^\.\/dist\/src\//, '').replace(/\.js$/, '.ts'));
    expect(Object.entries(map).flatMap(([from, to]) => [source(from), source(to)]).filter((f) => !files.includes(f))).toEqual([]);
  });

  it('keeps browser-bound folders free of packages and Node built-ins', () => {
    const wrong: string[] = [];
    for (const file of files) {
      const folder = folderOf(file);
      if (folder === null || NODE_ONLY.includes(folder) || SWAPPED_FOR_BROWSERS.includes(file)) continue;
      for (const spec of imports(file)) if (!spec.startsWith('.')) wrong.push(`${rel(file)}: imports ${spec}`);
    }
    expect(wrong).toEqual([]);
  });

  it('touches WebAssembly only in src/wasm', () => {
    const wrong = files.filter((f) => folderOf(f) !== 'wasm' && /\bWebAssembly\./.test(readFileSync(f, 'utf8'))).map(rel);
    expect(wrong).toEqual([]);
  });
});
