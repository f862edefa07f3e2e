#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { preferredBackend } from '../wasm/index.js';
import { BENCH_USAGE, SIM_USAGE, USAGE, UsageError } from './usage.js';

const COMMANDS = ['bench', 'sim', 'node', 'testnet', 'tx', 'light'];

// Conventions of git, npm and cargo: help asked for on stdout with exit 0; a misuse prints its
// reason and the usage on stderr and exits 2 before any work; a failed run exits 1.

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) throw new UsageError('which command?', USAGE);
  if (command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (command === '-V' || command === '--version') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  if (!COMMANDS.includes(command)) throw new UsageError(`unknown command '${command}'`, USAGE);
  if (command === 'node') return (await import('./node.js')).nodeCommand(rest);
  if (command === 'testnet') return (await import('./testnet.js')).testnetCommand(rest);
  if (command === 'tx') return (await import('./tx.js')).txCommand(rest);
  if (command === 'light') return (await import('./light.js')).lightCommand(rest);
  try {
    preferredBackend();
  } catch (err) {
    throw new UsageError((err as Error).message, command === 'bench' ? BENCH_USAGE : SIM_USAGE);
  }
  if (command === 'bench') return (await import('./bench.js')).benchCommand(rest);
  return (await import('./sim.js')).simCommand(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`swarmguard: ${err.message}\n${err.usage}\n`);
      process.exitCode = 2;
      return;
    }
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
