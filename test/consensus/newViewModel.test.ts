import { describe, expect, it } from 'vitest';
import { decideNewView, type ViewChange } from '../../src/consensus/index.js';
import { checkNewViewRule, type ModelReport, type NewViewRule } from '../_support/newViewModel.js';

// The safety argument of the new-view rule, checked exhaustively (test/_support/newViewModel.ts):
// for n = 4 (f = 1) and n = 7 (f = 2), every reachable assignment of what honest replicas hold
// over a bounded number of views, every report Byzantine replicas can make, and every choice of
// n - f view changes a primary can decide from — the rule never replaces a block that could have
// committed, slowly or on the fast path. `npm run model:newview` runs deeper views.

const FULL = process.env.SWARMGUARD_MODEL_FULL === '1';
const RUNS: [n: number, depth: number][] = FULL ? [[4, 4], [7, 3]] : [[4, 3], [7, 2]];

function summary(r: ModelReport): string {
  return `n=${r.n} f=${r.f}, views 0..${r.depth - 1}: ${r.states} states, ${r.decisions} decisions checked`;
}

describe('the new-view rule, exhaustively', () => {
  for (const [n, depth] of RUNS) {
    it(`n = ${n}: never replaces a block that could have committed, in views 0..${depth - 1}`, () => {
      const report = checkNewViewRule(n, depth);
      console.log(summary(report));
      expect(report.violations).toEqual([]);
      expect(report.decisions).toBeGreaterThan(0);
    }, FULL ? 30 * 60_000 : undefined);
  }

  // The checker has teeth: weakened rules it must catch.
  const withoutLatest: NewViewRule = (vcs, q) => decideNewView(vcs.map((vc) => ({ ...vc, latest: null }) as ViewChange), q, () => new Uint8Array(32));
  const withoutPrepared: NewViewRule = (vcs, q) => decideNewView(vcs.map((vc) => ({ ...vc, prepared: [] }) as ViewChange), q, () => new Uint8Array(32));
  it('catches PBFT\'s rule alone (prepared certificates only): it loses fast-path commits', () => {
    const report = checkNewViewRule(4, 2, withoutLatest);
    expect(report.violations.length).toBeGreaterThan(0);
    expect(report.violations[0]).toMatch(/could have committed/);
  });
  it('catches the latest votes alone (no certificates): it loses slow-path commits', () => {
    expect(checkNewViewRule(4, 2, withoutPrepared).violations.length).toBeGreaterThan(0);
  });
});
