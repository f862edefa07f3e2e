import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildOptions, Plugin } from 'esbuild';

// One way to bundle a module for a page, shared by `bench browser` and the browser test harness
// (test/_support/browser.ts): esbuild for the browser platform, ES modules, the package resolved
// by name through its exports map — as an app's bundler would do it.

type Esbuild = { build(options: BuildOptions & { write: false }): Promise<{ outputFiles: { text: string }[] }> };

function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

/**
 * The package's `browser` map (dist/ files swapped for browser bundles) applied to the sources as
 * well: `bench browser` under vitest bundles its page from src/, where the map's paths do not match.
 */
function browserMapOnSources(): Plugin {
  const root = packageRoot();
  const map = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { browser: Record<string, string> }).browser;
  const source = (dist: string) => join(root, dist.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts'));
  const swaps = new Map(Object.entries(map).map(([from, to]) => [source(from), source(to)]));
  return {
    name: 'browser-map-on-sources',
    setup(build) {
      build.onResolve({ filter: /^\./ }, (args) => {
        const swapped = swaps.get(resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts')));
        return swapped === undefined ? undefined : { path: swapped };
      });
    },
  };
}

/** Bundles `entry` (a file path) or `source` (a module's text, resolved from `resolveDir`); throws esbuild's errors. */
export async function bundleForBrowser(
  esbuild: Esbuild,
  options: { entry: string; define?: Record<string, string> } | { source: string; resolveDir: string },
): Promise<string> {
  const input = 'entry' in options ? { entryPoints: [options.entry], define: options.define } : { stdin: { contents: options.source, resolveDir: options.resolveDir, loader: 'js' as const } };
  const result = await esbuild.build({
    ...input,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    plugins: [browserMapOnSources()],
  });
  return result.outputFiles[0].text;
}
