#!/usr/bin/env node
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { BenchSuite } from '../../bench/suite.js';
import { features } from '../index.js';

const benchSuites: Record<string, () => Promise<{ default: BenchSuite }>> = {
  hash: () => import('../../bench/hash.js'),
  merkle: () => import('../../bench/merkle.js'),
  resilience: () => import('../../bench/resilience.js'),
  sig: () => import('../../bench/sig.js'),
  consensus: () => import('../../bench/consensus.js'),
};

const benchUsage = `usage: swarmguard bench <${Object.keys(benchSuites).join('|')}> [--runs N] [--max-time S] [--quick] [--json FILE]`;

async function bench(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      runs: { type: 'string', default: '5' },
      'max-time': { type: 'string', default: '0.5' },
      quick: { type: 'boolean', default: false },
      json: { type: 'string' },
    },
  });
  const load = benchSuites[positionals[0] ?? ''];
  const runs = Number(values.runs);
  const maxTime = Number(values['max-time']);
  if (!load || !Number.isInteger(runs) || runs < 1 || !(maxTime > 0)) {
    console.error(benchUsage);
    return 2;
  }
  const suite = (await load()).default;
  // Loaded here, not at the top: the harness needs the `benchmark` package, which `sim` does not.
  const { machine } = await import('../../bench/harness.js');
  const host = machine();
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  const context = { runs: values.quick ? Math.min(runs, 2) : runs, maxTime: values.quick ? Math.min(maxTime, 0.05) : maxTime, quick: values.quick, progress };
  progress(`swarmguard bench ${suite.name}: ${suite.description}`);
  progress(`machine: ${host.cpu}, ${host.cores} cores, ${host.memoryGiB} GiB, Node ${host.node}; runs=${context.runs}`);
  const report = await suite.run(context);
  process.stdout.write(`${report.text}\n`);
  if (values.json) {
    const settings = { runs: context.runs, maxTime: context.maxTime, quick: context.quick };
    writeFileSync(values.json, JSON.stringify({ suite: suite.name, machine: host, features: features(), ...settings, results: report.results }, null, 2));
    progress(`wrote ${values.json}`);
  }
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'bench') return bench(rest);
  if (command === 'sim') return (await import('./sim.js')).simCommand(rest);
  console.error(`${benchUsage}\n${(await import('./sim.js')).simUsage}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
