import type { GuardFactory } from './subjects.js';
import { drain, VirtualTime } from './virtualTime.js';

/**
 * The scripted fault: calls arrive at 1,000/s; the dependency answers in 1 ms; it fails every
 * call for 2 s starting at `faultAt`, then recovers.
 */
export interface FaultOutcome {
  /** From the fault to the breaker opening; NaN if it never opened. */
  openAfterMs: number;
  /** Calls that reached the failing dependency before the breaker opened. */
  leakedBeforeOpen: number;
  /** Calls that reached the failing dependency during the whole fault (probes included). */
  reachedDuringFault: number;
  /** From recovery to the breaker closing; NaN if it did not close. */
  closeAfterMs: number;
  /** Calls refused after the dependency had recovered. */
  rejectedAfterRecovery: number;
}

const RATE_PER_MS = 1;
const LATENCY_MS = 1;
const FAULT_MS = 2000;
const AFTER_MS = 1500;

interface Run {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Issues calls due up to the end, pacing them at the arrival rate. */
  drive: (issue: (at: number) => void, start: number, end: number) => Promise<void>;
}

async function scenario(factory: GuardFactory, run: Run, clock: () => number, faultDelayMs: number): Promise<FaultOutcome> {
  const g = factory.create(clock, run.now);
  const start = run.now();
  const faultAt = start + faultDelayMs;
  const recoverAt = faultAt + FAULT_MS;
  const end = recoverAt + AFTER_MS;
  let reachedDuringFault = 0;
  const faultCalls: number[] = [];
  let rejectedAfterRecovery = 0;
  const dependency = async () => {
    const t = run.now();
    const failing = t >= faultAt && t < recoverAt;
    if (failing) {
      reachedDuringFault++;
      faultCalls.push(t);
    }
    await run.sleep(LATENCY_MS);
    if (failing) throw new Error('dependency down');
  };
  await run.drive(
    (at) => {
      g.call(dependency).catch((err: unknown) => {
        if (g.isRejection(err) && at >= recoverAt) rejectedAfterRecovery++;
      });
    },
    start,
    end,
  );
  g.dispose();
  const opened = g.opened.find((t) => t >= faultAt);
  const closed = g.closed.find((t) => t >= recoverAt);
  return {
    openAfterMs: opened === undefined ? NaN : opened - faultAt,
    leakedBeforeOpen: opened === undefined ? reachedDuringFault : faultCalls.filter((t) => t < opened).length,
    reachedDuringFault,
    closeAfterMs: closed === undefined ? NaN : closed - recoverAt,
    rejectedAfterRecovery,
  };
}

/** Runs the fault on a virtual clock (exact, repeatable); `faultDelayMs` shifts its phase. */
export async function virtualFault(factory: GuardFactory, faultDelayMs: number): Promise<FaultOutcome> {
  const vt = new VirtualTime();
  vt.install();
  try {
    const run: Run = {
      now: vt.clock,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      drive: async (issue, _start, end) => {
        const timer = setInterval(() => issue(vt.now), 1 / RATE_PER_MS);
        await vt.runUntil(end);
        clearInterval(timer);
        await vt.runUntil(end + 10 * LATENCY_MS);
      },
    };
    return await scenario(factory, run, vt.clock, faultDelayMs);
  } finally {
    vt.uninstall();
  }
}

/** Runs the fault once on the real clock (timers and all): noisier, but nothing simulated. */
export async function realFault(factory: GuardFactory, faultDelayMs: number): Promise<FaultOutcome> {
  const now = () => performance.now();
  const run: Run = {
    now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    drive: async (issue, start, end) => {
      let issued = 0;
      while (now() < end) {
        const due = Math.floor((now() - start) * RATE_PER_MS);
        while (issued < due) {
          issue(start + issued / RATE_PER_MS);
          issued++;
        }
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
      await drain();
    },
  };
  return scenario(factory, run, now, faultDelayMs);
}

export const FAULT = { ratePerSecond: 1000 * RATE_PER_MS, latencyMs: LATENCY_MS, faultMs: FAULT_MS };
