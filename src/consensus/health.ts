/**
 * Decides only whether waiting a little for the fast path (all n PREPAREs) is worth it — never
 * what is safe. It keeps an EMA of how long the n-th PREPARE takes after the 2f+1-th, an EMA of
 * how often all n arrive at all (loss, silent or slow replicas), and a decaying count of observed
 * Byzantine behaviour. Only behaviour proven by valid signatures counts: a bad signature proves
 * nothing about the validator it names (anyone can send one under its id), and counting it would
 * let any peer turn the fast path off.
 */
export class HealthMonitor {
  private latency = 0;
  private success = 1;
  private byzantine = 0;
  private blocks = 0;
  private down = 0;

  constructor(
    private readonly enabled: boolean,
    private readonly minWindow: number,
    private readonly maxWindow: number,
  ) {}

  /** A slot finished: whether all n PREPAREs arrived, and how long after the quorum the last came. */
  observe(allPrepares: boolean, lagAfterQuorum: number): void {
    this.blocks++;
    this.success = 0.9 * this.success + 0.1 * (allPrepares ? 1 : 0);
    if (allPrepares) this.latency = 0.8 * this.latency + 0.2 * Math.max(0, lagAfterQuorum);
    this.byzantine *= 0.95;
  }

  /** A validator was proven Byzantine by its own valid signatures: equivocation, or a validly signed frame no honest validator sends. */
  suspect(): void {
    this.byzantine = Math.min(this.byzantine + 1, 100);
  }

  /** How many peers the host's failure detector suspects now: while any is, all n PREPAREs will not come. */
  peersDown(count: number): void {
    this.down = count;
  }

  /** Milliseconds to hold back the COMMIT phase hoping for all n PREPAREs; 0 means do not wait. */
  fastWindow(): number {
    if (!this.enabled || this.down > 0) return 0;
    // Every 32nd slot probes even when unhealthy, so a recovered network is noticed.
    const probe = this.blocks % 32 === 0;
    if (!probe && (this.success < 0.6 || this.byzantine > 1)) return 0;
    return Math.min(this.maxWindow, Math.max(this.minWindow, 3 * this.latency));
  }

  snapshot(): { fastSuccess: number; lagEma: number; byzantine: number; peersDown: number } {
    return { fastSuccess: this.success, lagEma: this.latency, byzantine: this.byzantine, peersDown: this.down };
  }
}
