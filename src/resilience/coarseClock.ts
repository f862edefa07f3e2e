import type { Clock } from './clock.js';

// One process-wide cached `Date.now()`, refreshed by a single shared unref'd interval that
// runs only while the clock is being read: a read costs a variable load instead of a
// `Date.now()` call (~35-45 ns here). The timer stops after a second without reads (so calls
// a few ms apart do not restart it each time) and restarts, with a fresh read, on the next
// one; being unref'd it never keeps the process alive.

/** Refresh period of `coarseClock`, ms. */
export const COARSE_CLOCK_TICK_MS = 1;
const IDLE_TICKS_BEFORE_STOP = 1000;
/** Reads `recentClock` serves from the cache between two `Date.now()` calls of its own. */
export const RECENT_CLOCK_REUSES = 16;

let cached = 0;
let timer: ReturnType<typeof setInterval> | undefined;
let readSinceTick = false;
let idleTicks = 0;
/** Reads `recentClock` may still serve from `cached` before it calls `Date.now()` itself. */
let reuses = 0;

function tick(): void {
  // a read since the last tick either set the flag or used up one of the reuses
  const read = readSinceTick || reuses !== RECENT_CLOCK_REUSES;
  cached = Date.now();
  reuses = RECENT_CLOCK_REUSES;
  if (read) {
    readSinceTick = false;
    idleTicks = 0;
  } else if (++idleTicks >= IDLE_TICKS_BEFORE_STOP) {
    clearInterval(timer);
    timer = undefined;
    reuses = 0; // the next recentClock read restarts the timer
  }
}

function start(): void {
  cached = Date.now();
  reuses = RECENT_CLOCK_REUSES;
  idleTicks = 0;
  timer = setInterval(tick, COARSE_CLOCK_TICK_MS);
  (timer as { unref?: () => void }).unref?.();
}

/**
 * `Date.now()` to within `COARSE_CLOCK_TICK_MS` (plus event-loop delay) for code that yields
 * to the event loop between calls. It does not advance during one long synchronous stretch,
 * so pass it as `clock` only where calls are asynchronous (network I/O), never around a
 * synchronous dependency or a busy loop.
 */
export const coarseClock: Clock = () => {
  if (timer === undefined) start();
  readSinceTick = true;
  return cached;
};

/**
 * `Date.now()` as of the last tick or of at most `RECENT_CLOCK_REUSES` reads ago, whichever is
 * later: the coarse clock made safe for synchronous stretches, where the tick cannot run and
 * every seventeenth read calls `Date.now()`. A default breaker dates its successes with it
 * (never its failures or transitions): a success is dated at most a tick or sixteen reads early.
 */
export function recentClock(): number {
  if (reuses > 0) {
    reuses--;
    return cached;
  }
  // kept out of the small path above, so that one inlines into the breaker
  return refreshRecent();
}

function refreshRecent(): number {
  if (timer === undefined) start();
  else {
    cached = Date.now();
    reuses = RECENT_CLOCK_REUSES;
  }
  readSinceTick = true;
  return cached;
}
