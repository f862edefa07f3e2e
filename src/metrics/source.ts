/** `counter` only grows (between restarts); `gauge` goes up and down. */
export type MetricType = 'counter' | 'gauge';

/** One named metric and its label names, declared once when a source is registered. */
export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly labelNames: readonly string[];
}

/** One value of a family, for one set of labels. */
export interface MetricSample {
  /** The family's name. */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/**
 * What any part exposes to be scraped, as plain data: the families it reports (fixed for its
 * lifetime) and, on each scrape, their samples. Nothing here names a metrics library.
 */
export interface MetricSource {
  readonly families: readonly MetricFamily[];
  collect(): Iterable<MetricSample>;
}
