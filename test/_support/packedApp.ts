import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll } from 'vitest';

// The package as a user installs it: `npm pack` of the built tree (npm test builds dist/ first),
// unpacked into node_modules/swarmguard of a fresh app folder, beside links to the installed
// copies of its runtime `dependencies` only. No dev dependency is reachable from the app — not
// the comparison libraries, not `benchmark`, not prom-client (an optional peer; `peers` adds it)
// — so what the app sees is what `npm install swarmguard` gives.

const exec = promisify(execFile);
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface PackedFile {
  path: string;
  size: number;
}

/** `npm pack --dry-run --json` of the repository: the files the tarball would hold. */
export async function packList(): Promise<PackedFile[]> {
  const { stdout } = await exec('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repoRoot, maxBuffer: 64 * 2 ** 20 });
  return (JSON.parse(stdout) as { files: PackedFile[] }[])[0].files;
}

export interface PackedApp {
  /** The app folder: node_modules/swarmguard is the unpacked tarball. */
  dir: string;
  /** The unpacked package (its package.json is the published manifest). */
  packageDir: string;
  /** Runs `node args…` in the app folder; never rejects (the exit code is in the result). */
  node(args: string[], options?: { env?: Record<string, string>; timeout?: number }): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Writes `source` to `name` in the app folder and returns its path. */
  write(name: string, source: string): string;
}

/**
 * A folder for apps with no node_modules in it or above it: Node looks for a package in every
 * ancestor's node_modules, so one there (e.g. a /tmp/node_modules left by another project) would
 * hand the app packages it did not install.
 */
function isolatedBase(): string {
  const clean = (dir: string): boolean => !existsSync(join(dir, 'node_modules')) && (dirname(dir) === dir || clean(dirname(dir)));
  const base = [tmpdir(), '/var/tmp', homedir()].find((dir) => existsSync(dir) && clean(dir));
  if (base === undefined) throw new Error(`packedApp: every candidate folder (${tmpdir()}, /var/tmp, ${homedir()}) has a node_modules in or above it`);
  return base;
}

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Packs the repository and installs the tarball into a new app folder (removed after the test file). */
export async function packedApp(options: { peers?: string[] } = {}): Promise<PackedApp> {
  const dir = mkdtempSync(join(isolatedBase(), 'swarmguard-app-'));
  made.push(dir);
  const { stdout } = await exec('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: repoRoot, maxBuffer: 64 * 2 ** 20 });
  const tarball = join(dir, (JSON.parse(stdout) as { filename: string }[])[0].filename);
  const modules = join(dir, 'node_modules');
  const packageDir = join(modules, 'swarmguard');
  mkdirSync(packageDir, { recursive: true });
  await exec('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1']);
  rmSync(tarball);
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  for (const name of [...Object.keys(manifest.dependencies ?? {}), ...(options.peers ?? [])]) {
    mkdirSync(join(modules, name, '..'), { recursive: true });
    symlinkSync(join(repoRoot, 'node_modules', name), join(modules, name), 'dir');
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  return {
    dir,
    packageDir,
    write(name, source) {
      const file = join(dir, name);
      writeFileSync(file, source);
      return file;
    },
    async node(args, o = {}) {
      try {
        const { stdout, stderr } = await exec(process.execPath, args, { cwd: dir, env: { ...process.env, ...o.env }, timeout: o.timeout ?? 60_000, maxBuffer: 16 * 2 ** 20 });
        return { code: 0, stdout, stderr };
      } catch (err) {
        const e = err as { code?: number | string; stdout?: string; stderr?: string; message: string };
        if (typeof e.code !== 'number') throw err;
        return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
      }
    },
  };
}
