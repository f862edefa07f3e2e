import { ArgumentRangeError, requireArray, requireInteger, requireNumber, requireObject } from '../../check/index.js';

/** Most buckets a window may have. */
export const MAX_BUCKETS = 4096;

/** The geometry of a rolling window (validated by the decider), shared by every breaker built from the same options. */
export class WindowShape {
  readonly bucketMs: number;
  readonly buckets: number;
  /** Counters per slot: 2 (calls, failures) or 3 (calls, failures, slow). */
  readonly stride: 2 | 3;

  constructor(windowMs: number, buckets: number, trackSlow: boolean) {
    this.buckets = buckets;
    this.bucketMs = windowMs / buckets;
    this.stride = trackSlow ? 3 : 2;
  }
}

export interface WindowSnapshot {
  headEpoch: number;
  /** Buckets newest first, each [calls, failures, slow]. */
  buckets: number[][];
}

/**
 * Calls, failures and slow calls in a ring of time buckets covering the last `windowMs`.
 * Buckets are addressed by absolute epoch (`floor(now / bucketMs)`), so after an idle gap the
 * buckets that fell out of the window are cleared before anything is counted — a stale
 * failure never meets a fresh one. Advancing clears at most `buckets` slots; recording is O(1).
 */
export class RollingWindow {
  readonly shape: WindowShape;
  /** Slot i holds calls at stride·i, failures at stride·i+1 and slow calls at stride·i+2. */
  readonly counts: Uint32Array;
  /** Slot of the newest bucket. */
  head = 0;
  /** Epoch of the newest bucket; -Infinity before the first call. */
  headEpoch = -Infinity;
  calls = 0;
  failures = 0;
  slow = 0;

  constructor(shape: WindowShape) {
    this.shape = shape;
    this.counts = new Uint32Array(shape.stride * shape.buckets);
  }

  /** Moves the head to `now`'s bucket, dropping buckets older than the window. */
  advance(now: number): void {
    const { bucketMs, buckets: b, stride } = this.shape;
    const epoch = Math.floor(now / bucketMs);
    const gap = epoch - this.headEpoch;
    if (gap <= 0) return; // same bucket, or the clock stepped back: count into the newest bucket
    this.headEpoch = epoch;
    if (gap >= b) {
      this.counts.fill(0);
      this.calls = this.failures = this.slow = 0;
      return;
    }
    const c = this.counts;
    let h = this.head;
    for (let i = 0; i < gap; i++) {
      h = h + 1 === b ? 0 : h + 1;
      const at = stride * h;
      this.calls -= c[at];
      this.failures -= c[at + 1];
      c[at] = c[at + 1] = 0;
      if (stride === 3) {
        this.slow -= c[at + 2];
        c[at + 2] = 0;
      }
    }
    this.head = h;
  }

  add(now: number, failed: boolean, slow: boolean): void {
    // advance's own first test, here so this small method inlines into the breaker's hot path
    // and the loop behind it is called only when the bucket changed (written so NaN advances too)
    if (!(Math.floor(now / this.shape.bucketMs) <= this.headEpoch)) this.advance(now);
    const at = this.shape.stride * this.head;
    this.counts[at]++;
    this.calls++;
    if (failed) {
      this.counts[at + 1]++;
      this.failures++;
    }
    if (slow && this.shape.stride === 3) {
      this.counts[at + 2]++;
      this.slow++;
    }
  }

  clear(): void {
    this.counts.fill(0);
    this.calls = this.failures = this.slow = 0;
    this.headEpoch = -Infinity;
  }

  snapshot(): WindowSnapshot {
    const { buckets, stride } = this.shape;
    const out: number[][] = [];
    let h = this.head;
    for (let i = 0; i < buckets; i++) {
      const at = stride * h;
      out.push([this.counts[at], this.counts[at + 1], stride === 3 ? this.counts[at + 2] : 0]);
      h = h === 0 ? buckets - 1 : h - 1;
    }
    return { headEpoch: Number.isFinite(this.headEpoch) ? this.headEpoch : -1, buckets: out };
  }

  /** Loads `snapshot()` output; malformed input is refused (naming `where` and `argument`) before anything changes. */
  load(snapshot: unknown, where: string, argument: string): void {
    const s = requireObject<Partial<WindowSnapshot>>(snapshot, where, argument);
    const headEpoch = requireNumber(s.headEpoch, where, `${argument}.headEpoch`);
    const rows = requireArray(s.buckets, where, `${argument}.buckets`).map((row, i) => bucketRow(row, where, `${argument}.buckets[${i}]`));
    this.clear();
    if (headEpoch < 0) return;
    const { buckets, stride } = this.shape;
    this.head = 0;
    this.headEpoch = headEpoch;
    let h = 0;
    for (const [calls, failures, slow] of rows.slice(0, buckets)) {
      const at = stride * h;
      this.counts[at] = calls;
      this.counts[at + 1] = failures;
      this.calls += calls;
      this.failures += failures;
      if (stride === 3) {
        this.counts[at + 2] = slow;
        this.slow += slow;
      }
      h = h === 0 ? buckets - 1 : h - 1;
    }
  }
}

/** One saved bucket: [calls, failures, slow], neither failures nor slow calls above calls. */
function bucketRow(value: unknown, where: string, argument: string): [number, number, number] {
  const row = requireArray(value, where, argument);
  if (row.length !== 3) throw new ArgumentRangeError(where, argument, `must be [calls, failures, slow], got ${row.length} items`);
  const [calls, failures, slow] = row.map((v, i) => requireInteger(v, where, `${argument}[${i}]`, 0, 0xffffffff));
  if (failures > calls || slow > calls) throw new ArgumentRangeError(where, argument, `must not count more failures or slow calls than calls, got [${calls}, ${failures}, ${slow}]`);
  return [calls, failures, slow];
}
