import { join } from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserTarget, type Conditions } from '../_support/exportsMap.js';
import { type PackedApp, packedApp } from '../_support/packedApp.js';

// Types match each entry: TypeScript set up for a browser app (strict, moduleResolution bundler,
// customConditions ['browser']) reads, for every subpath, the declarations of the module a
// browser bundler picks — so it refuses a name the browser entry does not export, where the
// bundle would fail — while Node and bundler-for-Node settings keep the full entries. Compiled
// with tsc's API against the installed tarball (npm test builds dist/ first).

const BASE: ts.CompilerOptions = { strict: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], types: [] };
const SETTINGS: Record<string, ts.CompilerOptions> = {
  'a browser app (bundler, customConditions browser)': { ...BASE, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, customConditions: ['browser'] },
  'a bundled Node app (bundler)': { ...BASE, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler },
  'Node (nodenext)': { ...BASE, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext },
};

/** What a newcomer writes first: names from the root, a browser-safe subpath and each Node-only one. */
const APP = `import { blake3, Replica, simulate } from 'swarmguard';
import { sha256 } from 'swarmguard/hash';
import { LightClient } from 'swarmguard/light';
import { createPool } from 'swarmguard/pool';
import { startRpc } from 'swarmguard/node';
import { registerMetrics } from 'swarmguard/metrics';
export const used = [blake3, Replica, simulate, sha256, LightClient, createPool, startRpc, registerMetrics];
`;

describe('types per condition', () => {
  let app: PackedApp;
  let exportsMap: Record<string, string | Conditions>;
  beforeAll(async () => {
    app = await packedApp();
    exportsMap = (JSON.parse(ts.sys.readFile(join(app.packageDir, 'package.json')) as string) as { exports: Record<string, string | Conditions> }).exports;
  });

  /** tsc's errors for `source` compiled as app.ts (an ES module: the app is `type: module`) under `options`, as `line: TScode message`. */
  function compile(source: string, options: ts.CompilerOptions): string[] {
    const file = app.write('app.ts', source);
    const program = ts.createProgram([file], options);
    return ts.getPreEmitDiagnostics(program).map((d) => {
      const line = d.file ? d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1 : 0;
      return `${line}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
    });
  }

  it('a browser app may not import what the browser entries lack; Node and bundled-Node apps may', () => {
    const [browser, ...others] = Object.values(SETTINGS);
    // /node and /metrics are Node-only; /pool has a browser entry (the Web Worker pool).
    const refused = Object.entries(exportsMap).filter(([, c]) => browserTarget(c) === null).map(([s]) => `swarmguard${s.slice(1)}`);
    const expected = APP.split('\n').flatMap((line, i) => {
      const m = /^import \{ (\w+) \} from '([^']+)';$/.exec(line);
      return m && refused.includes(m[2]) ? [`${i + 1}: TS2305 Module '"${m[2]}"' has no exported member '${m[1]}'.`] : [];
    });
    expect(expected.length).toBeGreaterThan(0);
    expect(compile(APP, browser)).toEqual(expected);
    for (const options of others) expect(compile(APP, options)).toEqual([]);
  });

  it('every subpath gives a browser app the declarations of the module its bundler picks, or an empty face where it refuses the subpath', () => {
    const options = SETTINGS['a browser app (bundler, customConditions browser)'];
    const host = ts.createCompilerHost(options);
    const containing = join(app.dir, 'app.ts');
    for (const [subpath, conditions] of Object.entries(exportsMap)) {
      // A plain path is a file a page serves as it is (swarmguard/pool/worker.js), not a module with types.
      if (subpath === './package.json' || typeof conditions === 'string') continue;
      const specifier = `swarmguard${subpath.slice(1)}`;
      const resolved = ts.resolveModuleName(specifier, containing, options, host).resolvedModule?.resolvedFileName;
      const target = browserTarget(conditions);
      expect(target, specifier).not.toBeUndefined();
      if (target) {
        expect(resolved, specifier).toBe(join(app.packageDir, target.replace(/\.js$/, '.d.ts')));
      } else {
        const face = ts.createSourceFile(resolved as string, ts.sys.readFile(resolved as string) as string, ts.ScriptTarget.ES2022);
        expect(face.statements.map((s) => s.getText(face)), specifier).toEqual(['export {};']);
      }
    }
  });
});
