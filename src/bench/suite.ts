/** What every bench suite (`src/bench/<name>.ts`) exports as default. */
export interface BenchSuite {
  name: string;
  description: string;
  /** It times with `measure`'s `benchmark` sampler, which the CLI loads before it starts (unless `--quick`). */
  sampled?: true;
  /** Checks, before any work, that what it cannot run without is here (a `BenchUnavailableError` naming what is not). */
  preflight?(): Promise<void>;
  run(context: BenchContext): Promise<BenchReport>;
}

export interface BenchContext {
  /** Rounds per measurement; the median is reported. */
  runs: number;
  /** Seconds per `benchmark` sample run. */
  maxTime: number;
  /** Smaller sizes and fewer rounds, for a quick look (and the CLI test). */
  quick: boolean;
  /** Progress goes to stderr, so stdout holds only the table. */
  progress(line: string): void;
  /** `bench cluster`'s own options (each absent: its default). */
  cluster?: { nodes?: number; rate?: number; duration?: number; syncBlocks?: number; pipeline?: number };
}

export interface BenchReport {
  /** Plain-text tables for stdout. */
  text: string;
  /** Machine-readable results for `--json FILE`. */
  results: unknown;
}
