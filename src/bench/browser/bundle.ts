import type { BuildOptions } from 'esbuild';

// One way to bundle a module for a page, shared by `bench browser` and the browser test harness
// (test/_support/browser.ts): esbuild for the browser platform, ES modules, the package resolved
// by name through its exports map — as an app's bundler would do it.

type Esbuild = { build(options: BuildOptions & { write: false }): Promise<{ outputFiles: { text: string }[] }> };

/** Bundles `entry` (a file path) or `source` (a module's text, resolved from `resolveDir`); throws esbuild's errors. */
export async function bundleForBrowser(
  esbuild: Esbuild,
  options: { entry: string; define?: Record<string, string> } | { source: string; resolveDir: string },
): Promise<string> {
  const input = 'entry' in options ? { entryPoints: [options.entry], define: options.define } : { stdin: { contents: options.source, resolveDir: options.resolveDir, loader: 'js' as const } };
  const result = await esbuild.build({ ...input, bundle: true, platform: 'browser', format: 'esm', target: 'es2022', write: false, logLevel: 'silent' });
  return result.outputFiles[0].text;
}
