import { integer, positive } from '../validate.js';

/** The geometry of a rolling window, shared by every breaker built from the same options. */
export class WindowShape {
  readonly bucketMs: number;
  readonly buckets: number;
  /** Counters per slot: 2 (calls, failures) or 3 (calls, failures, slow). */
  readonly stride: 2 | 3;

  constructor(windowMs: number, buckets: number, trackSlow: boolean, names = { windowMs: 'windowMs', buckets: 'buckets' }) {
    positive(windowMs, names.windowMs);
    this.buckets = integer(buckets, names.buckets, 1, 4096);
    this.bucketMs = windowMs / this.buckets;
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
    this.advance(now);
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

  /** Loads `snapshot()` output; throws TypeError/RangeError on malformed input, leaving the window empty. */
  load(snapshot: unknown): void {
    const s = snapshot as Partial<WindowSnapshot> | null;
    if (!s || typeof s.headEpoch !== 'number' || !Array.isArray(s.buckets) || !s.buckets.every((b) => Array.isArray(b) && b.length === 3)) {
      throw new TypeError('window snapshot must be { headEpoch, buckets: [calls, failures, slow][] }');
    }
    this.clear();
    const rows = s.buckets.map((row) => row.map((v, i) => integer(v, `window.buckets[][${i}]`, 0, 0xffffffff)));
    if (rows.some(([calls, failures, slow]) => failures > calls || slow > calls)) throw new RangeError('window bucket counts exceed its calls');
    if (s.headEpoch < 0) return;
    const { buckets, stride } = this.shape;
    this.head = 0;
    this.headEpoch = s.headEpoch;
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
