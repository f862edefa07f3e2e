#!/usr/bin/env node
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { features } from '../backend/index.js';
import { BENCH_SUITES, loadBenchSuite, machine } from '../bench/index.js';

const benchUsage = `usage: swarmguard bench <${BENCH_SUITES.join('|')}> [--runs N] [--max-time S] [--quick] [--json FILE]`;

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
  const name = positionals[0] ?? '';
  const runs = Number(values.runs);
  const maxTime = Number(values['max-time']);
  if (!BENCH_SUITES.includes(name) || !Number.isInteger(runs) || runs < 1 || !(maxTime > 0)) {
    console.error(benchUsage);
    return 2;
  }
  const suite = await loadBenchSuite(name);
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
