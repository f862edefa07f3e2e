import { expect } from 'vitest';
import { repro } from '../../src/cli/sim.js';
import type { SignatureScheme } from '../../src/consensus/index.js';
import { simulate } from '../../src/sim/index.js';

/** Seconds simulated per seed in `npm test`: faults for the first half, liveness checked in the second. */
const TEST_DURATION = 5;

/** Runs `count` consecutive seeds from `first` (each drawing its own fault mix) and expects no violation. */
export function runSeeds(first: number, count: number, replicas = 4, duration = TEST_DURATION, signatures: SignatureScheme = 'ed25519'): void {
  const failures: string[] = [];
  for (let seed = first; seed < first + count; seed++) {
    const r = simulate({ seed, replicas, duration, signatures });
    if (r.violations.length) failures.push(`${repro(r)}\n  ${r.violations.join('\n  ')}`);
  }
  expect(failures).toEqual([]);
}
