import { median } from '../harness.js';

/** Per-call cost in ns of `calls` sequential awaited calls of `fn`, minus nothing (raw). */
export async function nsPerAsyncCall(fn: () => Promise<unknown>, calls: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) await fn();
  return ((performance.now() - t0) * 1e6) / calls;
}

/** Per-call cost in ns of a synchronous `fn`. */
export function nsPerSyncCall(fn: () => unknown, calls: number): number {
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) fn();
  return ((performance.now() - t0) * 1e6) / calls;
}

/**
 * Runs every subject once per round (side by side, so machine drift hits all alike) and
 * returns the median ns per call of each.
 */
export async function sideBySide(subjects: { name: string; run: () => Promise<number> | number }[], rounds: number, progress: (line: string) => void): Promise<Map<string, number>> {
  const samples = new Map<string, number[]>(subjects.map((s) => [s.name, []]));
  for (let r = 0; r < rounds; r++) {
    for (const s of subjects) {
      const ns = await s.run();
      samples.get(s.name)!.push(ns);
      progress(`  round ${r + 1}/${rounds} ${s.name}: ${ns.toFixed(1)} ns`);
    }
  }
  return new Map([...samples].map(([k, v]) => [k, median(v)]));
}
