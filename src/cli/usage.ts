import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { BENCH_SUITES } from '../bench/index.js';
import { FAULTS } from '../sim/index.js';

// Usage texts and the one rule for misuse: the reason and the command's usage on stderr, exit 2,
// before any work starts. Help asked for goes to stdout with exit 0.

export const BENCH_USAGE = `usage: swarmguard bench <${BENCH_SUITES.join('|')}> [options]
  --runs N        rounds per figure; each figure is their median (integer 1 to 1000, default 5)
  --max-time S    seconds each subject runs per round at most (seconds > 0, default 0.5)
  --quick         a short look: fewer rounds and sizes
  --json FILE     also write the raw figures as JSON to FILE (its folder must exist)
  -h, --help      this text`;

export const SIM_USAGE = `usage: swarmguard sim --seed S [options]
       swarmguard sim --seeds COUNT [--seed FIRST] [options]   (soak: COUNT seeds from FIRST, each drawing its own faults)
  --seed S          the seed (integer 0 to 4294967295); with --seeds the first one (default 1)
  --seeds COUNT     run COUNT consecutive seeds (integer >= 1, up to the last seed 4294967295)
  --replicas N      validators (integer 4 to 64, default 4)
  --byzantine K     Byzantine validators (integer 0 to f; default f)
  --faults LIST     comma-separated faults (default: the seed draws them)
  --duration S      simulated seconds per seed (seconds > 0, default 10)
  --json            one JSON summary line per seed on stdout
  --log FILE        write every commit as a JSON line to FILE (its folder must exist)
  -h, --help        this text
faults: ${FAULTS.join(',')}`;

export const USAGE = `usage: swarmguard <command> [options]
commands:
  bench <suite>   race swarmguard against the libraries people use (${BENCH_SUITES.join(', ')})
  sim             run the seeded PBFT simulator, one seed or a soak
options:
  -h, --help      this text; 'swarmguard <command> --help' for a command's options
  -V, --version   the package version
environment:
  SWARMGUARD_BACKEND=scalar|simd   force a WASM build (default: simd where supported)`;

/** A misuse of the command line: `main` prints the reason and `usage` on stderr and exits 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** `value` as an integer in [min, max], or a UsageError naming the option. */
export function integerOption(value: string, option: string, min: number, max: number, usage: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`${option} must be an integer from ${min} to ${max}, got '${value}'`, usage);
  }
  return n;
}

/** `value` as a number of seconds > 0, or a UsageError naming the option. */
export function secondsOption(value: string, option: string, usage: string): number {
  const n = Number(value);
  if (value.trim() === '' || !(n > 0) || !Number.isFinite(n)) throw new UsageError(`${option} must be a number of seconds > 0, got '${value}'`, usage);
  return n;
}

/** The folder `file` is to be written in exists: checked before the work, not after it. */
export function writableFileOption(file: string, option: string, usage: string): string {
  const folder = dirname(resolve(file));
  let ok = false;
  try {
    ok = statSync(folder).isDirectory();
  } catch {
    ok = false;
  }
  if (!ok) throw new UsageError(`${option}: folder ${folder} does not exist`, usage);
  return file;
}

/** Parses `args` strictly; an unknown option or a missing value is a UsageError. */
export function parseStrict(
  args: string[],
  options: NonNullable<ParseArgsConfig['options']>,
  usage: string,
  allowPositionals = false,
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const parsed = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h', default: false } }, strict: true, allowPositionals });
    return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals };
  } catch (err) {
    // node:util's message goes on to explain `--`; the first sentence is the reason.
    throw new UsageError((err as Error).message.split('. ')[0], usage);
  }
}
