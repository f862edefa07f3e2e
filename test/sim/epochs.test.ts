import { describe, expect, it } from 'vitest';
import { repro } from '../../src/cli/sim.js';
import { nodeSha256 } from '../../src/node/index.js';
import { type EpochReport, InvariantChecker, type SimResult, simulate } from '../../src/sim/index.js';
import { expectRefusals } from '../_support/refusals.js';

// Epoch reconfiguration in the simulator: seven candidate hosts run the validator state machine,
// committees of four hand over every 16 blocks, while the network's faults strike and the
// Byzantine member equivocates.

const EPOCHS = { epochBlocks: 16, candidates: 7 };

/** One epoch run (8 simulated seconds unless said): its seed is printed, and any violation with the command that replays it. */
function run(seed: number, options: { replicas?: number; epochs?: typeof EPOCHS; duration?: number } = {}): SimResult & { epochs: EpochReport } {
  const r = simulate({ seed, duration: 8, epochs: EPOCHS, ...options });
  const e = r.epochs as EpochReport;
  console.log(`epochs seed ${seed}: ${e.sets.length} sets, ${e.joins} joins, ${e.leaves} leaves, ${r.committedBlocks} blocks; faults ${r.faults.join(',') || 'none'}`);
  expect(r.violations, repro(r)).toEqual([]);
  return r as SimResult & { epochs: EpochReport };
}

describe('simulator with epochs', () => {
  for (const seed of [1, 4, 7]) {
    it(`seed ${seed}: members join and leave, the equivocator is slashed, jailed and leaves`, () => {
      const r = run(seed);
      const e = r.epochs;
      // Epoch 1's committee is drawn from the electorate fixed at genesis, so the first hand-over
      // keeps the genesis members; candidates registered in epoch 0 are electable from epoch 2.
      expect(e.sets.length).toBeGreaterThanOrEqual(5);
      expect(e.joins).toBeGreaterThan(0);
      expect(e.leaves).toBeGreaterThan(0);
      // The three waiting candidates registered, one member unbonded, evidence convicted the equivocator.
      expect(e.staking.register).toEqual({ applied: 3, refused: {} });
      expect(e.staking.unbond.applied).toBe(1);
      expect(e.staking.evidence.applied).toBeGreaterThan(0);
      // Members recorded the commit certificates of their share of the heights (performance).
      expect(e.staking['record-commit'].applied).toBeGreaterThan(r.committedBlocks / 2);
      expect(BigInt(e.burned)).toBeGreaterThan(0n);
      expect(e.jailed).toBeGreaterThanOrEqual(2);
      // Committees were drawn from VRF seeds the designated provers sent (the last one may land too late).
      expect(e.staking['epoch-seed'].applied).toBeGreaterThanOrEqual(e.sets.length - 2);
      const [equivocator] = r.byzantineIds;
      expect(e.sets[0]).toContain(equivocator);
      expect(e.sets.at(-1)).not.toContain(equivocator);
      // Every height's commit proof verified against the set that signed it.
      expect(r.proofsChecked).toBe(r.committedBlocks);
      expect(r.committedBlocks).toBeGreaterThan(3 * EPOCHS.epochBlocks);
    });
  }

  it('seeds 100–114 keep every invariant across the hand-overs', () => {
    for (let seed = 100; seed < 115; seed++) run(seed);
  });

  it('a member that did not reach the last set’s end before the set after it was recorded starts from the recorded state', () => {
    // About one seed in 20 shows it (seeds 9 and 32 of the first 40); a change that moves the
    // traces may move it to another seed, which `starts.overtaken` finds.
    const r = run(9, { epochs: { epochBlocks: 8, candidates: 7 }, duration: 6 });
    expect(r.epochs.starts.overtaken).toBeGreaterThan(0);
    expect(r.epochs.starts.own).toBeGreaterThan(0);
    expect(r.epochs.starts.recorded).toBeGreaterThan(0);
  });

  it('committees of seven with two Byzantine members', () => {
    const r = run(3, { replicas: 7, epochs: { epochBlocks: 16, candidates: 10 } });
    expect(r.byzantineIds).toHaveLength(2);
    expect(r.epochs.sets.length).toBeGreaterThanOrEqual(3);
    // Epoch 1 draws from genesis's electorate, less the two jailed equivocators: all five left.
    // Later committees draw from the registered candidates too and are full again.
    expect(r.epochs.sets.every((s) => s.length >= 5)).toBe(true);
    expect(r.epochs.sets.at(-1)).toHaveLength(7);
  });

  it('replays a seed exactly', () => {
    const a = simulate({ seed: 9, duration: 2, epochs: EPOCHS });
    const b = simulate({ seed: 9, duration: 2, epochs: EPOCHS });
    expect(b.traceHash).toBe(a.traceHash);
    expect(b.epochs).toEqual(a.epochs);
  });

  it('refuses options it cannot run', () => {
    expectRefusals([
      ['not an object', () => simulate({ seed: 1, epochs: 16 as never }), 'type', 'simulate', 'options.epochs'],
      ['not on a checkpoint', () => simulate({ seed: 1, epochs: { epochBlocks: 12, candidates: 7 } }), 'range', 'simulate', 'options.epochs.epochBlocks', 'must be a multiple of the checkpoint interval (8), got 12'],
      ['no waiting candidate', () => simulate({ seed: 1, epochs: { epochBlocks: 16, candidates: 4 } }), 'range', 'simulate', 'options.epochs.candidates', 'must be an integer in [5, 64], got 4'],
      ['a fault it does not draw', () => simulate({ seed: 1, faults: ['drop', 'crash'], epochs: EPOCHS }), 'range', 'simulate', 'options.faults[1]', "got 'crash'"],
      ['unknown option', () => simulate({ seed: 1, epochs: { ...EPOCHS, length: 3 } as never }), 'type', 'simulate', 'options.epochs.length'],
    ]);
  });
});

describe('InvariantChecker: validator state roots', () => {
  it('reports an honest replica whose root after a height differs from the others’', () => {
    const c = new InvariantChecker(nodeSha256, new Uint8Array(32), new Set());
    c.validatorRoot(0, 5, new Uint8Array(32).fill(1));
    c.validatorRoot(1, 5, new Uint8Array(32).fill(1));
    c.validatorRoot(1, 6, new Uint8Array(32).fill(3));
    expect(c.violations).toEqual([]);
    c.validatorRoot(2, 5, new Uint8Array(32).fill(2));
    expect(c.violations).toEqual([`validator state root: host 2's root after height 5 is ${'02'.repeat(8)}, others' ${'01'.repeat(8)}`]);
  });
});
