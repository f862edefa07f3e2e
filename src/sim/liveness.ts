import type { InvariantChecker } from './checker.js';
import type { RequestRecord } from './workload.js';

/** What the liveness checks need of each live honest replica at the end. */
export interface ReplicaEnd {
  id: number;
  view: number;
  inViewChange: boolean;
  height: number;
}

/** Extra simulated time allowed beyond the view timeouts: retries, transfers, client round trips. */
const SLACK_MS = 2000;

/**
 * Liveness after the faults heal, as a bound rather than a fixed window. At the heal, every
 * honest replica's view timeout is known (`viewTimeout`: the base doubled for each view left
 * since progress on pending work). From there, at most f Byzantine primaries in a row, then one
 * more view for the lagging ones, can stand between the replicas and an honest primary, each
 * view doubling the timeout: `bound = T·(2^(f+2) − 1) + slack`, T the largest timeout at the heal.
 * The run goes on past its nominal end (clients send nothing new) until every transaction was
 * answered and the honest replicas settled, or until the bound says it should have.
 */
export class LivenessCheck {
  /** The recovery bound in ms, known at the heal. */
  bound = Infinity;
  private healAt = Infinity;
  private lastNewHeight = Infinity;
  private longestGap = 0;

  constructor(
    private readonly f: number,
    private readonly checker: InvariantChecker,
  ) {}

  heal(now: number, timeouts: number[]): void {
    this.healAt = now;
    this.bound = Math.max(0, ...timeouts) * (2 ** (this.f + 2) - 1) + SLACK_MS;
  }

  /** A height committed for the first time anywhere. */
  newHeight(now: number): void {
    if (now < this.healAt) return;
    if (this.lastNewHeight !== Infinity) this.longestGap = Math.max(this.longestGap, now - this.lastNewHeight);
    this.lastNewHeight = now;
  }

  /** When the run must have settled by. */
  deadline(end: number): number {
    return Math.max(end, this.healAt + this.bound);
  }

  /** Whether every transaction sent was executed and the honest replicas agree on view and height (nothing left to wait for). */
  settled(idle: boolean, ends: ReplicaEnd[]): boolean {
    return idle && ends.length > 0 && ends.every((e) => !e.inViewChange && e.view === ends[0].view && e.height === ends[0].height);
  }

  /**
   * The checks after the heal: every transaction a client sent was executed within the bound of
   * `max(sent, heal)`; after the first block past the heal, no gap between new heights exceeded
   * the bound (steady progress, not one block); every live honest replica ends in the common
   * view, out of view change, at the common height (so it votes on what comes next).
   */
  finish(now: number, requests: ReadonlyMap<string, RequestRecord>, executedAt: ReadonlyMap<string, number>, ends: ReplicaEnd[]): void {
    if (this.healAt === Infinity) return;
    let late = 0;
    let lost = 0;
    let example = '';
    for (const [key, r] of requests) {
      const due = Math.max(r.sentAt, this.healAt) + this.bound;
      const at = executedAt.get(r.id);
      if (at === undefined && now >= due) lost++;
      else if (at !== undefined && at > due) late++;
      else continue;
      example ||= `${key} sent at ${Math.round(r.sentAt)} ms, ${at === undefined ? 'never executed' : `executed at ${Math.round(at)} ms`}`;
    }
    const bound = `${Math.round(this.bound)} ms`;
    if (lost + late > 0) this.checker.fail(`liveness: ${lost} transactions never executed and ${late} executed late (bound ${bound} after the heal or their sending; e.g. ${example})`);
    if (this.longestGap > this.bound) this.checker.fail(`liveness: ${Math.round(this.longestGap)} ms between two new heights after the heal (bound ${bound})`);
    const view = Math.max(...ends.map((e) => e.view));
    const height = Math.max(...ends.map((e) => e.height));
    const apart = ends.filter((e) => e.inViewChange || e.view !== view || e.height !== height);
    if (apart.length) {
      const list = apart.map((e) => `${e.id} (view ${e.view}${e.inViewChange ? ', in view change' : ''}, height ${e.height})`).join(', ');
      this.checker.fail(`liveness: honest replicas not in the common view ${view} at height ${height} at the end: ${list}`);
    }
  }
}
