// The races behind `swarmguard bench`, one suite per area. A suite is loaded only when it runs:
// each brings its comparison libraries (dev dependencies, skipped with a note when absent) and
// the `benchmark` sampler, which the other commands do not need.
import { requireOneOf } from '../check/index.js';
import type { BenchSuite } from './suite.js';

export { loadSampler } from './harness.js';
export { machine } from './machine.js';
export type { BenchSuite } from './suite.js';

const suites: Record<string, () => Promise<{ default: BenchSuite }>> = {
  hash: () => import('./hash.js'),
  merkle: () => import('./merkle.js'),
  resilience: () => import('./resilience.js'),
  sig: () => import('./sig.js'),
  pq: () => import('./pq.js'),
  consensus: () => import('./consensus.js'),
  pipeline: () => import('./pipeline.js'),
  cluster: () => import('./cluster/suite.js'),
  validators: () => import('./validators/suite.js'),
  browser: () => import('./browser/suite.js'),
};

/** The suites `swarmguard bench` knows, in the order its usage lists them. */
export const BENCH_SUITES: readonly string[] = Object.keys(suites);

/** Loads the suite called `name` (one of `BENCH_SUITES`). */
export async function loadBenchSuite(name: string): Promise<BenchSuite> {
  return (await suites[requireOneOf(name, 'loadBenchSuite', 'name', BENCH_SUITES)]()).default;
}
