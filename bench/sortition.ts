// What stake-weighted sortition costs at 10,000 validators (issue 14's target: one draw ≤ 2 µs,
// hash + find + remove). `npx tsc -p tsconfig.json && node dist/bench/sortition.js [validators]`.
// A draw's cost is an election of every validator (one hash per draw, all in one WASM call)
// less building the sampler, divided by the draws; the default-size election is timed whole.
import { performance } from 'node:perf_hooks';
import { committeeSize, electCommittee, primaryOfView, StakeSampler } from '../src/validators/index.js';

const validators = Number(process.argv[2] ?? 10_000);

/** Stakes from 1 to about 2^50 (spread over 2^40 by a fixed LCG: the figures repeat run to run). */
function stakesOf(count: number): bigint[] {
  let x = 0x2545f491n;
  return Array.from({ length: count }, () => {
    x = (x * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
    return (x >> 14n) + 1n;
  });
}

/** Median of `runs` timings of `fn`, in ms, after two warm-up calls. */
function median(runs: number, fn: () => void): number {
  fn();
  fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

const stakes = stakesOf(validators);
const seed = new Uint8Array(32).fill(7);
const size = committeeSize(validators, { min: 4, max: 100 });
const build = median(21, () => new StakeSampler(stakes));
const full = median(21, () => electCommittee(stakes, seed, validators));
const elect = median(101, () => electCommittee(stakes, seed, size));
const committee = electCommittee(stakes, seed, size).map((i) => stakes[i]);
const primaries = 10_000;
const primary = median(11, () => {
  for (let view = 0; view < primaries; view++) primaryOfView(committee, seed, view);
});

const perDraw = ((full - build) / validators) * 1e3;
console.log(`validators                       ${validators}`);
console.log(`StakeSampler build               ${(build * 1e3).toFixed(0)} µs`);
console.log(`one draw (hash + find + remove)  ${perDraw.toFixed(2)} µs  (${Math.round(1e3 / perDraw).toLocaleString('en-US')} draws/ms)`);
console.log(`electCommittee, size ${String(size).padEnd(11)} ${(elect * 1e3).toFixed(0)} µs`);
console.log(`primaryOfView, committee of ${size}  ${((primary / primaries) * 1e3).toFixed(2)} µs`);
