import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { type PackedApp, packedApp, type PackedFile, packList, repoRoot } from '../_support/packedApp.js';

// The package as npm publishes it: the file list of `npm pack`, the manifest inside the tarball,
// and the tarball installed into a fresh app (runtime dependencies only) and loaded from ESM and
// CommonJS. npm test builds dist/ first.

const exec = promisify(execFile);

interface Manifest {
  license: string;
  repository?: { url: string };
  homepage?: string;
  bugs?: { url: string };
  engines: { node: string };
  main: string;
  types: string;
  bin: Record<string, string>;
  exports: Record<string, unknown>;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/** Scripts npm runs by itself around install, pack and publish (and `pre`/`post` of any script). */
const isLifecycleHook = (name: string) => /^(?:pre|post)/.test(name) || ['install', 'prepare', 'prepublish', 'prepublishOnly', 'prepack', 'postpack'].includes(name);

/** Every file path an exports map (or a bin) names. */
function targets(value: unknown): string[] {
  if (typeof value === 'string') return [value.replace(/^\.\//, '')];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(targets);
}

/**
 * The packages a module imports: statically (`import`/`export … from`), through `import('literal')`,
 * and through the bench's loaders of its own dependencies (`optional('…')`, `required('…')`).
 */
function importedPackages(file: string, source: string): { static: string[]; dynamic: string[]; onDemand: string[] } {
  const found = { static: [] as string[], dynamic: [] as string[], onDemand: [] as string[] };
  const packageOf = (specifier: string) => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]);
  const bare = (specifier: string) => !specifier.startsWith('.') && !specifier.startsWith('node:');
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) && bare(node.moduleSpecifier.text)) {
      found.static.push(packageOf(node.moduleSpecifier.text));
    }
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0]) && bare(node.arguments[0].text)) {
      found.dynamic.push(packageOf(node.arguments[0].text));
    }
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && ['optional', 'required'].includes(node.expression.text) && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      found.onDemand.push(packageOf(node.arguments[0].text));
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(file, source, ts.ScriptTarget.ES2022, false, ts.ScriptKind.JS));
  return found;
}

