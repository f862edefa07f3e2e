import { bytesToHex } from '../../bytes/index.js';
import { EPOCH_END_STEPS, type ValidatorStateMachine } from '../../validators/index.js';
import { median } from '../harness.js';

// One epoch's end, timed from the same state every round: the snapshot taken one block before the
// epoch's last height is restored and its root computed (so every leaf is cached, as on a replica
// that computed the root after the previous block); then `endBlock(last)` and the `root()` after
// it are timed. No collection is forced in between: one leaves V8's young generation small, and
// the round then runs slower than it does in a replica that has been allocating all along. A second set of rounds runs the end's steps one by one
// (`EPOCH_END_STEPS`, what `endBlock` runs there) to split the time, and checks that they reach
// the same root.

export interface TransitionFigures {
  /** Median milliseconds of `endBlock` on the epoch's last height. */
  endBlockMs: number;
  /** Median milliseconds of `root()` right after it. */
  rootMs: number;
  /** Median milliseconds of `endBlock` + `root()` in the same round. */
  totalMs: number;
  /** Median milliseconds of each step, in the order they run. */
  steps: { name: string; ms: number }[];
  /** Every round's figures, for the JSON. */
  rounds: { endBlockMs: number; rootMs: number }[];
  /** Entries each table changed (leaves the root rehashed), and the committee that ended. */
  changed: Record<string, number>;
  committeeSize: number;
  /** The state root after the end (the same in every round). */
  root: string;
}

/** Entries of each table (count of each, for the "changed" figures). */
function tableSizes(m: ValidatorStateMachine): Record<string, number> {
  const s = m.state;
  return { balances: s.balances.size, rewards: s.rewards.size, validators: s.validators.size, delegations: s.delegations.size, unbonding: s.unbonding.size, redelegations: s.redelegations.size };
}

export function timeTransition(machine: ValidatorStateMachine, at: { snapshot: Uint8Array; end: number }, runs: number, progress: (line: string) => void): TransitionFigures {
  const rounds: { endBlockMs: number; rootMs: number }[] = [];
  let root = '';
  const prepare = () => {
    machine.restore(at.snapshot);
    machine.root();
  };
  for (let round = 0; round < runs; round++) {
    prepare();
    const t0 = performance.now();
    machine.endBlock(at.end);
    const t1 = performance.now();
    const r = bytesToHex(machine.root());
    const t2 = performance.now();
    if (root && r !== root) throw new Error('bench validators: the same epoch end gave two different roots');
    root = r;
    rounds.push({ endBlockMs: t1 - t0, rootMs: t2 - t1 });
    progress(`    round ${round + 1}/${runs}: endBlock ${(t1 - t0).toFixed(1)} ms, root ${(t2 - t1).toFixed(1)} ms`);
  }
  const times = EPOCH_END_STEPS.map(() => [] as number[]);
  let committeeSize = 0;
  let changed: Record<string, number> = {};
  for (let round = 0; round < runs; round++) {
    prepare();
    const s = machine.state;
    committeeSize = s.committee.operators.length;
    const before = tableSizes(machine);
    // What `endBlock(end)` does at an epoch's last height: the height moves, then the steps run.
    s.height = at.end;
    EPOCH_END_STEPS.forEach((step, i) => {
      const t0 = performance.now();
      step.run(s, at.end);
      times[i].push(performance.now() - t0);
    });
    changed = dirtyEntries(machine, before);
    if (bytesToHex(machine.root()) !== root) throw new Error('bench validators: the steps one by one reached another root than endBlock');
  }
  return {
    endBlockMs: median(rounds.map((r) => r.endBlockMs)),
    rootMs: median(rounds.map((r) => r.rootMs)),
    totalMs: median(rounds.map((r) => r.endBlockMs + r.rootMs)),
    steps: EPOCH_END_STEPS.map((step, i) => ({ name: step.name, ms: median(times[i]) })),
    rounds,
    changed,
    committeeSize,
    root,
  };
}

/** Entries the epoch's end wrote or removed in each table, read off the tables' own pending work. */
function dirtyEntries(m: ValidatorStateMachine, before: Record<string, number>): Record<string, number> {
  const after = tableSizes(m);
  const s = m.state;
  const tables = { balances: s.balances, rewards: s.rewards, validators: s.validators, delegations: s.delegations, unbonding: s.unbonding, redelegations: s.redelegations };
  return Object.fromEntries(Object.entries(tables).map(([name, t]) => [name, t.changed + Math.max(0, before[name] - after[name])]));
}
