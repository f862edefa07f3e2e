import { describe, expect, it } from 'vitest';
import { decideNewView, type ViewChange } from '../../src/consensus/index.js';
import { sha256 } from '../../src/hash/index.js';
import { checkNewViewSlots, type SlotsModelOptions, type SlotsModelReport, type SlotsRule } from '../_support/newViewModelSlots.js';

// The safety argument of the new-view rule over W pipelined slots, checked exhaustively
// (test/_support/newViewModelSlots.ts): for n = 4 (f = 1) and n = 7 (f = 2), every reachable
// assignment of what honest replicas hold over a bounded number of views (commit heights, prepared
// certificates and latest PREPAREs per slot), every report the Byzantine replicas can make and
// every choice of n - f view changes — the decided chain keeps every block that could have
// committed (slowly or on the fast path) above its base, and its base descends from those at or
// below it. `npm run model:newview:slots` runs W = 3 a view deeper and at n = 7, and every
// Byzantine report at W = 2.

const FULL = process.env.SWARMGUARD_MODEL_FULL === '1';
type Run = [n: number, depth: number, slots: 2 | 3, byzantine: 'all' | 'reduced'];
// 'reduced' leaves out only Byzantine reports that reach no other decision (see the model); the
// full run also checks views 0..1 at n = 4 and view 0 at n = 7 with every Byzantine report.
const RUNS: Run[] = FULL
  ? [
      [4, 2, 2, 'all'],
      [7, 1, 2, 'all'],
      [4, 2, 3, 'reduced'],
      [7, 1, 3, 'reduced'],
    ]
  : [
      [4, 2, 2, 'reduced'],
      [7, 1, 2, 'reduced'],
      [4, 1, 3, 'reduced'],
    ];

function summary(r: SlotsModelReport, seconds: number): string {
  return `n=${r.n} f=${r.f}, W=${r.slots}, views 0..${r.depth - 1}: ${r.states} states, ${r.decisions} decisions checked (${r.ruleCalls} distinct rule calls), ${seconds.toFixed(1)} s`;
}

describe('the new-view rule over pipelined slots, exhaustively', () => {
  for (const [n, depth, slots, byzantine] of RUNS) {
    it(`n = ${n}, W = ${slots}: keeps every block that could have committed, in views 0..${depth - 1}`, () => {
      const start = performance.now();
      const report = checkNewViewSlots(n, depth, { slots, byzantine });
      console.log(summary(report, (performance.now() - start) / 1000));
      expect(report.violations).toEqual([]);
      expect(report.decisions).toBeGreaterThan(0);
    }, FULL ? 60 * 60_000 : undefined);
  }

  // The checker has teeth: weakened protocols and rules it must catch.
  const catches = (options: SlotsModelOptions, depth = 2) => {
    const report = checkNewViewSlots(4, depth, options);
    expect(report.violations.length).toBeGreaterThan(0);
    return report.violations[0];
  };
  it('catches COMMIT at a slot without prepared certificates for the slots below it: the block can commit while its parent is chosen by no rule', () => {
    // Two replicas hold a certificate for AA at slot 2 but only a PREPARE for A at slot 1; the
    // view changes show A at slot 1 with too few votes, so the chain is empty and AA is lost.
    expect(catches({ slots: 2, commitNeedsAncestors: false })).toMatch(/AA could have committed at slot 2/);
  });
  it('catches PREPAREs that ignore the parent link: blocks of two branches could commit', () => {
    expect(catches({ slots: 2, parentRule: false })).toMatch(/could both have committed/);
  });
  it('catches a rule that ignores the reports of the slots after the first (ahead): it loses pipelined commits', () => {
    const firstSlotOnly: SlotsRule = (vcs, q) => decideNewView(vcs.map((vc) => ({ ...vc, ahead: [] }) as ViewChange), q, sha256);
    expect(catches({ slots: 2, rule: firstSlotOnly })).toMatch(/could have committed at slot 2/);
  });
});
