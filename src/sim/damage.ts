/**
 * The corruption budget. A crash may corrupt an honest replica's stored records (a log entry or
 * a block body it must then fetch again) only while fewer than f other honest replicas are so
 * damaged: a block committed by 2f+1 replicas is held by at least f+1 honest ones, so one of them
 * still holds it for the others (a Byzantine replica need not serve it). A damaged replica counts
 * from its crash until it is back at the height it had committed.
 */
export class DamageBudget {
  /** Damaged replicas, with the height each must reach again. */
  private readonly damaged = new Map<number, number>();
  /** The highest height each honest replica committed, as its Readys showed. */
  private readonly heights = new Map<number, number>();

  constructor(private readonly f: number) {}

  /** Whether a crash may corrupt replica `i`'s stored records now. */
  mayCorrupt(i: number): boolean {
    let others = 0;
    for (const k of this.damaged.keys()) if (k !== i) others++;
    return others < this.f;
  }

  /** Replica `i` crashed; `corrupted`: the crash corrupted its stored records. */
  crashed(i: number, corrupted: boolean): void {
    if (corrupted) this.damaged.set(i, this.heights.get(i) ?? 0);
  }

  /** Honest replica `i` is at `height` (it committed up to it, or restarted there). */
  reached(i: number, height: number, committed: boolean): void {
    if (committed) this.heights.set(i, Math.max(this.heights.get(i) ?? 0, height));
    if (height >= (this.damaged.get(i) ?? Infinity)) this.damaged.delete(i);
  }
}
