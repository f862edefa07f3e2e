import { committeeSize, DEFAULT_STAKING_PARAMS, electCommittee, StakeSampler, type ValidatorStateMachine } from '../../validators/index.js';
import { measure } from '../harness.js';
import type { BenchContext } from '../suite.js';

// Sortition over the candidates of the built state (their bonded tokens, in the state's order).
// One draw is hash + find + remove: an election of every candidate (one hash per draw, all in
// one WASM call) less building its sampler, divided by the draws. The election of the default
// committee size is timed whole, as the epoch's end runs it.

export interface DrawFigures {
  candidates: number;
  /** Microseconds per draw, and draws per second. */
  drawUs: number;
  drawsPerSecond: number;
  /** Microseconds to build the Fenwick tree of every stake. */
  samplerUs: number;
  committeeSize: number;
  /** Microseconds of `electCommittee` of the default size. */
  electionUs: number;
}

export function measureDraws(machine: ValidatorStateMachine, ctx: BenchContext): DrawFigures {
  const stakes = machine.state.validators.keys().map((k) => machine.state.validators.get(k)?.tokens ?? 0n);
  const seed = machine.state.committee.seed;
  const size = committeeSize(stakes.length, DEFAULT_STAKING_PARAMS.committee);
  const [sampler, everyone, committee] = measure(
    [
      { name: 'new StakeSampler(stakes)', fn: () => new StakeSampler(stakes) },
      { name: `electCommittee of all ${stakes.length}`, fn: () => electCommittee(stakes, seed, stakes.length) },
      { name: `electCommittee of ${size}`, fn: () => electCommittee(stakes, seed, size) },
    ],
    { runs: ctx.runs, maxTime: ctx.maxTime, quick: ctx.quick, progress: ctx.progress },
  );
  const drawUs = ((1 / everyone.hz - 1 / sampler.hz) / stakes.length) * 1e6;
  return { candidates: stakes.length, drawUs, drawsPerSecond: 1e6 / drawUs, samplerUs: 1e6 / sampler.hz, committeeSize: size, electionUs: 1e6 / committee.hz };
}
