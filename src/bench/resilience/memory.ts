import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function used(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/**
 * Heap (plus ArrayBuffer backing stores) retained per object when `count` are created with
 * `create`, and the timers they started (setTimeout/setInterval calls while creating).
 */
export function bytesAndTimersPer(create: () => unknown, count: number): { bytes: number; timers: number } {
  const g = globalThis as unknown as Record<string, (...args: unknown[]) => unknown>;
  const realTimeout = g.setTimeout;
  const realInterval = g.setInterval;
  let timers = 0;
  const kept: unknown[] = new Array(count);
  const before = used();
  g.setTimeout = (...args) => (timers++, realTimeout(...args));
  g.setInterval = (...args) => (timers++, realInterval(...args));
  try {
    for (let i = 0; i < count; i++) kept[i] = create();
  } finally {
    g.setTimeout = realTimeout;
    g.setInterval = realInterval;
  }
  const after = used();
  const bytes = (after - before) / count;
  for (const k of kept) (k as { shutdown?: () => void }).shutdown?.();
  kept.length = 0;
  return { bytes, timers: timers / count };
}
