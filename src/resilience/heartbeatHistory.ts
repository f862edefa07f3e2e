/** Sliding window of the last `maxSampleSize` heartbeat intervals with running sums (arguments checked by the detector). */
export class HeartbeatHistory {
  readonly maxSampleSize: number;
  private readonly intervals: Float64Array;
  private start = 0;
  size = 0;
  private sum = 0;
  private sumSquares = 0;

  constructor(maxSampleSize: number) {
    this.maxSampleSize = maxSampleSize;
    this.intervals = new Float64Array(this.maxSampleSize);
  }

  add(interval: number): void {
    const cap = this.maxSampleSize;
    if (this.size === cap) {
      const old = this.intervals[this.start];
      this.sum -= old;
      this.sumSquares -= old * old;
      this.intervals[this.start] = interval;
      this.start = (this.start + 1) % cap;
    } else {
      this.intervals[(this.start + this.size) % cap] = interval;
      this.size++;
    }
    this.sum += interval;
    this.sumSquares += interval * interval;
  }

  clear(): void {
    this.start = 0;
    this.size = 0;
    this.sum = 0;
    this.sumSquares = 0;
  }

  get mean(): number {
    return this.sum / this.size;
  }

  /** Population variance. */
  get variance(): number {
    const m = this.mean;
    return Math.max(0, this.sumSquares / this.size - m * m);
  }

  get stdDeviation(): number {
    return Math.sqrt(this.variance);
  }
}
