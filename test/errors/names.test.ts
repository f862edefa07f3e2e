import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** Names chosen on purpose: an aborted pool task is an `AbortError`, as fetch's and AbortSignal's are. */
const CHOSEN: Record<string, string> = { TaskAbortedError: 'AbortError' };
const entries = ['swarmguard', 'swarmguard/tx', 'swarmguard/consensus', 'swarmguard/resilience', 'swarmguard/storage', 'swarmguard/pool', 'swarmguard/validators', 'swarmguard/light'];

describe('error names', () => {
  it('every exported error class keeps its name in a minified bundle (minifiers rename classes)', async () => {
    const result = await build({
      stdin: { contents: entries.map((e) => `export * from '${e}';`).join('\n'), resolveDir: root, loader: 'js' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      minify: true,
      write: false,
      logLevel: 'silent',
      external: ['piscina', 'prom-client'],
    });
    const file = join(mkdtempSync(join(tmpdir(), 'swarmguard-names-')), 'bundle.mjs');
    writeFileSync(file, result.outputFiles[0].text);
    const bundled = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    const errors = Object.entries(bundled).filter(([name, value]) => name.endsWith('Error') && typeof value === 'function');
    expect(errors.length).toBeGreaterThan(15);
    for (const [name, Ctor] of errors) {
      const err = new (Ctor as new (...args: unknown[]) => Error)('x', 'y', 'z');
      expect(err.name, name).toBe(CHOSEN[name] ?? name);
      expect(err).toBeInstanceOf(Error);
    }
  });
});
