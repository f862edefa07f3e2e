import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Dead code found by knip (configured under "knip" in package.json): files nothing imports, and
// exports or exported types no other module uses. Entries are the package's subpath modules,
// the pool's worker file, the top-level bench scripts and the tests.
const root = fileURLToPath(new URL('../..', import.meta.url));

describe('dead code', () => {
  it('leaves no unused file, export or exported type in src/, bench/ or test/', () => {
    let report = '';
    try {
      execFileSync(process.execPath, [`${root}node_modules/knip/bin/knip.js`, '--include', 'files,exports,types,duplicates', '--no-progress', '--no-config-hints'], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; message: string };
      report = `${e.stdout ?? ''}${e.stderr ?? ''}` || e.message;
    }
    expect(report).toBe('');
  }, 60_000);
});
