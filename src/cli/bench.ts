import { writeFileSync } from 'node:fs';
import { features } from '../backend/index.js';
import { BENCH_SUITES, loadBenchSuite, loadSampler, machine } from '../bench/index.js';
import { BENCH_USAGE, integerOption, parseStrict, secondsOption, UsageError, writableFileOption } from './usage.js';

/** `swarmguard bench <suite>`: the table on stdout, progress on stderr; 0 when it ran. */
export async function benchCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseStrict(
    args,
    {
      runs: { type: 'string', default: '5' },
      'max-time': { type: 'string', default: '0.5' },
      quick: { type: 'boolean', default: false },
      json: { type: 'string' },
      nodes: { type: 'string' },
      rate: { type: 'string' },
      duration: { type: 'string' },
      'sync-blocks': { type: 'string' },
      pipeline: { type: 'string' },
    },
    BENCH_USAGE,
    true,
  );
  if (values.help) {
    process.stdout.write(`${BENCH_USAGE}\n`);
    return 0;
  }
  const name = positionals[0];
  if (name === undefined) throw new UsageError('which suite?', BENCH_USAGE);
  if (!BENCH_SUITES.includes(name)) throw new UsageError(`unknown suite '${name}'`, BENCH_USAGE);
  if (positionals.length > 1) throw new UsageError(`one suite at a time, got '${positionals.join(' ')}'`, BENCH_USAGE);
  const runs = integerOption(values.runs as string, '--runs', 1, 1000, BENCH_USAGE);
  const maxTime = secondsOption(values['max-time'] as string, '--max-time', BENCH_USAGE);
  const json = values.json === undefined ? undefined : writableFileOption(values.json as string, '--json', BENCH_USAGE);
  const quick = values.quick as boolean;
  const cluster = clusterOptions(name, values);
  const suite = await loadBenchSuite(name);
  await suite.preflight?.();
  if (suite.sampled && !quick) await loadSampler();
  const host = machine();
  // A comparison library that is not installed is skipped with a note (`optional`, in
  // src/bench/dependencies.ts): the note goes to stderr as it happens and again under the
  // table, where a reader of stdout looks.
  const skipped: string[] = [];
  const progress = (line: string) => {
    process.stderr.write(`${line}\n`);
    if (line.trimStart().startsWith('(skipping ')) skipped.push(line.trim());
  };
  const context = { runs: quick ? Math.min(runs, 2) : runs, maxTime: quick ? Math.min(maxTime, 0.05) : maxTime, quick, progress, cluster };
  progress(`swarmguard bench ${suite.name}: ${suite.description}`);
  progress(`machine: ${host.cpu}, ${host.cores} cores, ${host.memoryGiB} GiB, Node ${host.node}; runs=${context.runs}`);
  const report = await suite.run(context);
  process.stdout.write(`${report.text}\n`);
  if (skipped.length) process.stdout.write(`\n${[...new Set(skipped)].join('\n')}\n`);
  if (json) {
    const settings = { runs: context.runs, maxTime: context.maxTime, quick: context.quick, ...cluster };
    writeFileSync(json, JSON.stringify({ suite: suite.name, machine: host, features: features(), ...settings, results: report.results }, null, 2));
    progress(`wrote ${json}`);
  }
  return 0;
}

/** `bench cluster`'s options, checked; any of them given to another suite is a misuse. */
function clusterOptions(suite: string, values: Record<string, string | boolean | undefined>): { nodes?: number; rate?: number; duration?: number; syncBlocks?: number; pipeline?: number } {
  const given = ['nodes', 'rate', 'duration', 'sync-blocks', 'pipeline'].filter((o) => values[o] !== undefined);
  if (suite !== 'cluster') {
    if (given.length) throw new UsageError(`--${given[0]} applies to bench cluster only`, BENCH_USAGE);
    return {};
  }
  const option = (name: string, parse: (v: string) => number) => (values[name] === undefined ? undefined : parse(values[name] as string));
  return {
    nodes: option('nodes', (v) => integerOption(v, '--nodes', 4, 16, BENCH_USAGE)),
    rate: option('rate', (v) => integerOption(v, '--rate', 1, 10_000_000, BENCH_USAGE)),
    duration: option('duration', (v) => secondsOption(v, '--duration', BENCH_USAGE)),
    syncBlocks: option('sync-blocks', (v) => integerOption(v, '--sync-blocks', 1, 1_000_000, BENCH_USAGE)),
    pipeline: option('pipeline', (v) => integerOption(v, '--pipeline', 1, 64, BENCH_USAGE)),
  };
}
