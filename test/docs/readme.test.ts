import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
// The compiled root entry stands in for the installed package (npm test builds dist/ first).
const root = pathToFileURL(fileURLToPath(new URL('../../dist/src/index.js', import.meta.url))).href;

/** The first ```ts block after `heading`. */
function example(heading: string): string {
  const at = readme.indexOf(heading);
  const start = readme.indexOf('```ts\n', at);
  return readme.slice(start + 6, readme.indexOf('```', start + 6));
}

describe('README', () => {
  it('the first example runs as written and prints what its comments say', async () => {
    const code = example('## A first example');
    expect(code).toContain("from 'swarmguard'");
    const file = join(mkdtempSync(join(tmpdir(), 'swarmguard-readme-')), 'first.mjs');
    writeFileSync(file, code.replaceAll("from 'swarmguard'", `from '${root}'`));
    const { stdout } = await exec(process.execPath, [file]);
    expect(stdout).toBe('true\n[ true ]\n');
  });
});
