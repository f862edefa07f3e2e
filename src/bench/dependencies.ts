import { SwarmguardError } from '../errors/index.js';

// The bench's own dependencies are not the package's: the comparison libraries, the `benchmark`
// sampler and the browser bench's drivers are dev dependencies of this repository. Where
// swarmguard is installed, a suite finds the ones installed beside it (`npm install benchmark
// hash-wasm …`): a comparison library that is absent is skipped with a note naming the package,
// and one a suite cannot run without stops it before any work, naming the package too.

/** A suite cannot run here: a package it needs (or Chromium) is missing. */
export class BenchUnavailableError extends SwarmguardError {
  override readonly name: string = 'BenchUnavailableError';
  constructor(message: string) {
    super('ERR_BENCH_UNAVAILABLE', message);
  }
}

/** The package a module specifier belongs to: `@noble/hashes/sha2.js` → `@noble/hashes`, `cockatiel` → `cockatiel`. */
export function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Whether `err` says that `specifier`'s package is not installed (rather than that it failed to load). */
function notInstalled(err: unknown, specifier: string): boolean {
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
  return code === 'ERR_MODULE_NOT_FOUND' && typeof message === 'string' && message.includes(`'${packageOf(specifier)}'`);
}

/** Imports a comparison library; `undefined`, with a note naming the package to install, when it is absent. */
export async function optional<T>(specifier: string, progress: (line: string) => void): Promise<T | undefined> {
  try {
    return (await import(specifier)) as T;
  } catch (err) {
    if (!notInstalled(err, specifier)) throw err;
    progress(`  (skipping ${packageOf(specifier)}: not installed — npm install ${packageOf(specifier)} to include it)`);
    return undefined;
  }
}

/** Imports a package `what` cannot run without; a `BenchUnavailableError` naming it when it is absent. */
export async function required<T>(specifier: string, what: string): Promise<T> {
  try {
    return (await import(specifier)) as T;
  } catch (err) {
    if (!notInstalled(err, specifier)) throw err;
    throw new BenchUnavailableError(`${what} needs ${packageOf(specifier)}, which is not installed: npm install ${packageOf(specifier)}`);
  }
}
