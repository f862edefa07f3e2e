import { describe, expect, it } from 'vitest';
import { phiAccrual, PhiAccrualDetector } from '../../src/resilience/index.js';
import { HeartbeatHistory } from '../../src/resilience/heartbeatHistory.js';
import { haveVectors, missingVectorsReason, readVectors } from '../_support/vectors.js';

type Expect = { approx?: number; tolerance?: number; gt?: number; lt?: number; equals?: number | boolean; approxSaved?: string };
interface Vectors {
  phiFunctionCases: { timeDiffMs: number; meanMs: number; stdDeviationMs: number; expect: { cdfOfPhi?: Expect; phi?: Expect } }[];
  detectorScenarios: {
    name: string;
    params: { threshold: number; maxSampleSize: number; minStdDeviationMs: number; acceptableHeartbeatPauseMs: number; firstHeartbeatEstimateMs: number };
    clockIntervalsMs: number[];
    steps: { op: 'heartbeat' | 'phi' | 'isAvailable' | 'isMonitoring'; count?: number; expect?: Expect; saveAs?: string }[];
  }[];
  heartbeatHistoryCases: { maxSampleSize: number; intervalsMs: number[]; expect: { mean?: number; variance?: number; tolerance: number } }[];
}

function check(value: number | boolean, e: Expect, saved: Map<string, number>, what: string): void {
  if (e.equals !== undefined) expect(value, what).toBe(e.equals);
  if (e.approx !== undefined) expect(Math.abs((value as number) - e.approx), what).toBeLessThanOrEqual(e.tolerance!);
  if (e.gt !== undefined) expect(value as number, what).toBeGreaterThan(e.gt);
  if (e.lt !== undefined) expect(value as number, what).toBeLessThan(e.lt);
  if (e.approxSaved !== undefined) expect(Math.abs((value as number) - saved.get(e.approxSaved)!), what).toBeLessThanOrEqual(e.tolerance!);
}

describe.skipIf(!haveVectors)(`phi accrual: Pekko expectations (shared/vectors/phi)${haveVectors ? '' : ` — ${missingVectorsReason}`}`, () => {
  const v = haveVectors ? readVectors<Vectors>('phi', 'pekko_phi_accrual_expectations.json') : undefined;

  it('phi function cases', () => {
    expect(v!.phiFunctionCases.length).toBe(17);
    for (const c of v!.phiFunctionCases) {
      const p = phiAccrual(c.timeDiffMs, c.meanMs, c.stdDeviationMs);
      const what = `phiAccrual(${c.timeDiffMs}, ${c.meanMs}, ${c.stdDeviationMs}) = ${p}`;
      if (c.expect.cdfOfPhi) check(1 - 10 ** -p, c.expect.cdfOfPhi, new Map(), what);
      if (c.expect.phi) check(p, c.expect.phi, new Map(), what);
    }
  });

  it('phi properties: monotone in timeDiff, lower with larger stdDeviation', () => {
    for (let x = 0; x < 40; x++) expect(phiAccrual(x, 0, 10)).toBeLessThan(phiAccrual(x + 1, 0, 10));
    expect(phiAccrual(1100, 1000, 500)).toBeLessThan(phiAccrual(1100, 1000, 100));
  });

  it('detector scenarios', () => {
    expect(v!.detectorScenarios.length).toBe(9);
    for (const s of v!.detectorScenarios) {
      let t = 0;
      let i = 0;
      const next = () => (t += s.clockIntervalsMs[Math.min(i++, s.clockIntervalsMs.length - 1)]);
      const d = new PhiAccrualDetector({ ...s.params, clock: next });
      const saved = new Map<string, number>();
      for (const step of s.steps) {
        const what = `${s.name}: ${step.op}`;
        if (step.op === 'heartbeat') for (let n = 0; n < (step.count ?? 1); n++) d.heartbeat();
        else if (step.op === 'isMonitoring') check(d.isMonitoring, step.expect!, saved, what);
        else {
          const value = step.op === 'phi' ? d.phi() : d.isAvailable();
          if (step.saveAs) saved.set(step.saveAs, value as number);
          if (step.expect) check(value, step.expect, saved, what);
        }
      }
    }
  });

  it('heartbeat history mean and population variance', () => {
    for (const c of v!.heartbeatHistoryCases) {
      const h = new HeartbeatHistory(c.maxSampleSize);
      for (const x of c.intervalsMs) h.add(x);
      if (c.expect.mean !== undefined) expect(Math.abs(h.mean - c.expect.mean)).toBeLessThanOrEqual(c.expect.tolerance);
      if (c.expect.variance !== undefined) expect(Math.abs(h.variance - c.expect.variance)).toBeLessThanOrEqual(c.expect.tolerance);
    }
  });
});

describe('PhiAccrualDetector options', () => {

  it('phi is 0 (not -0) for early arrivals and Infinity after a very long pause', () => {
    expect(Object.is(phiAccrual(-25, 0, 1), 0)).toBe(true);
    const d = new PhiAccrualDetector();
    d.heartbeat(0);
    expect(d.phi(300_000)).toBe(Infinity);
    expect(d.isAvailable(300_000)).toBe(false);
  });
});
