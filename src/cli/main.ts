#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { preferredBackend } from '../wasm/index.js';
import { BENCH_USAGE, LIGHT_USAGE, NODE_USAGE, SIM_USAGE, TESTNET_USAGE, TX_USAGE, USAGE, UsageError } from './usage.js';

/** Each command and its usage text. */
const COMMANDS: Record<string, string> = { bench: BENCH_USAGE, sim: SIM_USAGE, node: NODE_USAGE, testnet: TESTNET_USAGE, tx: TX_USAGE, light: LIGHT_USAGE };

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
    // `swarmguard help <command>` as in git and cargo: that command's usage.
    const topic = command === 'help' ? rest[0] : undefined;
    if (topic !== undefined && !Object.hasOwn(COMMANDS, topic)) throw new UsageError(`unknown command '${topic}'`, USAGE);
    process.stdout.write(`${topic === undefined ? USAGE : COMMANDS[topic]}\n`);
    return 0;
  }
  if (command === '-V' || command === '--version') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  if (!Object.hasOwn(COMMANDS, command)) throw new UsageError(`unknown command '${command}'`, USAGE);
  // Every command hashes or signs: a bad SWARMGUARD_BACKEND is a misuse found before any work
  // (help asked for is still printed).
  if (!rest.includes('-h') && !rest.includes('--help')) {
    try {
      preferredBackend();
    } catch (err) {
      throw new UsageError((err as Error).message, COMMANDS[command]);
    }
  }
  if (command === 'node') return (await import('./node.js')).nodeCommand(rest);
  if (command === 'testnet') return (await import('./testnet.js')).testnetCommand(rest);
  if (command === 'tx') return (await import('./tx.js')).txCommand(rest);
  if (command === 'light') return (await import('./light.js')).lightCommand(rest);
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
