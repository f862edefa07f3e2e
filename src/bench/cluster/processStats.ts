import { readFileSync } from 'node:fs';

// CPU and memory of another process, read from Linux's /proc: the bench measures the node
// processes and the load generator from outside, the way `top` would.

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on every Linux Node supports). */
const TICKS_PER_SECOND = 100;

/** User + system CPU seconds `pid` has used so far, or NaN when it is gone (or not on Linux). */
function cpuSeconds(pid: number): number {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return Number.NaN;
  }
  // The command name (field 2) may hold spaces: fields are counted after its closing parenthesis.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Resident set size (`VmRSS`) and its peak (`VmHWM`) of `pid` in bytes; NaN when it is gone. */
export function memory(pid: number): { rss: number; peak: number } {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return { rss: Number.NaN, peak: Number.NaN };
  }
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN) * 1024;
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}

/** A snapshot of several processes' CPU seconds, and what each used since, per wall second. */
export class CpuMeter {
  private readonly start: number[];
  private readonly t0 = performance.now();

  constructor(private readonly pids: readonly number[]) {
    this.start = pids.map(cpuSeconds);
  }

  /** Cores each process kept busy since the meter was made (NaN for a process that exited). */
  read(): number[] {
    const seconds = (performance.now() - this.t0) / 1000;
    return this.pids.map((pid, i) => (cpuSeconds(pid) - this.start[i]) / seconds);
  }
}