describe('the published package', () => {
  let files: PackedFile[];
  let paths: Set<string>;
  let app: PackedApp;
  let manifest: Manifest;
  beforeAll(async () => {
    files = await packList();
    paths = new Set(files.map((f) => f.path));
    app = await packedApp();
    manifest = JSON.parse(readFileSync(join(app.packageDir, 'package.json'), 'utf8')) as Manifest;
  });

  it('ships the compiled package, the README, the docs and the licence, and nothing of the checkout', () => {
    for (const path of ['package.json', 'README.md', 'LICENSE', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/cli/main.js', 'docs/consensus.md']) expect(paths, path).toContain(path);
    expect(readFileSync(join(app.packageDir, 'LICENSE'), 'utf8')).toMatch(/^\s*Apache License\s+Version 2\.0/);
    const outside = [...paths].filter((p) => !/^(?:dist\/src\/|docs\/)/.test(p) && !['package.json', 'README.md', 'LICENSE'].includes(p));
    expect(outside).toEqual([]);
    // Every module is the output of a source that exists: tsc leaves the output of a deleted or
    // moved file in dist/, and npm would publish it (CI builds from a clean checkout).
    // (The one module not from tsc: the browser pool's worker script, built by scripts/buildWebWorker.mjs.)
    const stale = [...paths].filter((p) => p.startsWith('dist/src/') && p.endsWith('.js') && p !== 'dist/src/webpool/worker.min.js' && !existsSync(join(repoRoot, p.replace(/^dist\//, '').replace(/\.js$/, '.ts'))));
    expect(stale, 'stale output in dist/: rm -rf dist && npm run build').toEqual([]);
    for (const target of [...targets(manifest.exports), ...targets(manifest.bin), manifest.main, manifest.types].map((t) => t.replace(/^\.\//, ''))) {
      expect(paths, target).toContain(target);
    }
  });

  it('links only documents it ships from the README (the docs read on npm as in the checkout)', () => {
    const readme = readFileSync(join(app.packageDir, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]).filter((l) => !/^[a-z]+:/.test(l));
    expect(links.length).toBeGreaterThan(10);
    const missing = links.filter((l) => !paths.has(l.replace(/^\.\//, '')) && ![...paths].some((p) => p.startsWith(`${l.replace(/\/$/, '')}/`)));
    expect(missing).toEqual([]);
  });

  it('ships no source maps, no typings of the bench or the CLI, and no declaration of embedded bytes', () => {
    expect([...paths].filter((p) => p.endsWith('.map'))).toEqual([]);
    const mapped = files.filter((f) => f.path.endsWith('.js') && readFileSync(join(app.packageDir, f.path), 'utf8').includes('//# sourceMappingURL='));
    expect(mapped.map((f) => f.path)).toEqual([]);
    expect([...paths].filter((p) => /^dist\/src\/(?:bench|cli)\/.*\.d\.ts$/.test(p))).toEqual([]);
    // The largest honest declaration file is a few kB; the WASM modules' would be their base64 bytes.
    expect(files.filter((f) => f.path.endsWith('.d.ts') && f.size > 20_000).map((f) => `${f.path} ${f.size}`)).toEqual([]);
  });

  it('ships every declaration file its declaration files import', () => {
    const missing: string[] = [];
    for (const path of [...paths].filter((p) => p.endsWith('.d.ts'))) {
      for (const { fileName } of ts.preProcessFile(readFileSync(join(app.packageDir, path), 'utf8')).importedFiles) {
        if (!fileName.startsWith('.')) continue;
        const target = join(path, '..', fileName).replace(/\.js$/, '.d.ts');
        if (!paths.has(target)) missing.push(`${path} → ${fileName}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('has no install or lifecycle scripts, says where it lives, and claims the Node that runs it (require(esm): 20.19)', () => {
    expect(Object.keys(manifest.scripts ?? {}).filter(isLifecycleHook)).toEqual([]);
    expect(manifest.license).toBe('Apache-2.0');
    expect(manifest.repository?.url).toMatch(/^git\+https:\/\//);
    expect(manifest.homepage).toMatch(/^https:\/\//);
    expect(manifest.bugs?.url).toMatch(/^https:\/\//);
    expect(manifest.engines).toEqual({ node: '>=20.19' });
  });

  it('depends at run time on exactly what its modules import; prom-client is an optional peer; the bench loads its own on demand', () => {
    const runtime = new Set<string>();
    const bench = new Set<string>();
    for (const path of [...paths].filter((p) => p.endsWith('.js'))) {
      const found = importedPackages(path, readFileSync(join(app.packageDir, path), 'utf8'));
      if (path.startsWith('dist/src/bench/')) {
        // A suite is loaded only when it runs, and the packages it races are not the package's.
        expect(found.static.filter((p) => !(p in (manifest.dependencies ?? {}))), `${path} imports statically`).toEqual([]);
        for (const p of [...found.dynamic, ...found.onDemand]) bench.add(p);
      } else for (const p of [...found.static, ...found.dynamic]) runtime.add(p);
    }
    const peers = Object.keys(manifest.peerDependencies ?? {});
    expect([...runtime].filter((p) => !peers.includes(p)).sort()).toEqual(Object.keys(manifest.dependencies ?? {}).sort());
    expect(peers).toEqual(['prom-client']);
    expect(manifest.peerDependenciesMeta?.['prom-client']).toEqual({ optional: true });
    // prom-client is loaded on first use, never at import.
    expect(files.filter((f) => f.path.endsWith('.js') && importedPackages(f.path, readFileSync(join(app.packageDir, f.path), 'utf8')).static.includes('prom-client'))).toEqual([]);
    const devOnly = [...bench].filter((p) => !(p in (manifest.dependencies ?? {})));
    expect(devOnly).toEqual(expect.arrayContaining(['benchmark', 'hash-wasm', '@noble/hashes', 'playwright-core']));
    for (const p of devOnly) expect(manifest.devDependencies, p).toHaveProperty(p);
    expect(manifest.dependencies).not.toHaveProperty('benchmark');
  });

  it('loads from ESM and, on this Node (require(esm), ≥ 20.19), from CommonJS', async () => {
    const esm = await app.node(['--input-type=module', '-e', "import { blake3 } from 'swarmguard'; import { sha256 } from 'swarmguard/hash'; console.log(blake3('abc').length, sha256('abc').length);"]);
    expect(esm).toMatchObject({ code: 0, stdout: '32 32\n' });
    const cjs = await app.node(['--input-type=commonjs', '-e', "const { blake3 } = require('swarmguard'); const { sha256 } = require('swarmguard/hash'); console.log(blake3('abc').length, sha256('abc').length);"]);
    expect(cjs).toMatchObject({ code: 0, stdout: '32 32\n' });
    expect(cjs.stderr).not.toMatch(/ERR_REQUIRE_ESM/);
  });

  // swarmguard/pool/worker.js is left out: a script a page serves (workerUrl), not a module with types.
  it('passes @arethetypeswrong/cli (ESM-only profile: node10 and require-from-CJS typings are not claimed)', async () => {
    const result = await exec(process.execPath, [join(repoRoot, 'node_modules/@arethetypeswrong/cli/dist/index.js'), '--pack', '.', '--profile', 'esm-only', '--no-color', '--no-emoji', '--exclude-entrypoints', './pool/worker.js'], { cwd: repoRoot, maxBuffer: 16 * 2 ** 20 }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (err: { code: number; stdout: string }) => ({ code: err.code, stdout: err.stdout }),
    );
    expect(result.code, result.stdout).toBe(0);
  });
});
