import { table } from '../harness.js';
import type { BenchContext, BenchReport, BenchSuite } from '../suite.js';
import { buildState, type StateSize } from './build.js';
import { measureDraws } from './draws.js';
import { measureMemory } from './memory.js';
import { timeTransition, type TransitionFigures } from './transition.js';

// `swarmguard bench validators`: the validator state machine at the size — an epoch's
// end, sortition draws, and what the state costs to hold — beside the targets it must meet.

const SIZES: Record<'full' | 'quick', StateSize> = {
  full: { validators: 10_000, delegations: 100_000 },
  quick: { validators: 1_000, delegations: 10_000 },
};

/** Issue 14's targets. */
const TARGETS = { transitionMs: 50, drawUs: 2, bytesPerValidator: 1024 };

const ms = (v: number) => v.toFixed(1);
const count = (v: number) => Math.round(v).toLocaleString('en-US');

function transitionRows(first: TransitionFigures, steady: TransitionFigures): (string | number)[][] {
  const rows: (string | number)[][] = [
    ['endBlock on the last height', ms(first.endBlockMs), ms(steady.endBlockMs), ''],
    ...first.steps.map((step, i) => [`  ${step.name}`, ms(step.ms), ms(steady.steps[i].ms), '']),
    ['root() right after', ms(first.rootMs), ms(steady.rootMs), ''],
    ['endBlock + root()', ms(first.totalMs), ms(steady.totalMs), `≤ ${TARGETS.transitionMs}`],
  ];
  for (const name of Object.keys(steady.changed)) rows.push([`entries changed: ${name}`, count(first.changed[name]), count(steady.changed[name]), '']);
  return rows;
}

const suite: BenchSuite = {
  name: 'validators',
  sampled: true,
  description: 'the validator state machine at 10,000 validators and 100,000 delegations: epoch transition, root, sortition draws, bytes per validator',
  async run(ctx: BenchContext): Promise<BenchReport> {
    const size = ctx.quick ? SIZES.quick : SIZES.full;
    ctx.progress(`building the state (${count(size.validators)} validators, ${count(size.delegations)} delegations) through genesis and executed transactions…`);
    const built = buildState(size, ctx.progress);
    ctx.progress(`epoch 0's end (committee: every genesis validator), ${ctx.runs} rounds…`);
    const first = timeTransition(built.machine, built.firstEpoch, ctx.runs, ctx.progress);
    ctx.progress(`epoch 6's end (an elected committee; epoch 0's unbondings mature), ${ctx.runs} rounds…`);
    const steady = timeTransition(built.machine, built.steadyEpoch, ctx.runs, ctx.progress);
    ctx.progress('sortition draws…');
    const draws = measureDraws(built.machine, ctx);
    ctx.progress('bytes and heap…');
    const memory = measureMemory(built.machine, built.steadyEpoch.snapshot);
    const n = memory.validators;
    const b = built.size;
    const text = [
      `State: ${count(b.validators)} validators (self-bond 10^4 to 10^6), ${count(b.delegations)} delegations from ${count(b.delegators)} accounts, ` +
        `${count(b.unbonding)} unbonding and ${count(b.redelegations)} redelegation entries made in epoch 0; built through genesis and executed staking transactions ` +
        `(genesis ${built.seconds.genesis.toFixed(1)} s, transactions ${built.seconds.transactions.toFixed(1)} s, epochs 0 to 5 ${built.seconds.epochs.toFixed(1)} s)`,
      '',
      `Epoch transition, ms, median of ${ctx.runs} rounds from the same state; first epoch: committee of all ${count(first.committeeSize)} genesis validators, every delegation paid; ` +
        `steady: elected committee of ${steady.committeeSize}, epoch 0's unbondings and redelegations mature`,
      table(['', 'first epoch', 'steady epoch', 'target'], transitionRows(first, steady)),
      '',
      `Sortition at ${count(draws.candidates)} candidates (electCommittee; median of ${ctx.runs} rounds)`,
      table(
        ['', 'result', 'target'],
        [
          ['one draw (hash + find + remove), µs', draws.drawUs.toFixed(2), `≤ ${TARGETS.drawUs}`],
          ['draws per second', count(draws.drawsPerSecond), ''],
          ['new StakeSampler(stakes), µs', count(draws.samplerUs), ''],
          [`electCommittee of the default size (${draws.committeeSize}), µs`, count(draws.electionUs), ''],
        ],
      ),
      '',
      `Bytes of the steady-epoch state (${count(n)} validators): snapshot and live heap (each table decoded apart, its root computed), per validator and per entry`,
      table(
        ['', 'entries', 'snapshot B', 'B / validator', 'heap B', 'heap B / validator', 'heap B / entry'],
        [
          ...memory.tables.map((t) => [t.name, count(t.entries), count(t.bytes), count(t.bytes / n), count(t.heapBytes), count(t.heapBytes / n), t.entries ? count(t.heapBytes / t.entries) : '–']),
          ['whole state', '', count(memory.snapshotBytes), count(memory.snapshotBytes / n), count(memory.heapBytes), count(memory.heapBytes / n), ''],
        ],
      ),
      `target: ≤ ${count(TARGETS.bytesPerValidator)} B per validator`,
    ].join('\n');
    return { text, results: { size: built.size, buildSeconds: built.seconds, targets: TARGETS, firstEpoch: first, steadyEpoch: steady, draws, memory } };
  },
};

export default suite;
