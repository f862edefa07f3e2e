import { describe, expect, it } from 'vitest';
import { repro } from '../../src/cli/sim.js';
import { simulate } from '../../src/sim/index.js';
import { expectRefusal } from '../_support/refusals.js';
import { runSeeds } from '../_support/swarm.js';

// The simulator with hybrid consensus signatures (Ed25519 + ML-DSA-65 on every message): the
// swarm's invariants hold as with Ed25519 alone. `npm run sim:hybrid:soak` runs more seeds.

const HYBRID = 'ed25519+mldsa65' as const;

describe("simulator with signatures 'ed25519+mldsa65'", () => {
  it('keeps every invariant on seeds 1–6 (n = 4, one Byzantine replica, drawn faults)', () => runSeeds(1, 6, 4, 5, HYBRID), 300_000);

  it('commits under the scheme (the commit proof of every height verifies against the hybrid set) and reproduces a run from its seed', () => {
    const a = simulate({ seed: 21, duration: 2, signatures: HYBRID, faults: ['bad-signatures', 'equivocate-votes', 'malformed'] });
    const b = simulate({ seed: 21, duration: 2, signatures: HYBRID, faults: ['bad-signatures', 'equivocate-votes', 'malformed'] });
    expect(a.violations).toEqual([]);
    expect(a.signatures).toBe(HYBRID);
    expect(a.committedBlocks).toBeGreaterThan(5);
    expect(a.proofsChecked).toBe(a.committedBlocks);
    expect(b.traceHash).toBe(a.traceHash);
    // Byzantine bad signatures (either half) and garbage are dropped, never crash a replica.
    const dropped = a.status.flatMap((s) => (s ? [s.dropped] : []));
    expect(dropped.some((d) => d.badSignature > 0)).toBe(true);
    expect(dropped.some((d) => d.malformed > 0)).toBe(true);
    expect(repro(a)).toMatch(/ --signatures ed25519\+mldsa65$/);
  });

  it('refuses an unknown scheme, and hybrid signatures with epochs', () => {
    expectRefusal(() => simulate({ seed: 1, signatures: 'rsa' as never }), 'range', 'simulate', 'options.signatures', "must be one of 'ed25519', 'ed25519+mldsa65'");
    expectRefusal(() => simulate({ seed: 1, signatures: HYBRID, epochs: { epochBlocks: 8, candidates: 5 } }), 'range', 'simulate', 'options.signatures', "must be 'ed25519' with options.epochs");
  });
});
