/**
 * A virtual clock that stands in for Date.now, setTimeout and setInterval while a scenario
 * runs, so libraries that read the global clock (cockatiel, opossum) run on simulated time
 * too. Timers fire in (time, creation) order; microtasks are drained after each one.
 */
interface VirtualTimer {
  id: number;
  at: number;
  every: number;
  fn: () => void;
  cleared: boolean;
  unref(): VirtualTimer;
  ref(): VirtualTimer;
  hasRef(): boolean;
  [Symbol.toPrimitive](): number;
}

export class VirtualTime {
  now: number;
  private timers: VirtualTimer[] = [];
  private nextId = 1;
  private saved: Record<string, unknown> | undefined;

  constructor(start = 1_700_000_000_000) {
    this.now = start;
  }

  readonly clock = (): number => this.now;

  /** Replaces the global clock and timers until `uninstall()`. */
  install(): void {
    const g = globalThis as unknown as Record<string, unknown>;
    this.saved = { setTimeout: g.setTimeout, clearTimeout: g.clearTimeout, setInterval: g.setInterval, clearInterval: g.clearInterval, now: Date.now };
    g.setTimeout = (fn: () => void, ms = 0) => this.add(fn, ms, 0);
    g.setInterval = (fn: () => void, ms = 0) => this.add(fn, ms, Math.max(1, ms));
    g.clearTimeout = g.clearInterval = (t: VirtualTimer | number | undefined) => this.clear(t);
    Date.now = () => this.now;
  }

  uninstall(): void {
    const g = globalThis as unknown as Record<string, unknown>;
    const s = this.saved!;
    g.setTimeout = s.setTimeout;
    g.clearTimeout = s.clearTimeout;
    g.setInterval = s.setInterval;
    g.clearInterval = s.clearInterval;
    Date.now = s.now as () => number;
    this.saved = undefined;
  }

  add(fn: () => void, ms: number, every: number): VirtualTimer {
    const timer: VirtualTimer = {
      id: this.nextId++,
      at: this.now + Math.max(0, ms),
      every,
      fn,
      cleared: false,
      unref: () => timer,
      ref: () => timer,
      hasRef: () => true,
      [Symbol.toPrimitive]: () => timer.id,
    };
    this.timers.push(timer);
    return timer;
  }

  clear(t: VirtualTimer | number | undefined): void {
    if (t === undefined) return;
    const timer = typeof t === 'number' ? this.timers.find((x) => x.id === t) : t;
    if (timer) timer.cleared = true;
  }

  /** Runs every timer due up to `until`, in order, draining microtasks after each. */
  async runUntil(until: number): Promise<void> {
    for (;;) {
      this.timers = this.timers.filter((t) => !t.cleared);
      let next: VirtualTimer | undefined;
      for (const t of this.timers) if (t.at <= until && (next === undefined || t.at < next.at || (t.at === next.at && t.id < next.id))) next = t;
      if (next === undefined) break;
      this.now = Math.max(this.now, next.at);
      if (next.every > 0) next.at += next.every;
      else next.cleared = true;
      next.fn();
      await drain();
    }
    this.now = until;
    await drain();
  }
}

const realSetImmediate = setImmediate;

/** Lets every pending promise reaction run (setImmediate runs after the microtask queue). */
export function drain(): Promise<void> {
  return new Promise((resolve) => realSetImmediate(resolve));
}
