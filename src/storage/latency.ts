/**
 * Upper bounds (seconds) of the write-latency buckets: a LevelDB `sync: true` batch takes about
 * 0.5 ms to 2 ms on an SSD; the top buckets catch a stalled disk or a long queue.
 */
const WRITE_SECONDS_BUCKETS: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** A Prometheus-shaped histogram: cumulative counts per upper bound (the last is +Inf), sum and count. */
export interface LatencyHistogram {
  /** Upper bounds in seconds, ascending; `counts` has one more entry, for +Inf. */
  readonly buckets: readonly number[];
  /** Observations ≤ each bound (cumulative), then all of them. */
  readonly counts: readonly number[];
  readonly sum: number;
  readonly count: number;
}

/** Counts latencies into fixed buckets: O(buckets) per observation, no allocation. */
export class LatencyRecorder {
  private readonly perBucket = new Array<number>(WRITE_SECONDS_BUCKETS.length + 1).fill(0);
  private sum = 0;
  private count = 0;
  last = 0;

  observe(seconds: number): void {
    let i = 0;
    while (i < WRITE_SECONDS_BUCKETS.length && seconds > WRITE_SECONDS_BUCKETS[i]) i++;
    this.perBucket[i]++;
    this.sum += seconds;
    this.count++;
    this.last = seconds;
  }

  snapshot(): LatencyHistogram {
    const counts: number[] = [];
    let running = 0;
    for (const n of this.perBucket) counts.push((running += n));
    return { buckets: WRITE_SECONDS_BUCKETS, counts, sum: this.sum, count: this.count };
  }
}
